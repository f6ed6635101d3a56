package io.poolwatch.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcConnectionPool;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.engine.Transactions;

/**
 * poolwatch's tables in one database: the local H2 file, or a workload's database whose connections its registry owns.
 * Every store (outbox, silences, audit, check cursors, alert state) reads and writes its table through one of these:
 * the tables are created by {@link Schema} before the first transaction, table names come from {@link #table(String)},
 * and a failure names what was being done and where.
 */
public final class Database implements AutoCloseable {

    /** Connections to the local file held by the process that owns it (the outbox's delivery and the stores). */
    private static final int OWNER_CONNECTIONS = 8;
    /** Connections to the local file held by a store that shares it (the alert state, saved now and then). */
    private static final int SHARED_CONNECTIONS = 2;

    private final DataSource dataSource;
    private final DatabaseKind kind;
    private final String location;
    /** The pool of the local file, when this opened one; null for a workload's database. */
    private final JdbcConnectionPool ownPool;
    /** Whether close() shuts the local file down (its owner), or only lets go of this one's connections. */
    private final boolean ownsFile;
    private volatile boolean migrated;
    private boolean closed;

    /**
     * Fired as a CDI event when the process opens its tables for alerting (the outbox's database), so that each feature
     * keeping rows there attaches its store without knowing who opened them.
     */
    public record Opened(Database database) {
    }

    private Database(DataSource dataSource, DatabaseKind kind, String location, JdbcConnectionPool ownPool,
            boolean ownsFile) {
        this.dataSource = dataSource;
        this.kind = kind;
        this.location = location;
        this.ownPool = ownPool;
        this.ownsFile = ownsFile;
    }

    /**
     * The JDBC URL of the local H2 file in {@code dir}. Closed by {@link #close()} (SHUTDOWN), not by H2's own shutdown
     * hook, which could run while the delivery worker still writes; WRITE_DELAY=0 writes each commit to the file at once.
     */
    public static String h2FileUrl(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("outbox") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    /**
     * The local file {@code <directory>/outbox.mv.db}, created with the directory when missing; this process owns it, and
     * {@link #close()} shuts it down. Only one process can have the file open. Nothing is migrated before first use.
     *
     * @throws StoreException when the directory cannot be created
     */
    public static Database h2File(Path directory) {
        return h2File(directory, OWNER_CONNECTIONS, true);
    }

    /**
     * The local file that {@link #h2File(Path)} opens, shared with it in this process: {@link #close()} lets go of this
     * one's connections and leaves the file to its owner.
     */
    public static Database h2FileShared(Path directory) {
        return h2File(directory, SHARED_CONNECTIONS, false);
    }

    private static Database h2File(Path directory, int connections, boolean ownsFile) {
        Path dir = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create the outbox directory " + dir + ": " + e, e);
        }
        JdbcConnectionPool pool = JdbcConnectionPool.create(h2FileUrl(dir), "poolwatch", "");
        pool.setMaxConnections(connections);
        return new Database(pool, DatabaseKind.H2, "H2 file " + dir.resolve("outbox.mv.db"), pool, ownsFile);
    }

    /**
     * A workload's database, whose pool is its registry's to close. Migrated on first use, so a database that is down at
     * start-up delays the stores instead of stopping poolwatch.
     *
     * @param name for people: {@code workload main}
     */
    public static Database on(DataSource dataSource, DatabaseKind kind, String name) {
        return new Database(dataSource, kind, name, null, false);
    }

    public DatabaseKind kind() {
        return kind;
    }

    /** For people: {@code workload main} or {@code H2 file /var/lib/poolwatch/outbox.mv.db}. */
    public String location() {
        return location;
    }

    /** For people, where one table is: {@code workload main, table poolwatch.outbox}. */
    public String location(String table) {
        return location + ", table " + table;
    }

    /** The name of one of poolwatch's tables on this engine: {@code poolwatch.outbox} or {@code poolwatch_outbox}. */
    public String table(String name) {
        return Schema.table(kind, name);
    }

    /**
     * Creates or updates the tables; idempotent, and safe while other poolwatch processes do the same (Flyway locks).
     *
     * @throws StoreException when the migrations cannot be run
     */
    public synchronized void migrate() {
        if (migrated) {
            return;
        }
        try {
            Schema.migrate(dataSource, kind, location);
            migrated = true;
        } catch (Schema.MigrationException e) {
            throw new StoreException(e.getMessage(), e.getCause());
        }
    }

    /** Work done on a transaction's connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction, after migrating the tables if that is still to do.
     *
     * @param what for people, in the message of a failure: {@code storing silence 7}
     * @throws StoreException when the database refuses; nothing of the work is kept
     */
    public <T> T inTransaction(String what, Work<T> work) {
        if (!migrated) {
            migrate();
        }
        try {
            return Transactions.once(dataSource, work::run);
        } catch (SQLException e) {
            throw new StoreException(what + " failed (" + location + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // Work declares SQLException alone; kept for the compiler.
            throw new StoreException(what + " failed (" + location + "): " + e, e);
        }
    }

    /** Closes the local file, or this one's connections to it; a workload's pool is its registry's. */
    @Override
    public synchronized void close() {
        if (ownPool == null || closed) {
            return;
        }
        closed = true;
        if (!ownsFile) {
            ownPool.dispose();
            return;
        }
        try (Connection c = ownPool.getConnection(); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN");
        } catch (SQLException e) {
            // Already closed, or closing anyway: the pool goes next.
        } finally {
            ownPool.dispose();
        }
    }
}
