package io.poolwatch.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A real PgBouncer (Debian's {@code /usr/sbin/pgbouncer}, which {@code .ci/run} installs) in front of the test
 * PostgreSQL, started by a test on a free loopback port with a generated configuration, and stopped by {@link #close()}.
 * <p>
 * Its {@code pgbouncer.ini} and {@code userlist.txt} are written to a temporary directory: {@code listen_addr=127.0.0.1},
 * no Unix socket, {@code auth_type=md5} (or {@link Builder#authType}) with plain-text passwords in the auth file, an admin user
 * and a stats user for
 * the console, {@code ignore_startup_parameters=extra_float_digits} so that pgjdbc clients can use the normal
 * databases, and the databases {@link #DATABASE} (and {@code <DATABASE>_1 ... _n} with {@link Builder#extraDatabases})
 * pointing at the test PostgreSQL with the pool size and mode asked for. PgBouncer runs in the foreground as a child of
 * this JVM; as root (CI) it runs as the {@code postgres} user through {@code setpriv}, which execs it in place, so the
 * child is PgBouncer itself and stopping the child stops it.
 *
 * <pre>
 * try (PgBouncerServer bouncer = PgBouncerServer.builder().poolSize(1).start()) {
 *     String url = bouncer.consoleUrl();           // postgresql://127.0.0.1:PORT/pgbouncer
 *     bouncer.statsUser(); bouncer.statsPassword(); // the console's credentials (stats_users)
 *     try (Connection c = bouncer.connect()) { ... } // pgjdbc, through PgBouncer, to poolwatch_test
 *     bouncer.stop(); bouncer.restart();            // the same port again
 * }
 * </pre>
 */
public final class PgBouncerServer extends ProcessServer {

    /** Debian's PgBouncer. */
    public static final Path BINARY = Path.of("/usr/sbin/pgbouncer");
    /** The database clients reach through PgBouncer (an alias of the test database). */
    public static final String DATABASE = TestDatabases.DATABASE;
    /** The user the clients log in as (the test PostgreSQL's, which PgBouncer passes on). */
    public static final String CLIENT_USER = "postgres";
    private static final long START_TIMEOUT_MS = 10_000;
    private static final long STOP_TIMEOUT_MS = 5_000;

    /** What to generate; every setting has a default. */
    public static final class Builder {
        private int poolSize = 5;
        private String poolMode = "session";
        private int maxClientConn = 100;
        private int extraDatabases;
        private int port;
        private String authType = "md5";
        private String statsUser = "pwstats_" + UUID.randomUUID().toString().substring(0, 8);
        private String statsPassword = "stats-" + UUID.randomUUID();
        private String otherUser = "pwother_" + UUID.randomUUID().toString().substring(0, 8);
        private String otherPassword = "other-" + UUID.randomUUID();

        private Builder() {
        }

        /** {@code pool_size} of each database (default 5). */
        public Builder poolSize(int size) {
            this.poolSize = size;
            return this;
        }

        /** {@code pool_mode}: session (default), transaction or statement. */
        public Builder poolMode(String mode) {
            this.poolMode = mode;
            return this;
        }

        /** {@code max_client_conn} (default 100). */
        public Builder maxClientConn(int max) {
            this.maxClientConn = max;
            return this;
        }

        /** This many more databases, {@code DATABASE_1 ... DATABASE_n}, each its own pool on the same test database. */
        public Builder extraDatabases(int n) {
            this.extraDatabases = n;
            return this;
        }

        /**
         * {@code auth_type}: md5 (default), scram-sha-256, plain or trust; the auth file holds plain-text passwords, which each
         * takes.
         */
        public Builder authType(String type) {
            this.authType = type;
            return this;
        }

        /** A fixed port instead of a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Generates the configuration and starts PgBouncer; returns once it accepts connections. */
        public PgBouncerServer start() throws IOException, InterruptedException {
            Assumptions.assumeTrue(available(), BINARY + " is not installed (.ci/run installs Debian's pgbouncer)");
            return ServerProcess.startOnFreePort(port > 0, () -> new PgBouncerServer(this), PgBouncerServer::begin);
        }
    }

    private final Builder settings;

    private PgBouncerServer(Builder b) throws IOException {
        super("pgbouncer", b.port, Files.createTempDirectory("pgbouncer-test-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))), "stdout.txt");
        this.settings = b;
        write();
    }

    /** A builder with the defaults: pool size 5, session mode, max_client_conn 100, a free port. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether PgBouncer is installed here; tests skip without it. */
    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** 127.0.0.1. */
    public String host() {
        return "127.0.0.1";
    }

    /** {@code 127.0.0.1:<port>}. */
    public String address() {
        return host() + ":" + port;
    }

    /** The admin console: {@code postgresql://127.0.0.1:<port>/pgbouncer}, the form poolwatch's url key takes. */
    public String consoleUrl() {
        return "postgresql://" + address() + "/pgbouncer";
    }

    /** A user in {@code stats_users}, for poolwatch's {@code username}. */
    public String statsUser() {
        return settings.statsUser;
    }

    /** Its password. */
    public String statsPassword() {
        return settings.statsPassword;
    }

    /** A user PgBouncer knows (in its auth file) but not in {@code stats_users} nor {@code admin_users}. */
    public String otherUser() {
        return settings.otherUser;
    }

    public String otherPassword() {
        return settings.otherPassword;
    }

    /** pgjdbc's URL of a database through PgBouncer ({@link #DATABASE}, or one of the extra ones). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + address() + "/" + database;
    }

    /** A pgjdbc connection through PgBouncer to {@link #DATABASE}, as {@link #CLIENT_USER}. */
    public Connection connect() throws SQLException {
        return connect(DATABASE);
    }

    /** A pgjdbc connection through PgBouncer to {@code database} (one of {@link #databases()}). */
    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", CLIENT_USER);
        p.setProperty("password", clientPassword());
        p.setProperty("ApplicationName", "pgbouncer-test");
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(jdbcUrl(database), p);
    }

    /** The databases PgBouncer serves (besides its console). */
    public List<String> databases() {
        List<String> out = new ArrayList<>();
        out.add(DATABASE);
        for (int i = 1; i <= settings.extraDatabases; i++) {
            out.add(DATABASE + "_" + i);
        }
        return out;
    }

    /** Starts PgBouncer again on the same port with the same configuration. */
    public synchronized void restart() throws IOException, InterruptedException {
        stop();
        begin();
    }

    /** What PgBouncer logged (the last 4000 characters) to its log file, for failure messages. */
    @Override
    public String log() {
        return ServerProcess.tail(dir.resolve("pgbouncer.log"));
    }

    private void begin() throws IOException, InterruptedException {
        // PgBouncer refuses to run as root.
        process.start(ServerProcess.asPostgresWhenRoot(List.of(BINARY.toString(), dir.resolve("pgbouncer.ini").toString())),
                Duration.ofMillis(START_TIMEOUT_MS), this::accepts);
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void write() throws IOException {
        TestDatabases.Server pg = TestDatabases.postgres();
        StringBuilder ini = new StringBuilder("[databases]\n");
        for (String db : databases()) {
            ini.append(db).append(" = host=").append(pg.host()).append(" port=").append(pg.port()).append(" dbname=")
                    .append(DATABASE)
                    .append(" user=").append(pg.user()).append(" password=").append(pg.password()).append(" pool_size=")
                    .append(settings.poolSize).append('\n');
        }
        ini.append("\n[pgbouncer]\n")
                .append("listen_addr = 127.0.0.1\n")
                .append("listen_port = ").append(port).append('\n')
                .append("unix_socket_dir =\n")
                .append("auth_type = ").append(settings.authType).append('\n')
                .append("auth_file = ").append(dir.resolve("userlist.txt")).append('\n')
                .append("admin_users = pwadmin\n")
                .append("stats_users = ").append(settings.statsUser).append('\n')
                .append("pool_mode = ").append(settings.poolMode).append('\n')
                .append("default_pool_size = ").append(settings.poolSize).append('\n')
                .append("max_client_conn = ").append(settings.maxClientConn).append('\n')
                .append("ignore_startup_parameters = extra_float_digits\n")
                .append("server_login_retry = 1\n")
                .append("logfile = ").append(dir.resolve("pgbouncer.log")).append('\n')
                .append("pidfile = ").append(dir.resolve("pgbouncer.pid")).append('\n');
        String users = "\"pwadmin\" \"admin-" + UUID.randomUUID() + "\"\n"
                + "\"" + settings.statsUser + "\" \"" + settings.statsPassword + "\"\n"
                + "\"" + settings.otherUser + "\" \"" + settings.otherPassword + "\"\n"
                + "\"" + CLIENT_USER + "\" \"" + clientPassword() + "\"\n";
        Files.writeString(dir.resolve("pgbouncer.ini"), ini.toString(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("userlist.txt"), users, StandardCharsets.UTF_8);
        if (ServerProcess.root()) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.toList()) {
                    Files.setOwner(p, postgres);
                }
            }
        }
    }

    /** The password clients give PgBouncer: the test server's (PgBouncer logs in to it with the same). */
    private static String clientPassword() {
        return TestDatabases.postgres().password();
    }
}
