package io.poolwatch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Dialect} promises, checked against its engine's real server: the driver takes the session
 * properties and the server enforces them (statement timeout, read-only), the check SQL runs and means what it says,
 * the snapshot transaction sees one snapshot, TLS modes survive the driver's spelling, the server reports its
 * replication, and poolwatch's migrations are there for it. A new engine's dialect gets a subclass of this.
 */
abstract class DialectContract {

    /** The table these tests write to, in the engine's test database. */
    static final String TABLE = "dialect_contract";

    /** The dialect under test. */
    abstract Dialect dialect();

    /** A JDBC URL of the engine's test database. */
    abstract String url();

    /** The driver's login, before the dialect's properties. */
    abstract Properties login();

    /** A statement that takes about {@code seconds} on the server, or empty when the engine has none. */
    abstract Optional<String> sleep(int seconds);

    private Connection open(Map<String, String> extra) throws SQLException {
        Properties p = login();
        extra.forEach(p::setProperty);
        return DriverManager.getConnection(url(), p);
    }

    /** A connection as a pool opens it: the dialect's session properties and its initial SQL. */
    private Connection session(Optional<Duration> statementTimeout, boolean readOnly) throws SQLException {
        Connection c = open(dialect().sessionProperties("dialect-contract", Duration.ofSeconds(5),
                Optional.of(Duration.ofSeconds(30)), statementTimeout, readOnly, Map.of()));
        Optional<String> initial = dialect().initialSql(statementTimeout);
        if (initial.isPresent()) {
            try (Statement st = c.createStatement()) {
                st.execute(initial.get());
            }
        }
        return c;
    }

    @BeforeEach
    void aFreshTable() throws SQLException {
        try (Connection c = open(Map.of()); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + TABLE);
            st.execute("CREATE TABLE " + TABLE + " (id VARCHAR(40) PRIMARY KEY, at TIMESTAMP)");
        }
    }

    @Test
    void theServerCutsOffAStatementPastTheTimeoutTheSessionCarries() throws SQLException {
        Optional<String> sleep = sleep(3);
        if (sleep.isEmpty()) {
            return;
        }
        try (Connection c = session(Optional.of(Duration.ofMillis(300)), false); Statement st = c.createStatement()) {
            long start = System.nanoTime();
            SQLException e = assertThrows(SQLException.class, () -> {
                try (ResultSet rs = st.executeQuery(sleep.get())) {
                    rs.next();
                }
            }, "a 3 s statement under a 300 ms timeout");
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(3)) < 0, e.toString());
        }
        try (Connection c = session(Optional.empty(), false); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1")) {
                assertTrue(rs.next(), "a session without a statement timeout works");
            }
        }
    }

    @Test
    void aReadOnlySessionCannotWriteWhereTheDriverCarriesIt() throws SQLException {
        if (!dialect().networked()) {
            return;
        }
        try (Connection c = session(Optional.empty(), true); Statement st = c.createStatement()) {
            assertThrows(SQLException.class, () -> st.executeUpdate("INSERT INTO " + TABLE + " (id) VALUES ('x')"));
        }
        try (Connection c = session(Optional.empty(), false); Statement st = c.createStatement()) {
            assertEquals(1, st.executeUpdate("INSERT INTO " + TABLE + " (id) VALUES ('x')"));
        }
    }

    @Test
    void theTestServerSaysItTakesWritesWhereTheEngineHasARole() throws SQLException {
        try (Connection c = open(Map.of())) {
            Optional<ServerRole> role = dialect().serverRole(c, Duration.ofSeconds(5));
            assertEquals(dialect().readOnlyQuery().map(q -> ServerRole.PRIMARY), role);
        }
    }

    @Test
    void theTestServerNamesItselfTheSameOnTwoConnectionsWhereTheEngineCan() throws SQLException {
        try (Connection a = open(Map.of()); Connection b = open(Map.of())) {
            Optional<String> first = dialect().serverIdentity(a, Duration.ofSeconds(5));
            assertEquals(dialect().serverIdentityQuery().isPresent(), first.isPresent());
            assertEquals(first, dialect().serverIdentity(b, Duration.ofSeconds(5)));
            first.ifPresent(id -> assertTrue(id.contains(":"), "address and port: " + id));
        }
    }

    @Test
    void truncationGivesTheStartOfTheDayAndOfTheMonth() throws SQLException {
        try (Connection c = open(Map.of())) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (id, at) VALUES ('t', ?)")) {
                ps.setTimestamp(1, Timestamp.valueOf(LocalDateTime.of(2026, 3, 15, 13, 45, 7)));
                ps.executeUpdate();
            }
            assertEquals(LocalDateTime.of(2026, 3, 15, 0, 0), truncated(c, "day"));
            assertEquals(LocalDateTime.of(2026, 3, 1, 0, 0), truncated(c, "month"));
        }
    }

    private LocalDateTime truncated(Connection c, String period) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + dialect().truncate("d.at", period) + " FROM " + TABLE + " d")) {
            assertTrue(rs.next());
            return rs.getObject(1, LocalDateTime.class) != null ? rs.getObject(1, LocalDateTime.class)
                    : rs.getDate(1).toLocalDate().atStartOfDay();
        }
    }

    @Test
    void theSnapshotTransactionSeesOneSnapshot() throws SQLException {
        try (Connection checker = open(Map.of()); Connection writer = open(Map.of())) {
            checker.setAutoCommit(false);
            dialect().beginReadOnlySnapshot(checker, Duration.ofSeconds(10));
            assertEquals(0, count(checker));
            try (Statement st = writer.createStatement()) {
                st.executeUpdate("INSERT INTO " + TABLE + " (id) VALUES ('later')");
            }
            assertEquals(0, count(checker), "a row committed after the snapshot was taken");
            checker.rollback();
            assertEquals(1, count(checker), "seen in the next transaction");
            checker.rollback();
        }
    }

    private static int count(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void theSleepStatementTakesItsTimeOnTheServer() throws SQLException {
        Optional<String> sleep = dialect().sleep(Duration.ofMillis(300));
        if (sleep.isEmpty()) {
            return;
        }
        try (Connection c = open(Map.of()); Statement st = c.createStatement()) {
            long start = System.nanoTime();
            st.execute(sleep.get());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofMillis(250)) >= 0,
                    "it returned before its time");
        }
    }

    @Test
    void aCheckStatementIsCutOffByTheServerAfterTheChecksTimeout() throws SQLException {
        Optional<String> sleep = sleep(3);
        if (sleep.isEmpty() || !dialect().networked()) {
            // H2 runs in the process: its checks are bounded by the pool's initial SQL and the driver's query timeout.
            return;
        }
        try (Connection c = open(Map.of())) {
            c.setAutoCommit(false);
            Duration timeout = Duration.ofMillis(300);
            dialect().beginReadOnlySnapshot(c, timeout);
            String timed = dialect().statementTimeout(c, timeout).apply(sleep.get());
            long start = System.nanoTime();
            try (Statement st = c.createStatement()) {
                assertThrows(SQLException.class, () -> {
                    try (ResultSet rs = st.executeQuery(timed)) {
                        rs.next();
                    }
                }, timed);
            }
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(3)) < 0, "cut off early");
            c.rollback();
        }
    }

    @Test
    void socketTimeoutsAreReadInTheDriversUnit() {
        Optional<Duration> thirty = dialect().socketTimeout("30");
        if (!dialect().networked()) {
            assertEquals(Optional.empty(), thirty);
            return;
        }
        assertTrue(thirty.isPresent(), dialect().socketTimeoutAccepted());
        assertTrue(thirty.get().equals(Duration.ofSeconds(30)) || thirty.get().equals(Duration.ofMillis(30)),
                thirty.toString());
        assertEquals(Optional.empty(), dialect().socketTimeout("-1"));
        assertEquals(Optional.empty(), dialect().socketTimeout("soon"));
        assertEquals(Optional.of(Duration.ZERO), dialect().socketTimeout("0"));
    }

    @Test
    void theMonitorsGuardTimeoutsAreTakenByTheDriver() throws SQLException {
        try (Connection c = open(dialect().guardTimeouts(8));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT 1")) {
            assertTrue(rs.next());
        }
    }

    @Test
    void everyTlsModeSurvivesTheDriversSpellingAndDisableConnects() throws SQLException {
        Optional<Dialect.DriverTls> tls = dialect().tls();
        if (tls.isEmpty()) {
            assertTrue(!dialect().networked(), "an engine over a network takes TLS settings");
            return;
        }
        for (TlsMode m : TlsMode.values()) {
            TlsMode read = tls.get().mode(tls.get().modeValue(m)).orElseThrow(() -> new AssertionError(m + " unreadable"));
            assertEquals(m.encrypts(), read.encrypts(), m + " read back as " + read);
            assertEquals(m.verifies(), read.verifies(), m + " read back as " + read);
        }
        Map<String, String> disable = tls.get().properties(TlsMode.DISABLE, Optional.of("/nonexistent/ca.pem"));
        assertTrue(!disable.containsValue("/nonexistent/ca.pem"), "a CA file only where the mode verifies: " + disable);
        assertTrue(tls.get().properties(TlsMode.VERIFY_FULL, Optional.of("/ca.pem")).containsValue("/ca.pem"));
        try (Connection c = open(disable); Statement st = c.createStatement()) {
            Dialect.SessionTls session = dialect().sessionTls(st);
            assertTrue(!session.encrypted() && session.cipher().isEmpty(), "the server says the session is plain: " + session);
        }
    }

    @Test
    void anInsertOfAKeyThatIsThereChangesNothingWhereTheEngineSaysSo() throws SQLException {
        Optional<String> ignore = dialect().onDuplicateKeyIgnore("id");
        if (ignore.isEmpty()) {
            return;
        }
        try (Connection c = open(Map.of()); Statement st = c.createStatement()) {
            assertEquals(1, st.executeUpdate("INSERT INTO " + TABLE + " (id) VALUES ('k')" + ignore.get()));
            assertEquals(0, st.executeUpdate("INSERT INTO " + TABLE + " (id) VALUES ('k')" + ignore.get()));
        }
    }

    @Test
    void theTestServerSaysItIsNoReplicaOrThatTheEngineHasNoReplication() throws SQLException {
        try (Connection c = open(Map.of())) {
            ReplicaLag lag = dialect().replicaLag(c, "contract", Instant.now());
            assertEquals(dialect().replicates() ? ReplicaLag.State.NOT_A_REPLICA : ReplicaLag.State.UNKNOWN, lag.state(),
                    lag.detail());
            assertEquals("contract", lag.database());
        }
    }

    @Test
    void theServerListsOtherClientSessionsOfTheDatabaseWithinTheLimit() throws SQLException {
        if (!dialect().showsApplications()) {
            return;
        }
        try (Connection other = open(Map.of()); Connection c = open(Map.of())) {
            ClientSessions all = dialect().clientSessions(c, List.of(), 1000);
            assertTrue(!all.sessions().isEmpty() && all.total() >= all.sessions().size(), all.toString());
            ClientSessions one = dialect().clientSessions(c, List.of(), 1);
            assertEquals(1, one.sessions().size(), one.toString());
            assertTrue(one.total() >= 1, one.toString());
        }
    }

    @Test
    void poolwatchsMigrationsAreThereForTheEngine() {
        assertNotNull(getClass().getClassLoader().getResource("db/outbox/" + dialect().migrations() + "/V1__outbox.sql"),
                dialect().migrations());
        assertEquals(dialect(), dialect().kind().dialect());
    }
}
