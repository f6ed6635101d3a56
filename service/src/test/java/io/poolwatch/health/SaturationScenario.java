package io.poolwatch.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import io.poolwatch.testing.Await;
import io.poolwatch.testing.SmallPostgresCluster;

/**
 * The parts of the saturated-server scenarios: a bounded load on the workloads, a watcher of readiness, and the waits.
 */
final class SaturationScenario {

    private SaturationScenario() {
    }

    /** Polls {@code condition} every 50 ms; fails naming {@code what} after {@code bound}. */
    static void await(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
        Await.within(what, bound, condition);
    }

    /** Like {@link #await} but answers whether it happened instead of failing: for figures measured before asserting. */
    static boolean within(Duration bound, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** GET of a local URL: status and body; status 0 when it could not be read. */
    record Answer(int status, String body) {
    }

    static Answer get(HttpClient http, String url) {
        Answer first = getOnce(http, url);
        // A kept-alive connection the server closed between two polls fails once; that is not the server's answer.
        return first.status() == 0 ? getOnce(http, url) : first;
    }

    private static Answer getOnce(HttpClient http, String url) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted");
        }
    }

    /**
     * Workers that each take a connection from a workload's pool, insert a row, hold the transaction open a little and
     * commit, again and again: more workers than the server has slots, so the pools ask for every slot. Stops by itself
     * after {@code limit} or {@code maxCommits}, and at {@link #close()}.
     */
    static final class Load implements AutoCloseable {
        final AtomicLong commits = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong lastCommitNanos = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final ExecutorService workers;

        Load(List<DataSource> pools, int workersPerPool, Duration limit, long maxCommits) {
            workers = Executors.newFixedThreadPool(pools.size() * workersPerPool, r -> {
                Thread t = new Thread(r, "saturation-load");
                t.setDaemon(true);
                return t;
            });
            long deadline = System.nanoTime() + limit.toNanos();
            int n = 0;
            for (DataSource ds : pools) {
                for (int i = 0; i < workersPerPool; i++) {
                    int worker = n++;
                    workers.submit(() -> work(ds, worker, deadline, maxCommits));
                }
            }
        }

        private void work(DataSource ds, int worker, long deadline, long maxCommits) {
            while (!stop.get() && System.nanoTime() < deadline && commits.get() < maxCommits) {
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    try (PreparedStatement st = c.prepareStatement("INSERT INTO ticks (worker) SELECT ? FROM pg_sleep(0.02)")) {
                        st.setInt(1, worker);
                        st.executeUpdate();
                    }
                    c.commit();
                    commits.incrementAndGet();
                    lastCommitNanos.set(System.nanoTime());
                } catch (SQLException | RuntimeException e) {
                    failures.incrementAndGet();
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }

        /** Whether a commit happened in the last {@code window}. */
        boolean committingWithin(Duration window) {
            long last = lastCommitNanos.get();
            return last != 0 && System.nanoTime() - last < window.toNanos();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            workers.shutdownNow();
            // An interrupt does not end a socket read: a worker may wait out its pool's socket timeout (45 s on main).
            if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
                StringBuilder stacks = new StringBuilder();
                Thread.getAllStackTraces().forEach((t, frames) -> {
                    if (t.getName().equals("saturation-load")) {
                        stacks.append('\n').append(t.getName()).append(' ').append(t.getState());
                        for (StackTraceElement f : frames) {
                            stacks.append("\n    at ").append(f);
                        }
                    }
                });
                throw new AssertionError("the load did not stop within 60 s; its threads still running:" + stacks);
            }
        }
    }

    /** Polls readiness every 100 ms and counts the answers by status, until closed. */
    static final class ReadinessWatcher implements AutoCloseable {
        final Map<Integer, Long> byStatus = new TreeMap<>();
        final List<String> notReady = new ArrayList<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        ReadinessWatcher(HttpClient http, String url) {
            thread = new Thread(() -> {
                while (!stop.get()) {
                    Answer a = get(http, url);
                    synchronized (this) {
                        byStatus.merge(a.status(), 1L, Long::sum);
                        if (a.status() != 200 && notReady.size() < 5) {
                            notReady.add(a.body().length() > 600 ? a.body().substring(0, 600) : a.body());
                        }
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "readiness-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        synchronized Map<Integer, Long> counts() {
            return new TreeMap<>(byStatus);
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.interrupt();
            thread.join(10_000);
        }
    }

    /** The sessions the server has, by application name, as its superuser sees them (reserved slots). */
    static Map<String, Integer> sessions(SmallPostgresCluster cluster) {
        Map<String, Integer> out = new TreeMap<>();
        try (Connection c = cluster.connectAsSuperuser("postgres");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT application_name, count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
                                + "AND application_name <> 'test-observer' GROUP BY 1 ORDER BY 1")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            out.put("error: " + e.getMessage(), -1);
        }
        return out;
    }

    /** How many workload sessions began before poolwatch's monitoring session, and whether there is one. */
    static String monitorOrder(SmallPostgresCluster cluster) {
        try (Connection c = cluster.connectAsSuperuser("postgres");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT (SELECT min(backend_start) FROM pg_stat_activity WHERE application_name = 'poolwatch-monitor') IS NOT NULL, "
                                + "(SELECT count(*) FROM pg_stat_activity w WHERE w.backend_type = 'client backend' AND w.usename = '"
                                + SmallPostgresCluster.ROLE
                                + "' AND w.application_name <> 'poolwatch-monitor' AND w.backend_start < "
                                + "(SELECT min(backend_start) FROM pg_stat_activity WHERE application_name = 'poolwatch-monitor'))")) {
            rs.next();
            return rs.getBoolean(1) ? "monitor in; " + rs.getLong(2) + " workload session(s) began before it"
                    : "no monitoring session";
        } catch (SQLException e) {
            return "error: " + e.getMessage();
        }
    }
}
