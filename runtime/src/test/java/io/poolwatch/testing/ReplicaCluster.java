package io.poolwatch.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Assumptions;

/**
 * Streaming standbys of the test PostgreSQL, for the read-replica tests: each made with {@code pg_basebackup -R} from
 * the server on 127.0.0.1:5432 into a temporary directory and started with {@code pg_ctl} on a free loopback port (no
 * other address, its socket in that directory). They are made once per JVM and shared; the JVM's exit stops and
 * removes them, and so does a watchdog process when the JVM dies without running its hooks, or after an hour at most.
 * <p>
 * Where they cannot be made (the test PostgreSQL is a container or an embedded one, no server binaries of the primary's
 * major version, replication connections refused) the tests are skipped with the reason, unless
 * {@code REPLICA_REQUIRED=true} (as {@code .ci/run} sets), where they fail. Test code may run in more than one class
 * loader (one per Quarkus application), so the standbys are found through a system property, under a lock every
 * class loader shares.
 */
public final class ReplicaCluster {

    private static final Logger LOG = Logger.getLogger(ReplicaCluster.class);

    /** How many standbys the tests get. */
    public static final int STANDBYS = 2;

    /** A string literal is interned once per JVM: the same monitor in every class loader. */
    private static final String LOCK = "io.poolwatch.testing.ReplicaCluster";
    // Outside poolwatch.*: every key there must map to the configuration.
    private static final String STATE = "io.poolwatch.testing.ReplicaCluster.state";
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration LONGEST_LIFE = Duration.ofHours(1);
    private static final String PRIMARY_HOST = "127.0.0.1";

    private ReplicaCluster() {
    }

    /** One standby: a PostgreSQL streaming from the test server, in its own data directory, on its own port. */
    public record Standby(int number, int port, Path dataDirectory, Path log, Path binaries, String owner) {

        /** JDBC URL of the test database on this standby. */
        public String jdbcUrl() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + TestDatabases.DATABASE;
        }

        /** The same in the seed's DB_READ_REPLICAS form, with the primary's test user and (unused, trust) password. */
        public String seedUrl() {
            TestDatabases.Server pg = TestDatabases.postgres();
            return "postgresql://" + pg.user() + ":" + pg.password() + "@127.0.0.1:" + port + "/" + TestDatabases.DATABASE;
        }

        /** The {@code host:port/name} label poolwatch gives this standby's test database. */
        public String label() {
            return "127.0.0.1:" + port + "/" + TestDatabases.DATABASE;
        }

        /** A connection of the test itself, as the superuser. */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(), "postgres", "");
        }

        /** Whether the server is running ({@code pg_ctl status}). */
        public boolean running() {
            return exitCode(List.of(binaries.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(), "status"),
                    owner) == 0;
        }

        /** Stops it (fast shutdown: sessions are ended); nothing when it is not running. */
        public void stop() {
            if (running()) {
                run(List.of(binaries.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(), "-m", "fast", "-w", "-t",
                        "60", "stop"),
                        owner);
            }
        }

        /** Starts it and waits until it accepts connections; nothing when it is running. */
        public void start() {
            if (!running()) {
                run(List.of(binaries.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(), "-l", log.toString(), "-w",
                        "-t", "60",
                        "start"), owner);
            }
        }

        /** Promotes it to a primary ({@code pg_ctl promote}, waiting until it takes writes). */
        public void promote() {
            run(List.of(binaries.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(), "-w", "-t", "60", "promote"),
                    owner);
        }

        /** Pauses replay: WAL is still received, nothing is applied until {@link #resumeReplay()}. */
        public void pauseReplay() throws SQLException {
            execute("SELECT pg_wal_replay_pause()");
        }

        public void resumeReplay() throws SQLException {
            execute("SELECT pg_wal_replay_resume()");
        }

        /** Waits (bounded) until it has replayed everything the primary had written when this was called. */
        public void awaitReplayed() throws SQLException, InterruptedException {
            String target;
            try (Connection c = TestDatabases.postgres().connect();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text")) {
                rs.next();
                target = rs.getString(1);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try (Connection c = connect();
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("standby " + number + " did not replay up to " + target + " within 30 s");
                }
                Thread.sleep(50);
            }
        }

        /** Waits (bounded) until its WAL receiver streams from the primary. */
        void awaitStreaming() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String last = "no answer";
            while (System.nanoTime() < deadline) {
                try (Connection c = connect();
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT status FROM pg_stat_wal_receiver")) {
                    last = rs.next() ? rs.getString(1) : "no WAL receiver";
                    if ("streaming".equals(last)) {
                        return;
                    }
                } catch (SQLException e) {
                    last = e.getMessage();
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(
                    "standby " + number + " on port " + port + " is not streaming after 60 s (" + last + "); see " + log);
        }

        private void execute(String sql) throws SQLException {
            try (Connection c = connect(); Statement st = c.createStatement()) {
                st.execute(sql);
            }
        }
    }

    /** The standbys, made on first use; empty when they cannot be made here (see {@link #unavailableReason()}). */
    public static Optional<List<Standby>> available() {
        synchronized (LOCK) {
            String state = System.getProperty(STATE);
            if (state == null) {
                state = create();
                System.setProperty(STATE, state);
            }
            return decode(state);
        }
    }

    /** Why the standbys cannot be made here, when they cannot. */
    public static Optional<String> unavailableReason() {
        available();
        String state = System.getProperty(STATE);
        return state.startsWith("unavailable|") ? Optional.of(state.substring("unavailable|".length())) : Optional.empty();
    }

    /** The standbys for a test: skips it when they cannot be made, fails it instead where REPLICA_REQUIRED=true. */
    public static List<Standby> require() {
        Optional<List<Standby>> standbys = available();
        if (standbys.isPresent()) {
            return standbys.get();
        }
        String reason = unavailableReason().orElse("unknown");
        if (Boolean.parseBoolean(System.getenv("REPLICA_REQUIRED"))) {
            throw new IllegalStateException("no streaming replicas for the tests: " + reason + ", and REPLICA_REQUIRED=true");
        }
        Assumptions.abort("no streaming replicas for the tests: " + reason);
        throw new IllegalStateException("unreachable");
    }

    // --- making them -------------------------------------------------------------------------------------------------

    /** Makes and starts the standbys; the state to share, "ready|..." or "unavailable|reason". */
    private static String create() {
        TestDatabases.Server primary = TestDatabases.postgres();
        if (!PRIMARY_HOST.equals(primary.host()) || primary.port() != 5432 || !primary.source().equals("the local server")) {
            return "unavailable|the test PostgreSQL is " + primary.source() + " at " + primary.host() + ":" + primary.port()
                    + "; the replica tests stream from a server on 127.0.0.1:5432 with its binaries on this machine";
        }
        Map<String, String> settings = new LinkedHashMap<>();
        int major;
        try (Connection c = primary.connect(); Statement st = c.createStatement()) {
            for (String name : List.of("server_version_num", "wal_level", "max_wal_senders", "max_connections",
                    "max_worker_processes",
                    "max_prepared_transactions", "max_locks_per_transaction")) {
                try (ResultSet rs = st.executeQuery("SHOW " + name)) {
                    rs.next();
                    settings.put(name, rs.getString(1));
                }
            }
            major = Integer.parseInt(settings.get("server_version_num")) / 10000;
        } catch (SQLException e) {
            return "unavailable|cannot read the test PostgreSQL's settings: " + e.getMessage();
        }
        if (settings.get("wal_level").equals("minimal") || Integer.parseInt(settings.get("max_wal_senders")) < STANDBYS + 2) {
            return "unavailable|the test PostgreSQL has wal_level=" + settings.get("wal_level") + ", max_wal_senders="
                    + settings.get("max_wal_senders") + "; .ci/run sets wal_level=replica and max_wal_senders=10";
        }
        Path binaries = Path.of(System.getenv().getOrDefault("POOLWATCH_TEST_PG_BIN", "/usr/lib/postgresql/" + major + "/bin"));
        for (String tool : List.of("pg_basebackup", "pg_ctl", "postgres")) {
            if (!Files.isExecutable(binaries.resolve(tool))) {
                return "unavailable|no " + binaries.resolve(tool) + " (PostgreSQL " + major
                        + " server binaries, as the test server's; "
                        + "apt-get install postgresql-" + major + ", or set POOLWATCH_TEST_PG_BIN)";
            }
        }
        // PostgreSQL refuses to run as root: as root, the standbys run as postgres.
        String owner = isRoot() ? "postgres" : null;
        if (owner != null && exitCode(List.of("id", "-u", owner), null) != 0) {
            return "unavailable|running as root and there is no user postgres to run the standbys as";
        }
        Path base;
        try {
            base = Path.of(run(List.of("mktemp", "-d", "/tmp/poolwatch-replicas-XXXXXX"), owner).trim());
        } catch (RuntimeException e) {
            return "unavailable|cannot make a directory for the standbys: " + e.getMessage();
        }
        watchdog(base, binaries, owner);
        List<Standby> standbys = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> removeAll(standbys, base, owner), "replica-cluster-cleanup"));
        try {
            for (int n = 1; n <= STANDBYS; n++) {
                standbys.add(makeStandby(n, base, binaries, owner, settings));
            }
            for (Standby s : standbys) {
                s.awaitStreaming();
            }
        } catch (RuntimeException | IOException e) {
            LOG.warnf("making the streaming replicas failed: %s", e.getMessage());
            return "unavailable|" + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unavailable|interrupted while the standbys started";
        }
        LOG.infof("tests use %d streaming standbys of 127.0.0.1:5432 on ports %s, in %s", standbys.size(),
                standbys.stream().map(s -> Integer.toString(s.port())).toList(), base);
        StringBuilder state = new StringBuilder("ready|").append(binaries).append('|').append(owner == null ? "-" : owner);
        for (Standby s : standbys) {
            state.append('|').append(s.number()).append(',').append(s.port()).append(',').append(s.dataDirectory()).append(',')
                    .append(s.log());
        }
        return state.toString();
    }

    private static Standby makeStandby(int n, Path base, Path binaries, String owner, Map<String, String> primary)
            throws IOException {
        Path data = base.resolve("standby-" + n);
        Path log = base.resolve("standby-" + n + ".log");
        try {
            run(List.of(binaries.resolve("pg_basebackup").toString(), "-h", PRIMARY_HOST, "-p", "5432", "-U", "postgres", "-w",
                    "-D",
                    data.toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync"), owner);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "pg_basebackup from 127.0.0.1:5432 failed (.ci/run allows replication connections from "
                            + "127.0.0.1 in pg_hba.conf): " + e.getMessage(),
                    e);
        }
        int port = freePort();
        // Debian keeps the primary's configuration outside its data directory, so the copy has none: write one. A hot
        // standby needs at least the primary's values of these settings.
        StringBuilder conf = new StringBuilder();
        conf.append("listen_addresses = '127.0.0.1'\n");
        conf.append("port = ").append(port).append('\n');
        conf.append("unix_socket_directories = '").append(base).append("'\n");
        conf.append("cluster_name = 'poolwatch-standby-").append(n).append("'\n");
        conf.append("hot_standby = on\n");
        conf.append("shared_buffers = 32MB\n");
        conf.append("fsync = off\n");
        conf.append("max_standby_streaming_delay = 5s\n");
        for (String name : List.of("max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions",
                "max_locks_per_transaction")) {
            conf.append(name).append(" = ").append(primary.get(name)).append('\n');
        }
        write(data.resolve("postgresql.conf"), conf.toString(), owner);
        write(data.resolve("pg_hba.conf"),
                "local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n",
                owner);
        write(data.resolve("pg_ident.conf"), "", owner);
        Standby s = new Standby(n, port, data, log, binaries, owner);
        s.start();
        return s;
    }

    /** Stops every standby and removes the directory: at the JVM's exit. */
    private static void removeAll(List<Standby> standbys, Path base, String owner) {
        for (Standby s : standbys) {
            exitCode(List.of(s.binaries().resolve("pg_ctl").toString(), "-D", s.dataDirectory().toString(), "-m", "immediate",
                    "-w", "-t", "30",
                    "stop"), owner);
        }
        exitCode(List.of("rm", "-rf", base.toString()), owner);
    }

    /**
     * A process that outlives nothing it should not: once this JVM is gone (however it ended), or after an hour, it stops
     * the standbys and removes their directory.
     */
    private static void watchdog(Path base, Path binaries, String owner) {
        String script = """
                jvm=$1; deadline=$(( $(date +%s) + $2 )); bin=$3; base=$4
                while [ -d "/proc/$jvm" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 2; done
                for d in "$base"/standby-*; do [ -d "$d" ] && "$bin/pg_ctl" -D "$d" -m immediate -w -t 30 stop >/dev/null 2>&1; done
                rm -rf "$base"
                """;
        List<String> command = List.of("setsid", "sh", "-c", script, "replica-watchdog",
                Long.toString(ProcessHandle.current().pid()),
                Long.toString(LONGEST_LIFE.toSeconds()), binaries.toString(), base.toString());
        try {
            new ProcessBuilder(asOwner(command, owner)).directory(Path.of("/tmp").toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            LOG.warnf("no watchdog for the standbys in %s (they stop with this JVM's exit hook only): %s", base,
                    e.getMessage());
        }
    }

    // --- processes ---------------------------------------------------------------------------------------------------

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asOwner(List<String> command, String owner) {
        if (owner == null) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", owner, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Runs a command (bounded) and returns its output; throws with the output when it fails. */
    static String run(List<String> command, String owner) {
        Result r = execute(command, owner);
        if (r.exit != 0) {
            String out = r.output.strip();
            throw new IllegalStateException(String.join(" ", command) + " exited with " + r.exit
                    + (out.isEmpty() ? "" : ": " + (out.length() > 2000 ? out.substring(out.length() - 2000) : out)));
        }
        return r.output;
    }

    static int exitCode(List<String> command, String owner) {
        return execute(command, owner).exit;
    }

    private record Result(int exit, String output) {
    }

    private static Result execute(List<String> command, String owner) {
        try {
            Path out = Files.createTempFile("replica-cluster", ".out");
            try {
                Process p = new ProcessBuilder(asOwner(command, owner)).directory(Path.of("/tmp").toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile()).start();
                if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT);
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
    }

    /**
     * Writes a file a test cluster's server must read, owned by the user it runs as (also used by {@link TlsPostgresCluster}).
     */
    static void write(Path file, String text, String owner) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        if (owner != null) {
            UserPrincipal user = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner);
            Files.setOwner(file, user);
        }
    }

    /** A free port on loopback for a test cluster. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Optional<List<Standby>> decode(String state) {
        if (!state.startsWith("ready|")) {
            return Optional.empty();
        }
        String[] parts = state.split("\\|");
        Path binaries = Path.of(parts[1]);
        String owner = parts[2].equals("-") ? null : parts[2];
        List<Standby> standbys = new ArrayList<>();
        for (int i = 3; i < parts.length; i++) {
            String[] f = parts[i].split(",");
            standbys.add(
                    new Standby(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Path.of(f[2]), Path.of(f[3]), binaries, owner));
        }
        return Optional.of(List.copyOf(standbys));
    }
}
