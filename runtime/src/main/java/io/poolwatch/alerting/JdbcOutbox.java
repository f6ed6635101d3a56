package io.poolwatch.alerting;

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

import javax.sql.DataSource;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.store.Database;
import io.poolwatch.store.StoreException;

/**
 * The outbox as a table, created and migrated with poolwatch's other tables by {@link Database} (migrations under
 * {@code db/outbox/<engine>}, history table {@code poolwatch_schema_history}, never the application's own). On
 * PostgreSQL the table is {@code poolwatch.outbox} in a schema of its own; on MariaDB and H2 it is
 * {@code poolwatch_outbox} in the connection's database. Times are stored as epoch milliseconds, the same on every engine.
 */
public final class JdbcOutbox implements Outbox {

    private static final int MAX_ERROR_LENGTH = 500;

    private static final String COLUMNS = "id, receiver, group_key, status, alerts, body, created_at, state, attempts, next_attempt_at, "
            + "lease_owner, lease_until, last_http_status, last_error, finished_at";

    private final Database database;
    private final String table;

    /** The outbox in {@code database}, whose other tables the other stores use; closing the outbox closes the database. */
    public JdbcOutbox(Database database) {
        this.database = database;
        this.table = database.table("outbox");
    }

    /**
     * The outbox alone in a local H2 file, {@code <directory>/outbox.mv.db}, created with the directory when missing and
     * migrated before this returns. Only one process can have the file open.
     */
    public static JdbcOutbox h2File(Path directory) {
        Database database;
        try {
            database = Database.h2File(directory);
        } catch (StoreException e) {
            throw new OutboxException(e.getMessage(), e.getCause());
        }
        JdbcOutbox outbox = new JdbcOutbox(database);
        try {
            outbox.migrate();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return outbox;
    }

    /**
     * The outbox alone in a database poolwatch does not own the connections of (a workload's). Migrated on first use,
     * so a database that is down at start-up delays the outbox instead of stopping poolwatch.
     *
     * @param name for people: {@code workload main}
     */
    public static JdbcOutbox on(DataSource dataSource, DatabaseKind kind, String name) {
        return new JdbcOutbox(Database.on(dataSource, kind, name));
    }

    /** The database the outbox's table is in, with poolwatch's other tables. */
    public Database database() {
        return database;
    }

    /** Creates or updates poolwatch's tables; idempotent, and safe while other poolwatch processes do the same. */
    public void migrate() {
        try {
            database.migrate();
        } catch (StoreException e) {
            throw new OutboxException(e.getMessage(), e.getCause());
        }
    }

    private <T> T inTransaction(String what, Database.Work<T> work) {
        try {
            return database.inTransaction(what, work);
        } catch (StoreException e) {
            throw new OutboxException(e.getMessage(), e.getCause());
        }
    }

    @Override
    public boolean add(Notification n) {
        String insert = "INSERT INTO " + table
                + " (id, receiver, group_key, status, alerts, body, created_at, state, attempts, "
                + "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)";
        Optional<String> ignoringDuplicates = database.kind().dialect().onDuplicateKeyIgnore("id");
        if (ignoringDuplicates.isPresent()) {
            return inTransaction("storing notification " + n.id(),
                    c -> insert(c, insert + ignoringDuplicates.get(), n) == 1);
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
        return database.location(table);
    }

    /** Closes the database: the local file, or nothing for a workload's (its registry closes the pool). */
    @Override
    public void close() {
        database.close();
    }
}
