package io.poolwatch.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The one place that decides which real database servers the tests use. PostgreSQL: a Testcontainers
 * container when a Docker engine answers, else the server on 127.0.0.1:5432, else an embedded PostgreSQL
 * started by this JVM. MariaDB: the server on 127.0.0.1:3306; tests skip with the reason when none
 * answers, unless MARIADB_REQUIRED=true (as in CI), where they fail.
 */
public final class TestDatabases {

    private static final Logger LOG = Logger.getLogger(TestDatabases.class);
    public static final String DATABASE = "poolwatch_test";

    /** A PostgreSQL server reachable from the tests. */
    public record Server(String host, int port, String user, String password, String source) {

        /** JDBC URL of the test database. */
        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + DATABASE;
        }

        /** The same database in the seed's DATABASE_URL form, password included. */
        public String seedUrl() {
            return seedUrl(DATABASE);
        }

        /** Another database of the same server in the seed's DATABASE_URL form, password included. */
        public String seedUrl(String database) {
            return "postgresql://" + user + ":" + password + "@" + host + ":" + port + "/" + database;
        }

        /** A connection of the test itself, outside every pool. */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(), user, password);
        }

        /** JDBC URL of another database on this server. */
        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        /**
         * A database of a test's own, {@code database}, dropped (with any sessions still on it) and created empty, so
         * that what the test stores there is seen by no poolwatch another test started; its data source.
         */
        public DataSource freshDatabase(String database) throws SQLException {
            dropDatabase(database);
            try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                    Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + database);
            }
            return dataSource(database);
        }

        /** Drops a database of a test's own, with any sessions still on it. */
        public void dropDatabase(String database) throws SQLException {
            try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                    Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }

        /** Runs one statement on another database of this server, outside every pool. */
        public void execute(String database, String sql) throws SQLException {
            try (Connection c = dataSource(database).getConnection(); Statement st = c.createStatement()) {
                st.execute(sql);
            }
        }

        /** A data source on another database of this server. */
        public DataSource dataSource(String database) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(jdbcUrl(database));
            ds.setUser(user);
            ds.setPassword(password);
            return ds;
        }
    }

    private static Server postgres;
    private static Boolean mariadbAnswers;

    private TestDatabases() {
    }

    /** The PostgreSQL server for this test run, chosen once. */
    public static synchronized Server postgres() {
        if (postgres == null) {
            postgres = choosePostgres();
            LOG.infof("tests use PostgreSQL from %s at %s:%d", postgres.source(), postgres.host(), postgres.port());
        }
        return postgres;
    }

    private static Server choosePostgres() {
        if (dockerAvailable()) {
            @SuppressWarnings("resource")
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine").withDatabaseName(DATABASE);
            container.start();
            // Testcontainers' Ryuk removes the container when this JVM ends.
            return new Server(container.getHost(), container.getMappedPort(5432), container.getUsername(),
                    container.getPassword(),
                    "a Testcontainers container");
        }
        if (answers("127.0.0.1", 5432)) {
            // Trust authentication: the password is never asked for, so any value works and proves it is never shown.
            Server local = new Server("127.0.0.1", 5432, "postgres", "not-a-real-secret", "the local server");
            createDatabase("jdbc:postgresql://127.0.0.1:5432/postgres", local.user(), local.password(),
                    "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'", "CREATE DATABASE " + DATABASE);
            return local;
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    // the JVM is ending; the directory is temporary
                }
            }));
            Server embedded = new Server("127.0.0.1", pg.getPort(), "postgres", "not-a-real-secret", "an embedded PostgreSQL");
            createDatabase("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres", "postgres", "",
                    "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'", "CREATE DATABASE " + DATABASE);
            return embedded;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "no PostgreSQL for the tests: no Docker, nothing on 127.0.0.1:5432, and the embedded one failed", e);
        }
    }

    /** JDBC URL of the MariaDB test database, or the test is skipped (failed where MariaDB is required). */
    public static String mariadbUrl() {
        synchronized (TestDatabases.class) {
            if (mariadbAnswers == null) {
                mariadbAnswers = answers("127.0.0.1", 3306);
                if (mariadbAnswers) {
                    createDatabase("jdbc:mariadb://127.0.0.1:3306/?user=root", "root", "",
                            "SELECT 1 FROM information_schema.schemata WHERE schema_name = '" + DATABASE + "'",
                            "CREATE DATABASE IF NOT EXISTS " + DATABASE);
                }
            }
        }
        if (!mariadbAnswers) {
            String reason = "no MariaDB answers on 127.0.0.1:3306";
            if (Boolean.parseBoolean(System.getenv("MARIADB_REQUIRED"))) {
                throw new IllegalStateException(reason + ", and MARIADB_REQUIRED=true");
            }
            Assumptions.abort(reason + "; start one (root, empty password) to run this test");
        }
        return "jdbc:mariadb://127.0.0.1:3306/" + DATABASE + "?user=root";
    }

    /** JDBC URL of a MariaDB database of a test's own, on the server {@link #mariadbUrl()} names. */
    public static String mariadbUrl(String database) {
        return mariadbUrl().replace("/" + DATABASE + "?", "/" + database + "?");
    }

    /** A MariaDB database of a test's own, {@code database}, dropped and created empty; its JDBC URL. */
    public static String freshMariadbDatabase(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(mariadbUrl()); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database);
            st.execute("CREATE DATABASE " + database);
        }
        return mariadbUrl(database);
    }

    private static void createDatabase(String adminUrl, String user, String password, String exists, String create) {
        try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(exists)) {
                if (rs.next()) {
                    return;
                }
            }
            st.execute(create);
        } catch (SQLException e) {
            // Two forks may race to create it; the loser finds it there.
            LOG.debugf("creating the test database: %s", e.getMessage());
        }
    }

    static boolean dockerAvailable() {
        if (Boolean.parseBoolean(System.getenv().getOrDefault("POOLWATCH_TEST_NO_DOCKER", "false"))) {
            return false;
        }
        // Ask Testcontainers only where an engine could be: its search otherwise logs a page of errors.
        boolean candidate = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files
                        .exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"))
                || Files
                        .exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        if (!candidate) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | Error e) {
            return false;
        }
    }

    static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Counts the sessions in the test database whose application_name is {@code applicationName}. */
    public static int sessions(Connection c, String applicationName) throws SQLException {
        try (var ps = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND datname = current_database()")) {
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Polls {@code sessions} until it equals {@code expected} or 10 s pass; returns the last count. */
    public static int awaitSessions(Server server, String applicationName, int expected)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int count;
        try (Connection c = server.connect()) {
            do {
                count = sessions(c, applicationName);
                if (count == expected) {
                    return count;
                }
                Thread.sleep(50);
            } while (System.nanoTime() < deadline);
        }
        return count;
    }

}
