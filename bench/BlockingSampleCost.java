import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.observed.BlockingReader;
import io.poolwatch.observed.BlockingSnapshot;

/**
 * The cost of one blocking sample (bench/blocking-sample.sh runs it): BlockingReader.read over one kept connection, as
 * poolwatch's monitoring pool keeps it, with no session blocked and then with N real sessions waiting on a row one
 * session holds (N + 1 extra connections). Every waiter has a lock timeout, and the row is released and every session
 * closed however the run ends.
 */
public class BlockingSampleCost {

    public static void main(String[] args) throws Exception {
        String url = env("BENCH_URL", "jdbc:postgresql://127.0.0.1:5432/poolwatch_test?user=postgres");
        int samples = Integer.parseInt(env("SAMPLES", "500"));
        int warmup = Integer.parseInt(env("WARMUP", "200"));
        System.out.printf("%-8s %8s %10s %10s %10s %s%n", "blocked", "samples", "median", "p95", "max", "tree");
        for (String n : env("BLOCKED", "0 50").trim().split("\\s+")) {
            run(url, Integer.parseInt(n), warmup, samples);
        }
    }

    private static void run(String url, int blocked, int warmup, int samples) throws Exception {
        String table = "bench_blocking_" + UUID.randomUUID().toString().substring(0, 8);
        List<Connection> sessions = new ArrayList<>();
        ExecutorService waiters = Executors.newFixedThreadPool(Math.max(1, blocked));
        try (Connection monitor = DriverManager.getConnection(url)) {
            try (Statement st = monitor.createStatement()) {
                st.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, v int NOT NULL)");
                st.execute("INSERT INTO " + table + " VALUES (1, 0)");
            }
            try {
                if (blocked > 0) {
                    Connection holder = session(url, sessions);
                    try (Statement st = holder.createStatement()) {
                        st.executeUpdate("UPDATE " + table + " SET v = 1 WHERE id = 1");
                    }
                    for (int i = 0; i < blocked; i++) {
                        Connection w = session(url, sessions);
                        waiters.submit(() -> {
                            try (Statement st = w.createStatement()) {
                                st.executeUpdate("UPDATE " + table + " SET v = 2 WHERE id = 1");
                            }
                            return null;
                        });
                    }
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (read(monitor).blockedSessions() < blocked) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("the " + blocked + " waiters did not all wait within 30 s");
                        }
                        Thread.sleep(50);
                    }
                }
                for (int i = 0; i < warmup; i++) {
                    read(monitor);
                }
                long[] nanos = new long[samples];
                BlockingSnapshot last = null;
                for (int i = 0; i < samples; i++) {
                    long t0 = System.nanoTime();
                    last = read(monitor);
                    nanos[i] = System.nanoTime() - t0;
                }
                Arrays.sort(nanos);
                int listed = last.roots().stream().mapToInt(r -> r.size()).sum();
                int depth = last.roots().stream().mapToInt(r -> r.depth()).max().orElse(0);
                System.out.printf("%-8d %8d %8.2fms %8.2fms %8.2fms %d listed, depth %d, %d blocked%n", blocked, samples,
                        nanos[samples / 2] / 1e6, nanos[(int) (samples * 0.95)] / 1e6, nanos[samples - 1] / 1e6, listed, depth,
                        last.blockedSessions());
            } finally {
                // The holder first: its rollback lets the waiters through one after another.
                for (Connection c : sessions) {
                    try {
                        c.rollback();
                    } catch (SQLException e) {
                        // closing it below ends it
                    }
                }
                waiters.shutdown();
                waiters.awaitTermination(30, TimeUnit.SECONDS);
                for (Connection c : sessions) {
                    c.close();
                }
                try (Statement st = monitor.createStatement()) {
                    st.execute("DROP TABLE IF EXISTS " + table);
                }
            }
        } finally {
            waiters.shutdownNow();
        }
    }

    private static BlockingSnapshot read(Connection monitor) {
        BlockingSnapshot s = BlockingReader.read(monitor, DatabaseKind.POSTGRESQL, "bench", Instant.now(), 200);
        if (!s.available()) {
            throw new IllegalStateException(s.unavailableReason().orElse(""));
        }
        return s;
    }

    private static Connection session(String url, List<Connection> sessions) throws SQLException {
        Connection c = DriverManager.getConnection(url);
        sessions.add(c);
        try (Statement st = c.createStatement()) {
            st.execute("SET application_name = 'bench-blocking'");
            st.execute("SET lock_timeout = '5min'");
        }
        c.setAutoCommit(false);
        return c;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
