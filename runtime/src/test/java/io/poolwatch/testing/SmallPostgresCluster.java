package io.poolwatch.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL cluster of one test's own, with few connection slots ({@code max_connections} and
 * {@code superuser_reserved_connections} as asked), so a test can fill it, stop it and restart it: {@code initdb} into a
 * temporary directory as user postgres, listening only on 127.0.0.1 on a free port, trust authentication, and a
 * non-superuser role {@link #ROLE} that owns database {@link #DATABASE} (superusers may use the reserved slots; the
 * workloads under test must not). Stopped and removed by {@link #close()}, at the JVM's exit, or by a watchdog when the
 * JVM dies without running its hooks, or after an hour.
 * <p>
 * Where it cannot be made (no PostgreSQL server binaries) the test is skipped with the reason, unless
 * {@code REPLICA_REQUIRED=true}, where it fails.
 */
public final class SmallPostgresCluster implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SmallPostgresCluster.class);

    /** The role the workloads and poolwatch use: not a superuser. */
    public static final String ROLE = "app";
    /** The database the role owns. */
    public static final String DATABASE = "app";

    private final Path bin;
    private final Path base;
    private final Path data;
    private final String owner;
    private final int port;
    private final Thread hook;

    private SmallPostgresCluster(Path bin, Path base, String owner, int port) {
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.owner = owner;
        this.port = port;
        this.hook = new Thread(this::remove, "small-cluster-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Makes a cluster (initdb, the role and its database) and leaves it running; skips the test where it cannot be made.
     */
    public static SmallPostgresCluster create(int maxConnections, int superuserReserved) {
        Optional<Path> binaries = PostgresBinaries.find();
        if (binaries.isEmpty()) {
            return unavailable(
                    "no PostgreSQL server binaries (initdb, pg_ctl, postgres) under /usr/lib/postgresql/<version>/bin "
                            + "or in POOLWATCH_TEST_PG_BIN");
        }
        String owner = "root".equals(System.getProperty("user.name")) ? "postgres" : null;
        if (owner != null && ReplicaCluster.exitCode(List.of("id", "-u", owner), null) != 0) {
            return unavailable("running as root and there is no user postgres to run the cluster as");
        }
        Path base = Path.of(ReplicaCluster.run(List.of("mktemp", "-d", "/tmp/poolwatch-small-XXXXXX"), owner).trim());
        PostgresBinaries.watchdog("small-cluster-watchdog", base, binaries.get(), owner);
        SmallPostgresCluster cluster;
        try {
            cluster = new SmallPostgresCluster(binaries.get(), base, owner, ReplicaCluster.freePort());
        } catch (IOException e) {
            ReplicaCluster.exitCode(List.of("rm", "-rf", base.toString()), owner);
            throw new IllegalStateException(e);
        }
        try {
            ReplicaCluster.run(List.of(cluster.bin.resolve("initdb").toString(), "-D", cluster.data.toString(), "-U",
                    "postgres", "-A", "trust",
                    "-E", "UTF8", "--no-sync"), owner);
            String conf = "listen_addresses = '127.0.0.1'\nport = " + cluster.port + "\nunix_socket_directories = '" + base
                    + "'\n"
                    + "max_connections = " + maxConnections + "\nsuperuser_reserved_connections = " + superuserReserved + "\n"
                    + "shared_buffers = 16MB\nfsync = off\nsynchronous_commit = off\n";
            Files.writeString(cluster.data.resolve("postgresql.conf"), conf, StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
            ReplicaCluster.write(cluster.data.resolve("pg_hba.conf"),
                    "local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n", owner);
            cluster.start();
            try (Connection c = cluster.connectAsSuperuser("postgres"); Statement st = c.createStatement()) {
                st.execute("CREATE ROLE " + ROLE + " LOGIN");
                st.execute("CREATE DATABASE " + DATABASE + " OWNER " + ROLE);
            }
            try (Connection c = cluster.connectAsSuperuser(DATABASE); Statement st = c.createStatement()) {
                st.execute(
                        "CREATE TABLE ticks (id bigserial PRIMARY KEY, worker int NOT NULL, at timestamptz NOT NULL DEFAULT now())");
                st.execute("ALTER TABLE ticks OWNER TO " + ROLE);
            }
            LOG.infof("small PostgreSQL cluster (max_connections %d, %d reserved) on 127.0.0.1:%d in %s", maxConnections,
                    superuserReserved,
                    cluster.port, base);
            return cluster;
        } catch (RuntimeException | IOException | SQLException e) {
            cluster.close();
            throw new IllegalStateException("making the small PostgreSQL cluster failed: " + e.getMessage(), e);
        }
    }

    private static SmallPostgresCluster unavailable(String reason) {
        if (Boolean.parseBoolean(System.getenv("REPLICA_REQUIRED"))) {
            throw new IllegalStateException(
                    "no own PostgreSQL cluster for the test: " + reason + ", and REPLICA_REQUIRED=true");
        }
        Assumptions.abort("no own PostgreSQL cluster for the test: " + reason);
        throw new IllegalStateException("unreachable");
    }

    public int port() {
        return port;
    }

    /** The seed form of the role's database URL (trust: the password is not checked). */
    public String seedUrl() {
        return "postgresql://" + ROLE + ":unused@127.0.0.1:" + port + "/" + DATABASE;
    }

    /** The {@code host:port/name} label poolwatch gives the role's database. */
    public String label() {
        return "127.0.0.1:" + port + "/" + DATABASE;
    }

    /** A connection of the test itself as the superuser (which may use the reserved slots). */
    public Connection connectAsSuperuser(String database) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?ApplicationName=test-observer",
                "postgres", "");
    }

    /**
     * Makes a streaming standby of this cluster ({@code pg_basebackup -R}, as {@link ReplicaCluster} does of the test
     * server) in this cluster's directory, on a free port, and starts it; {@link #close()} stops and removes it with the
     * cluster. The cluster's role, database and table are on it.
     */
    public ReplicaCluster.Standby standby() {
        Path standbyData = base.resolve("standby");
        ReplicaCluster.run(List.of(bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-U", "postgres", "-w", "-D", standbyData.toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync"),
                owner);
        int standbyPort;
        try {
            standbyPort = ReplicaCluster.freePort();
            // The copy has this cluster's postgresql.conf: a later line wins, so only the port changes.
            Files.writeString(standbyData.resolve("postgresql.conf"), "port = " + standbyPort + "\nhot_standby = on\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ReplicaCluster.Standby s = new ReplicaCluster.Standby(1, standbyPort, standbyData, base.resolve("standby.log"), bin,
                owner);
        s.start();
        LOG.infof("standby of 127.0.0.1:%d on 127.0.0.1:%d", port, standbyPort);
        return s;
    }

    /** Stops it at once, as a crash would ({@code pg_ctl -m immediate}); nothing when it is not running. */
    public void crash() {
        if (running()) {
            ReplicaCluster.run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "-t",
                    "60", "stop"), owner);
        }
    }

    /** Whether the server is running ({@code pg_ctl status}). */
    public boolean running() {
        return ReplicaCluster.exitCode(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "status"), owner) == 0;
    }

    /** Starts it and waits until it accepts connections; nothing when it runs. */
    public void start() {
        if (!running()) {
            ReplicaCluster.run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                    base.resolve("server.log").toString(),
                    "-w", "-t", "60", "start"), owner);
        }
    }

    /** Stops it (fast shutdown: every session is ended); nothing when it is not running. */
    public void stop() {
        if (running()) {
            ReplicaCluster.run(
                    List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop"),
                    owner);
        }
    }

    /** Stops and removes it. Safe to call twice. */
    @Override
    public void close() {
        remove();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs (or ran) the same removal
        }
    }

    private synchronized void remove() {
        Path standbyData = base.resolve("standby");
        if (Files.isDirectory(standbyData)) {
            ReplicaCluster.exitCode(List.of(bin.resolve("pg_ctl").toString(), "-D", standbyData.toString(), "-m", "immediate",
                    "-w", "-t", "30", "stop"), owner);
        }
        if (Files.isDirectory(data)) {
            ReplicaCluster.exitCode(
                    List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "-t", "30",
                            "stop"),
                    owner);
        }
        ReplicaCluster.exitCode(List.of("rm", "-rf", base.toString()), owner);
    }

}
