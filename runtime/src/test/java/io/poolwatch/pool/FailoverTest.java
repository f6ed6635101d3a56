package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.engine.ServerRole;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.ReplicaCluster;
import io.poolwatch.testing.SmallPostgresCluster;
import io.poolwatch.testing.TestConfigs;

/**
 * A failover of a real primary. A PostgreSQL cluster of the test's own and its streaming standby
 * ({@code pg_basebackup -R}) sit behind one multi-host URL with {@code target_session_attrs=read-write}; a writer inserts
 * through the pool every 20 ms while the primary crashes ({@code pg_ctl -m immediate}) and the standby is promoted. Writes
 * fail while there is no primary, and flow again on the promoted standby within a bound, through the same pool, whose
 * server then says it takes writes; the change of server is an event. The time from the promotion to the first write is printed
 * as a figure
 * (docs/PERFORMANCE.md, "Failover").
 */
class FailoverTest {

    /**
     * The bound the writes must flow again within after the promotion: pgjdbc rechecks a host it found a standby after 10 s.
     */
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    @Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void writesFlowAgainOnThePromotedStandbyThroughTheSamePool() throws Exception {
        try (SmallPostgresCluster primary = SmallPostgresCluster.create(40, 3)) {
            ReplicaCluster.Standby standby = primary.standby();
            String url = "postgresql://" + SmallPostgresCluster.ROLE + ":unused@127.0.0.1:" + primary.port() + ",127.0.0.1:"
                    + standby.port() + "/" + SmallPostgresCluster.DATABASE + "?target_session_attrs=read-write";
            Map<String, String> keys = TestConfigs.only(Map.of(
                    "poolwatch.pools.main.min-size", "2",
                    "poolwatch.pools.main.max-size", "4",
                    "poolwatch.pools.main.acquisition-timeout", "2s",
                    "poolwatch.pools.main.connect-timeout", "2s",
                    "poolwatch.pools.main.socket-timeout", "5s",
                    "poolwatch.pools.main.statement-timeout", "2s",
                    "poolwatch.pools.main.validation-query-timeout", "1s"), "main");
            ResolvedConfiguration config = TestConfigs.resolve(keys, Map.of("DATABASE_URL", url));
            // The pool's connections open through its database's gate, with the built-in reconnect cap and jitter.
            PoolwatchConfig.ReconnectConfig reconnect = TestConfigs.mapping(keys).reconnect();
            MonitorGate gate = new MonitorGate("failover", Clock.systemUTC());
            gate.spread(reconnect.maxConcurrentOpens(), reconnect.jitter(), Duration.ofSeconds(2));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong lastSuccess = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            List<RoleProbe.Moved> moves = new CopyOnWriteArrayList<>();
            try (PoolGroup pools = PoolGroup.open(config.pools(), config.monitoring(), x -> Optional.of(gate),
                    new RoleProbe.Listeners(change -> {
                    }, moves::add))) {
                WorkloadPool pool = pools.get("main");
                assertEquals(primary.port(), serverPort(pool), "before the failover, the writes go to the primary");
                Thread writer = new Thread(() -> {
                    while (!stop.get()) {
                        try (Connection c = pool.dataSource().getConnection(); Statement st = c.createStatement()) {
                            st.execute("INSERT INTO ticks (worker) VALUES (1)");
                            lastSuccess.set(System.nanoTime());
                        } catch (SQLException e) {
                            failures.incrementAndGet();
                        }
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "failover-writer");
                writer.setDaemon(true);
                writer.start();
                try {
                    Await.within("the writer writes", Duration.ofSeconds(10), () -> lastSuccess.get() > 0);
                    primary.crash();
                    long crashed = System.nanoTime();
                    Await.within("a write fails with the primary gone", Duration.ofSeconds(15), () -> failures.get() > 0);
                    standby.promote();
                    long promoted = System.nanoTime();
                    Duration took = Await.within("a write succeeds on the promoted standby", BOUND,
                            () -> lastSuccess.get() > promoted);
                    System.out.printf(Locale.ROOT,
                            "FIGURE failover: writes flowed again %.2f s after the promotion, %.2f s after the crash;"
                                    + " %d writes failed in between; %d opens waited their random time%n",
                            took.toNanos() / 1e9, (lastSuccess.get() - crashed) / 1e9, failures.get(), gate.delayedOpens());
                } finally {
                    stop.set(true);
                    writer.join(10_000);
                }
                assertEquals(standby.port(), serverPort(pool), "after the failover, the writes go to the promoted standby");
                Await.until("the pool's server said it takes writes",
                        () -> pool.roles().latest().map(r -> r.role() == ServerRole.PRIMARY).orElse(false));
                assertFalse(pool.roles().primaryReadOnly());
                // The failover is an event: the pool's server changed, from the crashed primary to the promoted standby.
                Await.until("the change of server recorded", () -> !moves.isEmpty());
                RoleProbe.Moved moved = moves.get(0);
                assertEquals(1, moves.size(), moves.toString());
                assertTrue(moved.before().startsWith("127.0.0.1:" + primary.port() + ", started "), moved.toString());
                assertTrue(moved.now().startsWith("127.0.0.1:" + standby.port() + ", started "), moved.toString());
                assertEquals(1, pool.roles().serverChanges());
                assertEquals(Optional.of(moved.now()), pool.roles().server());
            }
        }
    }

    /** The port of the server a connection of the pool is on, as the server says. */
    private static int serverPort(WorkloadPool pool) throws SQLException {
        try (Connection c = pool.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT inet_server_port()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
