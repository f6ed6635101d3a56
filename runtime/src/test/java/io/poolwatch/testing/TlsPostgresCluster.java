package io.poolwatch.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL cluster of its own for the TLS tests: a self-signed CA and a server certificate for {@code localhost} and
 * 127.0.0.1 made with the {@code openssl} command, a second CA that signed nothing, {@code initdb} into a temporary
 * directory, {@code ssl=on}, listening on 127.0.0.1 and 127.0.0.2 (an address the certificate does not name) on a free
 * port, with TLS and plain connections both allowed. Made once per JVM; stopped and removed at the JVM's exit, or by a
 * watchdog when the JVM dies without running its hooks, or after an hour.
 * <p>
 * Where it cannot be made (no PostgreSQL server binaries, no openssl) the tests are skipped with the reason, unless
 * {@code REPLICA_REQUIRED=true} (as {@code .ci/run} sets, for every test that needs server binaries), where they fail.
 */
public final class TlsPostgresCluster {

    private static final Logger LOG = Logger.getLogger(TlsPostgresCluster.class);
    private static final String LOCK = "io.poolwatch.testing.TlsPostgresCluster";
    private static final String STATE = "io.poolwatch.testing.TlsPostgresCluster.state";

    /** The address the certificate does not name: same server, another loopback address. */
    public static final String UNNAMED_ADDRESS = "127.0.0.2";

    private TlsPostgresCluster() {
    }

    /**
     * The running cluster.
     *
     * @param port its port on 127.0.0.1 and 127.0.0.2
     * @param caFile the CA that signed the server's certificate (PEM)
     * @param otherCaFile a CA that signed nothing the server has (PEM)
     */
    public record Server(int port, Path caFile, Path otherCaFile) {

        /** A JDBC URL of database postgres on this server, through {@code host}. */
        public String jdbcUrl(String host) {
            return "jdbc:postgresql://" + host + ":" + port + "/postgres";
        }
    }

    /** The cluster for a test: skips it when it cannot be made here, fails it instead where REPLICA_REQUIRED=true. */
    public static Server require() {
        String state;
        synchronized (LOCK) {
            state = System.getProperty(STATE);
            if (state == null) {
                state = create();
                System.setProperty(STATE, state);
            }
        }
        if (state.startsWith("ready|")) {
            String[] f = state.split("\\|");
            return new Server(Integer.parseInt(f[1]), Path.of(f[2]), Path.of(f[3]));
        }
        String reason = state.substring("unavailable|".length());
        if (Boolean.parseBoolean(System.getenv("REPLICA_REQUIRED"))) {
            throw new IllegalStateException("no PostgreSQL with TLS for the tests: " + reason + ", and REPLICA_REQUIRED=true");
        }
        Assumptions.abort("no PostgreSQL with TLS for the tests: " + reason);
        throw new IllegalStateException("unreachable");
    }

    private static String create() {
        Optional<Path> binaries = PostgresBinaries.find();
        if (binaries.isEmpty()) {
            String where = System.getenv("POOLWATCH_TEST_PG_BIN") != null
                    ? "in POOLWATCH_TEST_PG_BIN=" + System.getenv("POOLWATCH_TEST_PG_BIN")
                    : "under /usr/lib/postgresql/<version>/bin";
            return "unavailable|no PostgreSQL server binaries (initdb, pg_ctl, postgres) " + where
                    + "; apt-get install postgresql, or set POOLWATCH_TEST_PG_BIN";
        }
        if (ReplicaCluster.exitCode(List.of("openssl", "version"), null) != 0) {
            return "unavailable|no openssl command to make the certificates (apt-get install openssl)";
        }
        // PostgreSQL refuses to run as root: as root, the cluster runs as postgres.
        String owner = "root".equals(System.getProperty("user.name")) ? "postgres" : null;
        if (owner != null && ReplicaCluster.exitCode(List.of("id", "-u", owner), null) != 0) {
            return "unavailable|running as root and there is no user postgres to run the cluster as";
        }
        Path bin = binaries.get();
        Path base;
        try {
            base = Path.of(ReplicaCluster.run(List.of("mktemp", "-d", "/tmp/poolwatch-tls-XXXXXX"), owner).trim());
        } catch (RuntimeException e) {
            return "unavailable|cannot make a directory for the cluster: " + e.getMessage();
        }
        Path data = base.resolve("data");
        PostgresBinaries.watchdog("tls-cluster-watchdog", base, bin, owner);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ReplicaCluster.exitCode(
                    List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "-t", "30",
                            "stop"),
                    owner);
            ReplicaCluster.exitCode(List.of("rm", "-rf", base.toString()), owner);
        }, "tls-cluster-cleanup"));
        try {
            certificates(base, owner);
            ReplicaCluster.run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8",
                    "--no-sync"), owner);
            int port = freePort();
            String conf = "listen_addresses = '127.0.0.1," + UNNAMED_ADDRESS + "'\n"
                    + "port = " + port + "\n"
                    + "unix_socket_directories = '" + base + "'\n"
                    + "ssl = on\n"
                    + "ssl_cert_file = '" + base.resolve("server.crt") + "'\n"
                    + "ssl_key_file = '" + base.resolve("server.key") + "'\n"
                    + "max_connections = 20\nshared_buffers = 16MB\nfsync = off\n";
            Files.writeString(data.resolve("postgresql.conf"), conf, StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
            write(data.resolve("pg_hba.conf"),
                    "local all all trust\nhostssl all all 127.0.0.0/8 trust\nhostnossl all all 127.0.0.0/8 trust\n",
                    owner);
            ReplicaCluster.run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                    base.resolve("server.log").toString(),
                    "-w", "-t", "60", "start"), owner);
            LOG.infof("TLS tests use PostgreSQL from %s on 127.0.0.1:%d and %s:%d, in %s", bin, port, UNNAMED_ADDRESS, port,
                    base);
            return "ready|" + port + "|" + base.resolve("ca.crt") + "|" + base.resolve("other-ca.crt");
        } catch (RuntimeException | IOException e) {
            LOG.warnf("making the PostgreSQL cluster with TLS failed: %s", e.getMessage());
            return "unavailable|" + e.getMessage();
        }
    }

    /** The CA, the server's key and certificate (signed by the CA, naming localhost and 127.0.0.1), and an unrelated CA. */
    private static void certificates(Path base, String owner) throws IOException {
        String dir = base.toString();
        List<String> ec = List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes");
        for (String ca : List.of("ca", "other-ca")) {
            List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-x509"));
            cmd.addAll(ec);
            cmd.addAll(List.of("-keyout", dir + "/" + ca + ".key", "-out", dir + "/" + ca + ".crt", "-days", "2", "-subj",
                    "/CN=poolwatch test " + ca));
            ReplicaCluster.run(cmd, owner);
        }
        List<String> csr = new ArrayList<>(List.of("openssl", "req"));
        csr.addAll(ec);
        csr.addAll(List.of("-keyout", dir + "/server.key", "-out", dir + "/server.csr", "-subj", "/CN=localhost"));
        ReplicaCluster.run(csr, owner);
        write(base.resolve("server.ext"), "subjectAltName = DNS:localhost, IP:127.0.0.1\n", owner);
        ReplicaCluster.run(List.of("openssl", "x509", "-req", "-in", dir + "/server.csr", "-CA", dir + "/ca.crt", "-CAkey",
                dir + "/ca.key",
                "-CAcreateserial", "-out", dir + "/server.crt", "-days", "2", "-extfile", dir + "/server.ext"), owner);
        // The server refuses a key others can read.
        ReplicaCluster.run(List.of("chmod", "600", dir + "/server.key"), owner);
    }

    private static void write(Path file, String text, String owner) throws IOException {
        ReplicaCluster.write(file, text, owner);
    }

    private static int freePort() throws IOException {
        return ReplicaCluster.freePort();
    }
}
