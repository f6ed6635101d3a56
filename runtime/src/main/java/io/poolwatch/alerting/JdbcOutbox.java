package io.poolwatch.alerting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcConnectionPool;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.checks.CursorStore;
import io.poolwatch.config.DatabaseKind;
import io.poolwatch.config.Limits;
import io.poolwatch.store.Schema;
import io.poolwatch.store.Transactions;

/**
 * The outbox as a table, created and migrated with poolwatch's other tables by {@link Schema} (migrations under
 * {@code db/outbox/<engine>}, history table {@code poolwatch_schema_history}, never the application's own). On
 * PostgreSQL the table is {@code poolwatch.outbox} in a schema of its own; on MariaDB and H2 it is
 * {@code poolwatch_outbox} in the connection's database. Times are stored as epoch milliseconds, the same on every engine.
 */
public final class JdbcOutbox implements Outbox, SilenceStore, AuditStore, CursorStore {

    private static final int MAX_ERROR_LENGTH = 500;

    /** How the table is named on each engine. */
    enum Dialect {
        POSTGRESQL("poolwatch.outbox", DatabaseKind.POSTGRESQL),
        MARIADB("poolwatch_outbox", DatabaseKind.MARIADB),
        H2("poolwatch_outbox", DatabaseKind.H2);

        final String table;
        final DatabaseKind kind;

        Dialect(String table, DatabaseKind kind) {
            this.table = table;
            this.kind = kind;
        }

        static Dialect of(DatabaseKind kind) {
            return switch (kind) {
                case POSTGRESQL -> POSTGRESQL;
                case MARIADB -> MARIADB;
                case H2 -> H2;
            };
        }
    }

    private static final String COLUMNS = "id, receiver, group_key, status, alerts, body, created_at, state, attempts, next_attempt_at, "
            + "lease_owner, lease_until, last_http_status, last_error, finished_at";

    private final DataSource dataSource;
    private final Dialect dialect;
    private final String location;
    private final JdbcConnectionPool ownPool;
    private final String table;
    private volatile boolean migrated;
    private boolean closed;

    private JdbcOutbox(DataSource dataSource, Dialect dialect, String location, JdbcConnectionPool ownPool) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.location = location;
        this.ownPool = ownPool;
        this.table = dialect.table;
    }

    /**
     * The JDBC URL of the outbox's H2 file in {@code dir}, which the alert state store opens too. Closed by close()
     * (SHUTDOWN), not by H2's own shutdown hook, which could run while the worker still writes; WRITE_DELAY=0 writes each
     * commit to the file at once.
     */
    static String h2FileUrl(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("outbox") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    /**
     * The outbox in a local H2 file, {@code <directory>/outbox.mv.db}, created with the directory when missing and
     * migrated before this returns. Only one process can have the file open.
     */
    public static JdbcOutbox h2File(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new OutboxException("cannot create the outbox directory " + dir + ": " + e, e);
        }
        JdbcConnectionPool pool = JdbcConnectionPool.create(h2FileUrl(dir), "poolwatch", "");
        pool.setMaxConnections(8);
        JdbcOutbox outbox = new JdbcOutbox(pool, Dialect.H2, "H2 file " + dir.resolve("outbox.mv.db"), pool);
        try {
            outbox.migrate();
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
        return outbox;
    }

    /**
     * The outbox in a database poolwatch does not own the connections of (a workload's). Migrated on first use, so a
     * database that is down at start-up delays the outbox instead of stopping poolwatch.
     *
     * @param name for people: {@code workload main}
     */
    public static JdbcOutbox on(DataSource dataSource, DatabaseKind kind, String name) {
        Dialect dialect = Dialect.of(kind);
        return new JdbcOutbox(dataSource, dialect, name + ", table " + dialect.table, null);
    }

    /** Creates or updates the table; idempotent, and safe while other poolwatch processes do the same (Flyway locks). */
    public synchronized void migrate() {
        if (migrated) {
            return;
        }
        try {
            Schema.migrate(dataSource, dialect.kind, location);
            migrated = true;
        } catch (Schema.MigrationException e) {
            throw new OutboxException(e.getMessage(), e.getCause());
        }
    }

    private <T> T inTransaction(String what, Transactions.Work<T> work) {
        if (!migrated) {
            migrate();
        }
        try {
            return Transactions.inTransaction(dataSource, work);
        } catch (SQLException e) {
            throw new OutboxException(what + " failed (" + location + "): " + e.getMessage(), e);
        }
    }

    @Override
    public boolean add(Notification n) {
        String insert = "INSERT INTO " + table
                + " (id, receiver, group_key, status, alerts, body, created_at, state, attempts, "
                + "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)";
        if (dialect == Dialect.POSTGRESQL) {
            return inTransaction("storing notification " + n.id(),
                    c -> insert(c, insert + " ON CONFLICT (id) DO NOTHING", n) == 1);
        }
        try {
            // Looked up first so that a repeated add is not an error the driver logs; the unique key settles a race.
            return inTransaction("storing notification " + n.id(), c -> !exists(c, n.id()) && insert(c, insert, n) == 1);
        } catch (OutboxException e) {
            // Integrity constraint violation (SQLState class 23): the id is there already.
            if (e.getCause() instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("23")
                    && find(n.id()).isPresent()) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public int addSuperseding(Notification n, Instant now) {
        if (!add(n)) {
            return -1;
        }
        // Group keys are compared here rather than in SQL: the column is a LOB on H2, which does not compare LOBs.
        String read = "SELECT id, group_key FROM " + table + " WHERE receiver = ? AND state = 'pending' AND id <> ? "
                + "AND (lease_until IS NULL OR lease_until <= ?)";
        String supersede = "UPDATE " + table
                + " SET state = 'superseded', finished_at = ?, last_error = ?, lease_owner = NULL, "
                + "lease_until = NULL WHERE id = ? AND state = 'pending' AND (lease_until IS NULL OR lease_until <= ?)";
        return inTransaction("superseding notifications of " + n.receiver(), c -> {
            List<String> older = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(read)) {
                ps.setString(1, n.receiver());
                ps.setString(2, n.id());
                ps.setLong(3, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (n.groupKey().equals(rs.getString(2))) {
                            older.add(rs.getString(1));
                        }
                    }
                }
            }
            int count = 0;
            try (PreparedStatement ps = c.prepareStatement(supersede)) {
                for (String id : older) {
                    ps.setLong(1, now.toEpochMilli());
                    ps.setString(2, "superseded by " + n.id());
                    ps.setString(3, id);
                    ps.setLong(4, now.toEpochMilli());
                    count += ps.executeUpdate();
                }
            }
            return count;
        });
    }

    private boolean exists(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static int insert(Connection c, String sql, Notification n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, n.id());
            ps.setString(2, n.receiver());
            ps.setString(3, n.groupKey());
            ps.setString(4, n.status());
            ps.setInt(5, n.alerts());
            ps.setString(6, n.body());
            ps.setLong(7, n.createdAt().toEpochMilli());
            ps.setLong(8, n.createdAt().toEpochMilli());
            return ps.executeUpdate();
        }
    }

    @Override
    public List<Entry> heads() {
        String sql = "SELECT " + COLUMNS + " FROM " + table + " o WHERE o.state = 'pending' AND o.seq = "
                + "(SELECT MIN(i.seq) FROM " + table
                + " i WHERE i.receiver = o.receiver AND i.state = 'pending') ORDER BY o.seq";
        return inTransaction("reading the outbox", c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<Entry> head(String receiver) {
        String sql = "SELECT " + COLUMNS + " FROM " + table + " WHERE receiver = ? AND state = 'pending' ORDER BY seq";
        return inTransaction("reading the outbox of " + receiver, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, receiver);
                ps.setMaxRows(1);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<Entry> find(String id) {
        return inTransaction("reading notification " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
                }
            }
        });
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        Notification n = new Notification(rs.getString("id"), rs.getString("receiver"), rs.getString("group_key"),
                rs.getString("status"),
                rs.getInt("alerts"), rs.getString("body"), Instant.ofEpochMilli(rs.getLong("created_at")));
        return new Entry(n, State.of(rs.getString("state")), rs.getInt("attempts"),
                Instant.ofEpochMilli(rs.getLong("next_attempt_at")),
                instant(rs, "lease_until"), httpStatus(rs),
                Optional.ofNullable(rs.getString("last_error")), instant(rs, "finished_at"));
    }

    private static Optional<Integer> httpStatus(ResultSet rs) throws SQLException {
        int v = rs.getInt("last_http_status");
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }

    @Override
    public Optional<Claim> claim(String id, String owner, Instant now, Instant until) {
        String read = "SELECT attempts, lease_owner, lease_until FROM " + table + " WHERE id = ? AND state = 'pending'";
        // attempts = the count read: of two workers claiming at once, the second updates nothing.
        String take = "UPDATE " + table
                + " SET attempts = attempts + 1, lease_owner = ?, lease_until = ? WHERE id = ? AND state = 'pending' "
                + "AND attempts = ? AND (lease_until IS NULL OR lease_until <= ? OR lease_owner = ?)";
        return inTransaction("claiming notification " + id, c -> {
            int attempts;
            boolean unrecorded;
            try (PreparedStatement ps = c.prepareStatement(read)) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Claim> empty();
                    }
                    attempts = rs.getInt(1);
                    String leaseOwner = rs.getString(2);
                    Optional<Instant> leaseUntil = instant(rs, "lease_until");
                    if (leaseUntil.isPresent() && leaseUntil.get().isAfter(now) && !owner.equals(leaseOwner)) {
                        return Optional.<Claim> empty();
                    }
                    // A lease is released when an attempt's end is recorded: one still there is an attempt that never ended.
                    unrecorded = leaseOwner != null;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(take)) {
                ps.setString(1, owner);
                ps.setLong(2, until.toEpochMilli());
                ps.setString(3, id);
                ps.setInt(4, attempts);
                ps.setLong(5, now.toEpochMilli());
                ps.setString(6, owner);
                return ps.executeUpdate() == 1 ? Optional.of(new Claim(attempts + 1, unrecorded)) : Optional.<Claim> empty();
            }
        });
    }

    @Override
    public void retry(String id, String owner, int attempts, Instant next, Optional<Integer> httpStatus, String error) {
        String sql = "UPDATE " + table + " SET attempts = ?, next_attempt_at = ?, last_http_status = ?, last_error = ?, "
                + "lease_owner = NULL, lease_until = NULL WHERE id = ? AND state = 'pending' AND lease_owner = ?";
        update("recording a retry of notification " + id, sql, ps -> {
            ps.setInt(1, attempts);
            ps.setLong(2, next.toEpochMilli());
            setStatus(ps, 3, httpStatus);
            ps.setString(4, truncate(error));
            ps.setString(5, id);
            ps.setString(6, owner);
        });
    }

    @Override
    public void finish(String id, String owner, State state, int attempts, Instant at, Optional<Integer> httpStatus,
            Optional<String> error) {
        if (state == State.PENDING) {
            throw new IllegalArgumentException("finish needs delivered, rejected or given-up");
        }
        String sql = "UPDATE " + table + " SET state = ?, attempts = ?, finished_at = ?, last_http_status = ?, last_error = ?, "
                + "lease_owner = NULL, lease_until = NULL WHERE id = ? AND state = 'pending' AND lease_owner = ?";
        update("recording the end of notification " + id, sql, ps -> {
            ps.setString(1, state.label());
            ps.setInt(2, attempts);
            ps.setLong(3, at.toEpochMilli());
            setStatus(ps, 4, httpStatus);
            ps.setString(5, error.map(JdbcOutbox::truncate).orElse(null));
            ps.setString(6, id);
            ps.setString(7, owner);
        });
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String what, String sql, Binder binder) {
        int rows = inTransaction(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            }
        });
        if (rows != 1) {
            // The lease expired and another worker took the notification over; its record stands.
            throw new LeaseLostException(what + ": the lease was lost to another worker");
        }
    }

    /** This worker's lease on a notification expired and another worker took it over. */
    public static final class LeaseLostException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        LeaseLostException(String message) {
            super(message);
        }
    }

    private static void setStatus(PreparedStatement ps, int index, Optional<Integer> status) throws SQLException {
        if (status.isPresent()) {
            ps.setInt(index, status.get());
        } else {
            ps.setNull(index, Types.INTEGER);
        }
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH - 3) + "...";
    }

    @Override
    public Map<String, Integer> depths() {
        String sql = "SELECT receiver, COUNT(*) FROM " + table + " WHERE state = 'pending' GROUP BY receiver ORDER BY receiver";
        return inTransaction("counting the outbox", c -> {
            Map<String, Integer> out = new LinkedHashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
            return out;
        });
    }

    @Override
    public int purgeFinished(Instant before) {
        return inTransaction("removing finished notifications", c -> {
            try (PreparedStatement ps = c
                    .prepareStatement("DELETE FROM " + table + " WHERE state <> 'pending' AND finished_at < ?")) {
                ps.setLong(1, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public String location() {
        return location;
    }

    /** Closes the H2 file (the pool of a workload is its registry's to close). */
    @Override
    public synchronized void close() {
        if (ownPool == null || closed) {
            return;
        }
        closed = true;
        try (Connection c = ownPool.getConnection(); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN");
        } catch (SQLException e) {
            // Already closed, or closing anyway: the pool goes next.
        } finally {
            ownPool.dispose();
        }
    }

    // ---- silences -------------------------------------------------------------------------------------------------

    /** Silences' matchers, audit fields and checks' pending ranges are stored as JSON text. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private String silencesTable() {
        return dialect == Dialect.POSTGRESQL ? "poolwatch.silences" : "poolwatch_silences";
    }

    /**
     * The longest matchers' JSON a silence within {@link io.poolwatch.config.Limits} can have (every character a six-character
     * escape, the
     * most JSON spends on one): longer text, written by a version before the limits, is not even read.
     */
    static final int MAX_MATCHERS_JSON = Limits.SILENCE_MATCHERS
            * (6 * (Limits.MATCHER_NAME + Limits.MATCHER_VALUE) + 64);

    /**
     * Refuses a silence over {@link io.poolwatch.config.Limits}' bounds: {@link Silencer} checks them before this, so only a
     * caller that skipped it gets here, and nothing it stores can make a page unbounded.
     */
    @Override
    public void save(Silence s) {
        try {
            Silencer.validate(s.matchers(), s.createdBy(), s.comment());
        } catch (IllegalArgumentException e) {
            throw new OutboxException("silence " + s.id() + " not written: " + e.getMessage(), e);
        }
        String json;
        try {
            json = JSON.writeValueAsString(s.matchers());
        } catch (JsonProcessingException e) {
            throw new OutboxException("silence " + s.id() + " could not be written: " + e.getMessage(), e);
        }
        inTransaction("storing silence " + s.id(), c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + silencesTable() + " WHERE id = ?")) {
                del.setString(1, s.id());
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + silencesTable()
                    + " (id, matchers, starts_at, ends_at, created_by, comment) VALUES (?, ?, ?, ?, ?, ?)")) {
                ins.setString(1, s.id());
                ins.setString(2, json);
                ins.setLong(3, s.startsAt().toEpochMilli());
                ins.setLong(4, s.endsAt().toEpochMilli());
                ins.setString(5, s.createdBy());
                ins.setString(6, s.comment());
                return ins.executeUpdate();
            }
        });
    }

    /**
     * The stored silences ending after {@code endedAfter}. A row written before the limits of
     * {@link io.poolwatch.config.Limits} is read within them: its {@code createdBy} and {@code comment}, shown only, are cut
     * to their limits; one whose matchers exceed theirs is left out (with a warning naming its id), since a matcher cut
     * or dropped would silence other alerts than the one it was made for: alerts it covered are notified again, the
     * safe side. Matchers' text over {@link #MAX_MATCHERS_JSON} is not even read into memory.
     */
    @Override
    public List<Silence> load(Instant endedAfter) {
        return inTransaction("reading silences", c -> {
            List<Silence> out = new ArrayList<>();
            try (PreparedStatement ps = c
                    .prepareStatement("SELECT id, CASE WHEN LENGTH(matchers) <= ? THEN matchers ELSE NULL END, "
                            + "starts_at, ends_at, created_by, comment FROM " + silencesTable()
                            + " WHERE ends_at > ? ORDER BY starts_at, id")) {
                ps.setInt(1, MAX_MATCHERS_JSON);
                ps.setLong(2, endedAfter.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        String text = rs.getString(2);
                        List<Silence.Matcher> matchers;
                        try {
                            matchers = text == null ? null : List.of(JSON.readValue(text, Silence.Matcher[].class));
                        } catch (IOException e) {
                            throw new SQLException("silence " + id + " has unreadable matchers: " + e.getMessage(), e);
                        }
                        String createdBy = Limits.cut(rs.getString(5), Limits.SILENCE_CREATED_BY);
                        String comment = Limits.cut(rs.getString(6), Limits.SILENCE_COMMENT);
                        String over = matchers == null ? "matchers: over " + MAX_MATCHERS_JSON + " characters of JSON"
                                : overLimit(matchers);
                        if (over != null) {
                            if (oversized.add(id)) {
                                SILENCE_LOG.warnf(
                                        "silence %s is left out: it was stored before the limits and exceeds them (%s)", id,
                                        over);
                            }
                            continue;
                        }
                        out.add(new Silence(id, matchers, Instant.ofEpochMilli(rs.getLong(3)),
                                Instant.ofEpochMilli(rs.getLong(4)),
                                createdBy, comment));
                    }
                }
            }
            return out;
        });
    }

    private static final Logger SILENCE_LOG = Logger.getLogger(JdbcOutbox.class);

    /** Ids of stored silences left out for exceeding the limits, so each is warned about once. */
    private final Set<String> oversized = ConcurrentHashMap.newKeySet();

    /** What exceeds the matchers' limits, or null. */
    private static String overLimit(List<Silence.Matcher> matchers) {
        if (matchers.size() > Limits.SILENCE_MATCHERS) {
            return "matchers: " + matchers.size() + "; accepted: at most " + Limits.SILENCE_MATCHERS;
        }
        for (int i = 0; i < matchers.size(); i++) {
            Silence.Matcher m = matchers.get(i);
            if (m == null || m.name() == null || m.value() == null) {
                return "matchers[" + i + "]: incomplete";
            }
            if (m.name().length() > Limits.MATCHER_NAME) {
                return "matchers[" + i + "].name: " + m.name().length() + " characters; accepted: at most "
                        + Limits.MATCHER_NAME;
            }
            if (m.value().length() > Limits.MATCHER_VALUE) {
                return "matchers[" + i + "].value: " + m.value().length() + " characters; accepted: at most "
                        + Limits.MATCHER_VALUE;
            }
        }
        return null;
    }

    // ---- audit ----------------------------------------------------------------------------------------------------

    private String auditTable() {
        return dialect == Dialect.POSTGRESQL ? "poolwatch.audit" : "poolwatch_audit";
    }

    @Override
    public void append(List<AuditLog.Event> events, String instance) {
        if (events.isEmpty()) {
            return;
        }
        inTransaction("storing " + events.size() + " audit event(s)", c -> {
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + auditTable()
                    + " (at_ms, type, instance, fields, retention) VALUES (?, ?, ?, ?, ?)")) {
                for (AuditLog.Event e : events) {
                    // Bounded again here: an event stored is never larger than one recorded.
                    Map<String, Object> fields = new LinkedHashMap<>();
                    AuditLog.bound(e.fields()).forEach((k, v) -> fields.put(k, v instanceof Instant i ? i.toString() : v));
                    ins.setLong(1, e.time().toEpochMilli());
                    ins.setString(2, AuditLog.cut(e.type(), AuditLog.MAX_TYPE_LENGTH));
                    ins.setString(3, AuditLog.cut(instance, 200));
                    try {
                        ins.setString(4, JSON.writeValueAsString(fields));
                    } catch (JsonProcessingException x) {
                        throw new SQLException("audit event " + e.type() + " could not be written: " + x.getMessage(), x);
                    }
                    ins.setString(5, AuditLog.Retention.of(e.type(), e.fields()).label());
                    ins.addBatch();
                }
                return ins.executeBatch().length;
            }
        });
    }

    @Override
    public List<AuditLog.Event> recentAudit(int limit) {
        return readAudit("", null, limit);
    }

    @Override
    public List<AuditLog.Event> recentAudit(AuditLog.Retention retention, int limit) {
        return readAudit(" WHERE retention = ?", retention, limit);
    }

    private List<AuditLog.Event> readAudit(String where, AuditLog.Retention retention, int limit) {
        return inTransaction("reading the audit log", c -> {
            List<AuditLog.Event> out = new ArrayList<>();
            try (PreparedStatement ps = c
                    .prepareStatement("SELECT id, at_ms, type, fields FROM " + auditTable() + where + " ORDER BY id DESC")) {
                if (retention != null) {
                    ps.setString(1, retention.label());
                }
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && out.size() < limit) {
                        Map<String, Object> fields;
                        try {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> read = JSON.readValue(rs.getString(4), LinkedHashMap.class);
                            fields = read;
                        } catch (IOException x) {
                            fields = Map.of("unreadable", x.getMessage());
                        }
                        out.add(new AuditLog.Event(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                                fields));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public int purgeAudit(Instant before) {
        return inTransaction("purging the audit log", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + auditTable() + " WHERE at_ms < ?")) {
                ps.setLong(1, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int trimAudit(AuditLog.Retention retention, int keep) {
        if (keep < 0) {
            throw new IllegalArgumentException("keep " + keep + ": accepted: 0 or more");
        }
        return inTransaction("trimming the audit log's " + retention.label(), c -> {
            // The newest id past the ones kept, then everything of the class up to it (ids grow with time).
            long last;
            try (PreparedStatement ps = c
                    .prepareStatement("SELECT id FROM " + auditTable() + " WHERE retention = ? ORDER BY id DESC LIMIT 1 OFFSET "
                            + keep)) {
                ps.setString(1, retention.label());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return 0;
                    }
                    last = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c
                    .prepareStatement("DELETE FROM " + auditTable() + " WHERE retention = ? AND id <= ?")) {
                ps.setString(1, retention.label());
                ps.setLong(2, last);
                return ps.executeUpdate();
            }
        });
    }

    // ---- chunked checks' cursors ----------------------------------------------------------------------------------

    private String cursorsTable() {
        return dialect == Dialect.POSTGRESQL ? "poolwatch.check_cursors" : "poolwatch_check_cursors";
    }

    @Override
    public Map<String, Saved> loadCursors() {
        return inTransaction("reading the checks' watermarks", c -> {
            Map<String, Saved> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c
                    .prepareStatement("SELECT check_name, definition, watermark, pending FROM " + cursorsTable());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<long[]> pending;
                    try {
                        pending = List.of(JSON.readValue(rs.getString(4), long[][].class));
                    } catch (IOException x) {
                        pending = List.of();
                    }
                    out.put(rs.getString(1), new Saved(rs.getString(2), rs.getLong(3), pending));
                }
            }
            return out;
        });
    }

    @Override
    public void saveCursor(String check, Saved cursor) {
        String pending;
        try {
            pending = JSON.writeValueAsString(cursor.pending());
        } catch (JsonProcessingException x) {
            throw new OutboxException("the watermark of check " + check + " could not be written: " + x.getMessage(), x);
        }
        inTransaction("storing the watermark of check " + check, c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + cursorsTable() + " WHERE check_name = ?")) {
                del.setString(1, check);
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + cursorsTable()
                    + " (check_name, definition, watermark, pending, updated_ms) VALUES (?, ?, ?, ?, ?)")) {
                ins.setString(1, check);
                ins.setString(2, cursor.definition());
                ins.setLong(3, cursor.watermark());
                ins.setString(4, pending);
                ins.setLong(5, System.currentTimeMillis());
                return ins.executeUpdate();
            }
        });
    }
}
