package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mariadb.jdbc.MariaDbDataSource;

import io.poolwatch.config.Limits;
import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.store.Database;
import io.poolwatch.store.StoreException;
import io.poolwatch.testing.TestDatabases;

/**
 * Every field of a silence has a length limit ({@link Limits}): one over is refused naming the field, the limit and the
 * length given, with nothing kept; one at the limit is accepted. The number kept is bounded. The store refuses an
 * oversized silence too, and reads one an older version wrote within the limits, on H2, a real PostgreSQL and MariaDB.
 */
class SilenceLimitsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final Instant ENDS = NOW.plus(Duration.ofHours(1));

    /** A silence's fields, as {@link Silencer#create} takes them. */
    record Fields(List<Silence.Matcher> matchers, String createdBy, String comment) {
    }

    /**
     * One stored field: its name in errors, its limit, and the fields of a silence with that field {@code n} long (every
     * other field valid and short).
     */
    record Field(String name, int limit, Function<Integer, Fields> withLength) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Silence.Matcher matcher(int i) {
        return new Silence.Matcher("pool", "p" + i, false, true);
    }

    private static List<Silence.Matcher> matchers(int n) {
        List<Silence.Matcher> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(matcher(i));
        }
        return out;
    }

    /** A label name of n characters, valid as one. */
    private static String label(int n) {
        return "l" + "a".repeat(n - 1);
    }

    /** Every stored field of a silence, generated for each matcher position where it is one per matcher. */
    static Stream<Field> fields() {
        List<Field> out = new ArrayList<>();
        out.add(new Field("createdBy", Limits.SILENCE_CREATED_BY, n -> new Fields(matchers(1), "b".repeat(n), "why")));
        out.add(new Field("comment", Limits.SILENCE_COMMENT, n -> new Fields(matchers(1), "oncall", "c".repeat(n))));
        out.add(new Field("matchers", Limits.SILENCE_MATCHERS, n -> new Fields(matchers(n), "oncall", "why")));
        for (int at : new int[] { 0, Limits.SILENCE_MATCHERS - 1 }) {
            out.add(new Field("matchers[" + at + "].name", Limits.MATCHER_NAME, n -> {
                List<Silence.Matcher> m = matchers(Limits.SILENCE_MATCHERS);
                m.set(at, new Silence.Matcher(label(n), "x", false, true));
                return new Fields(m, "oncall", "why");
            }));
            out.add(new Field("matchers[" + at + "].value", Limits.MATCHER_VALUE, n -> {
                List<Silence.Matcher> m = matchers(Limits.SILENCE_MATCHERS);
                m.set(at, new Silence.Matcher("pool", "v".repeat(n), false, true));
                return new Fields(m, "oncall", "why");
            }));
            out.add(new Field("matchers[" + at + "].value (regex)", Limits.MATCHER_VALUE, n -> {
                List<Silence.Matcher> m = matchers(Limits.SILENCE_MATCHERS);
                m.set(at, new Silence.Matcher("pool", "(a|b)" + ".".repeat(n - 5), true, true));
                return new Fields(m, "oncall", "why");
            }));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void aFieldOneOverItsLimitIsRefusedNamingItAndOneAtItsLimitIsKept(Field field) {
        Silencer silences = new Silencer(Clock.fixed(NOW, ZoneOffset.UTC));
        Fields over = field.withLength().apply(field.limit() + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> silences.create(over.matchers(), ENDS, over.createdBy(), over.comment()),
                field.name() + " one over its limit");
        String name = field.name().replace(" (regex)", "");
        assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
        assertTrue(e.getMessage().contains((field.limit() + 1) + " "), "the length given: " + e.getMessage());
        assertTrue(e.getMessage().contains("at most " + field.limit()), "the limit: " + e.getMessage());
        assertTrue(e.getMessage().length() < 300, "a long value is quoted cut: " + e.getMessage().length());
        assertTrue(silences.all().isEmpty(), "nothing kept");

        Fields at = field.withLength().apply(field.limit());
        Silence s = silences.create(at.matchers(), ENDS, at.createdBy(), at.comment());
        assertEquals(at.createdBy(), s.createdBy());
        assertEquals(at.comment(), s.comment(), "kept whole, not cut");
        assertEquals(at.matchers(), s.matchers());
    }

    @Test
    void theNumberKeptIsBoundedAndAFullListRefusesNamingTheLimit() {
        Silencer silences = new Silencer(Clock.fixed(NOW, ZoneOffset.UTC));
        for (int i = 0; i < Limits.SILENCES; i++) {
            silences.create(matchers(1), ENDS, "oncall", "why " + i);
        }
        // A Silencer.FullException, which the API answers with a 409.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> silences.create(matchers(1), ENDS, "oncall", "one more"));
        assertTrue(e.getMessage().contains("at most " + Limits.SILENCES), e.getMessage());
        assertEquals(Limits.SILENCES, silences.all().size());
        // Ended ones still count until they age out of the list.
        silences.expire(silences.all().get(0).id());
        assertThrows(IllegalArgumentException.class, () -> silences.create(matchers(1), ENDS, "oncall", "one more"));
    }

    // ---- the store ----------------------------------------------------------------------------------------------

    static final String DATABASE = "poolwatch_silence_limits_test";

    record Store(String name, DatabaseKind kind, DataSource dataSource, String table) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Store> stores() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:silence-limits-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        DataSource postgres = TestDatabases.postgres().freshDatabase(DATABASE);
        DataSource mariadb = new MariaDbDataSource(TestDatabases.freshMariadbDatabase(DATABASE));
        return Stream.of(new Store("H2", DatabaseKind.H2, h2, "poolwatch_silences"),
                new Store("PostgreSQL", DatabaseKind.POSTGRESQL, postgres, "poolwatch.silences"),
                new Store("MariaDB", DatabaseKind.MARIADB, mariadb, "poolwatch_silences"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void theStoreRefusesAnOversizedSilenceAndReadsAnOlderOneWithinTheLimits(Store store) throws Exception {
        JdbcSilenceStore stored = new JdbcSilenceStore(Database.on(store.dataSource(), store.kind(), "test"));
        Silencer silences = new Silencer(Clock.fixed(NOW, ZoneOffset.UTC));
        silences.attach(stored);
        Silence ok = silences.create(matchers(Limits.SILENCE_MATCHERS), ENDS, "b".repeat(Limits.SILENCE_CREATED_BY),
                "c".repeat(Limits.SILENCE_COMMENT));

        // A caller that skips Silencer (a future one) cannot store an oversized silence.
        Silence big = new Silence("big", List.of(new Silence.Matcher("pool", "v".repeat(30_000), false, true)), NOW, ENDS,
                "oncall", "why");
        StoreException e = assertThrows(StoreException.class, () -> stored.save(big));
        assertTrue(
                e.getMessage().contains("matchers[0].value: 30000 characters given; accepted: at most " + Limits.MATCHER_VALUE),
                e.getMessage());

        // Rows as a version before the limits could write them: matchers' text is unbounded in the table.
        String huge = "[{\"name\":\"pool\",\"value\":\"" + "v".repeat(30_000) + "\",\"isRegex\":false,\"isEqual\":true}]";
        String many = "[" + String.join(",", Collections.nCopies(Limits.SILENCE_MATCHERS + 1,
                "{\"name\":\"pool\",\"value\":\"x\",\"isRegex\":false,\"isEqual\":true}")) + "]";
        String wideButShort = "[{\"name\":\"pool\",\"value\":\"" + "v".repeat(Limits.MATCHER_VALUE + 1)
                + "\",\"isRegex\":false,\"isEqual\":true}]";
        try (Connection c = store.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO " + store.table()
                        + " (id, matchers, starts_at, ends_at, created_by, comment) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (String[] row : new String[][] { { "old-huge", huge }, { "old-many", many }, { "old-wide", wideButShort } }) {
                ps.setString(1, row[0]);
                ps.setString(2, row[1]);
                ps.setLong(3, NOW.toEpochMilli());
                ps.setLong(4, ENDS.toEpochMilli());
                ps.setString(5, "old");
                ps.setString(6, "from before the limits");
                ps.executeUpdate();
            }
        }
        List<Silence> loaded = stored.load(NOW.minusSeconds(1));
        assertEquals(List.of(ok), loaded, "only the silence within the limits; older oversized ones are left out");
        silences.refresh();
        assertEquals(List.of(ok.id()), silences.all().stream().map(Silence::id).toList());
        assertFalse(silences.all().stream().anyMatch(s -> s.id().startsWith("old-")));
    }
}
