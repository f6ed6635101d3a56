package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.SmallPostgresCluster;
import io.poolwatch.testing.TestConfigs;

/**
 * {@code poolwatch.reconnect.*} on a real PostgreSQL of the test's own: six pools of four connections each on one database
 * open at most {@code max-concurrent-opens} at once, when they fill at start and when they refill after the server
 * restarts; and after the restart, while the database recovers from the failed opens, each open first waits a random
 * time up to the jitter. The time to fill and refill is printed as a figure (docs/PERFORMANCE.md, "Reconnect storms").
 */
class ReconnectSpreadTest {

    private static final int POOLS = 6;
    private static final int MIN = 4;

    @Test
    @Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void poolsOnOneDatabaseOpenAtMostTheCapAtOnceAndSpreadOutAfterARestart() throws Exception {
        try (SmallPostgresCluster db = SmallPostgresCluster.create(60, 3)) {
            for (int cap : new int[] { 0, 2 }) {
                MonitorGate gate = new MonitorGate(db.label(), Clock.systemUTC());
                gate.spread(cap, cap == 0 ? Duration.ZERO : Duration.ofMillis(400), Duration.ofSeconds(10));
                ResolvedConfiguration config = TestConfigs.resolve(TestConfigs.only(keys()),
                        Map.of("DATABASE_URL", db.seedUrl()));
                long start = System.nanoTime();
                try (PoolGroup pools = PoolGroup.open(config.pools(), config.monitoring(), s -> Optional.of(gate),
                        RoleProbe.Listeners.NONE)) {
                    Await.within("every pool filled", Duration.ofSeconds(60), () -> filled(pools));
                    double fill = (System.nanoTime() - start) / 1e9;
                    int atStart = gate.mostConcurrentOpens();

                    db.stop();
                    // Borrows find the connections broken and cannot open new ones: the database is down.
                    for (String name : names()) {
                        try (Connection c = pools.get(name).dataSource().getConnection()) {
                            c.isValid(1);
                        } catch (SQLException expected) {
                            // down
                        }
                    }
                    db.start();
                    long restarted = System.nanoTime();
                    // The traffic comes back all at once: every pool wants all its connections.
                    storm(pools);
                    double refill = (System.nanoTime() - restarted) / 1e9;
                    System.out.printf(Locale.ROOT,
                            "FIGURE reconnect: cap %s: %d pools x %d connections filled in %.2f s (at most %d opening at"
                                    + " once), refilled after a restart in %.2f s (at most %d at once, %d opens delayed)%n",
                            cap == 0 ? "none" : Integer.toString(cap), POOLS, MIN, fill, atStart, refill,
                            gate.mostConcurrentOpens(), gate.delayedOpens());
                    if (cap > 0) {
                        assertTrue(gate.mostConcurrentOpens() <= cap,
                                gate.mostConcurrentOpens() + " connections were being opened at once; cap " + cap);
                        assertTrue(gate.delayedOpens() > 0, "no open after the failed ones waited its random time");
                    }
                }
            }
        }
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= POOLS; i++) {
            names.add("w" + i);
        }
        return names;
    }

    private static Map<String, String> keys() {
        Map<String, String> keys = new HashMap<>();
        for (String name : names()) {
            String p = "poolwatch.pools." + name + ".";
            keys.put(p + "min-size", Integer.toString(MIN));
            keys.put(p + "max-size", Integer.toString(MIN));
            keys.put(p + "connect-timeout", "2s");
            keys.put(p + "acquisition-timeout", "2s");
            // Idle connections are checked every second, so a pool notices a restarted server and refills by itself.
            keys.put(p + "background-validation-interval", "1s");
        }
        return keys;
    }

    /** Each pool's every connection borrowed at once, held until all are: {@code POOLS * MIN} opens together. */
    private static void storm(PoolGroup pools) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(POOLS * MIN);
        try {
            CountDownLatch all = new CountDownLatch(POOLS * MIN);
            List<Future<?>> borrows = new ArrayList<>();
            for (String name : names()) {
                for (int i = 0; i < MIN; i++) {
                    borrows.add(threads.submit(() -> {
                        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                        while (true) {
                            try (Connection c = pools.get(name).dataSource().getConnection()) {
                                all.countDown();
                                all.await(60, TimeUnit.SECONDS);
                                return null;
                            } catch (SQLException e) {
                                if (System.nanoTime() > deadline) {
                                    throw e;
                                }
                            }
                        }
                    }));
                }
            }
            for (Future<?> f : borrows) {
                f.get(90, TimeUnit.SECONDS);
            }
            assertTrue(all.await(0, TimeUnit.SECONDS), "every connection borrowed at once after the restart");
        } finally {
            threads.shutdownNow();
        }
    }

    private static boolean filled(PoolGroup pools) {
        return names().stream().allMatch(n -> pools.get(n).recorder().open() >= MIN);
    }
}
