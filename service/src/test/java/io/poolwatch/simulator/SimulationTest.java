package io.poolwatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.poolwatch.pool.PoolGroup;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.TestConfigs;

/**
 * The simulator's users on a real PostgreSQL holding the demo schema: every workload commits work, and after
 * hundreds of concurrent transfers under serializable isolation the ledger still balances to the cent.
 */
class SimulationTest {

    private static EmbeddedDatabase database;
    private static PoolGroup pools;

    @BeforeAll
    static void open() throws SQLException {
        database = EmbeddedDatabase.start(TestConfigs.mapping(EmbeddedConfig.class,
                Map.of("poolwatch.embedded.demo-rows", "20000")));
        var config = TestConfigs.resolve(Map.of("poolwatch.defaults.url", database.poolUrl()), Map.of());
        pools = PoolGroup.open(config.pools(), config.monitoring());
    }

    @AfterAll
    static void close() {
        if (pools != null) {
            pools.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static long scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void usersCommitOnEveryWorkloadAndTheLedgerStillBalances() throws Exception {
        List<Simulation.Workload> workloads = new ArrayList<>();
        for (String name : List.of("main", "jobs", "analytics", "financial")) {
            int users = name.equals("financial") ? 8 : 2;
            workloads.add(new Simulation.Workload(name, pools.get(name).dataSource(), users, LoadSimulator.transaction(name)));
        }
        Simulation simulation = new Simulation(workloads, Duration.ofMillis(5), Duration.ofSeconds(3));
        simulation.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (simulation.running() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        simulation.close();
        assertFalse(simulation.running());

        for (Simulation.WorkloadStats s : simulation.stats()) {
            assertTrue(s.committed() > 0, s.toString());
            assertEquals(0, s.errors(), s.toString());
        }
        Simulation.WorkloadStats financial = simulation.stats().get(3);
        assertTrue(financial.committed() >= 50, financial.toString());

        try (Connection c = pools.get("main").dataSource().getConnection(); Statement st = c.createStatement()) {
            assertEquals(1000 + financial.committed(), scalar(st, "SELECT COUNT(*) FROM ledger_transactions"));
            assertEquals(0,
                    scalar(st, "SELECT COUNT(*) FROM (SELECT transaction_id FROM ledger_entries GROUP BY transaction_id "
                            + "HAVING SUM(CASE WHEN direction = 'D' THEN amount ELSE -amount END) <> 0) unbalanced"));
            assertEquals(0, scalar(st,
                    "SELECT COUNT(*) FROM accounts a WHERE a.balance <> (SELECT COALESCE(SUM(CASE WHEN e.direction = 'C' "
                            + "THEN e.amount ELSE -e.amount END), 0) FROM ledger_entries e WHERE e.account_id = a.id)"));
            assertEquals(0, scalar(st, "SELECT COUNT(*) FROM accounts WHERE kind = 'customer' AND balance < 0"));
        }

        // The inconsistency fault breaks exactly that, one transaction whose entries do not balance, until it ends.
        FaultInjector faults = new FaultInjector(Duration.ofSeconds(1));
        faults.start("inconsistency", pools.get("financial"), Optional.of(Duration.ofSeconds(3)));
        String unbalanced = "SELECT COUNT(*) FROM (SELECT transaction_id FROM ledger_entries GROUP BY transaction_id "
                + "HAVING SUM(CASE WHEN direction = 'D' THEN amount ELSE -amount END) <> 0) unbalanced";
        Await.until("the unbalanced entry is written", () -> {
            try (Connection c = pools.get("main").dataSource().getConnection(); Statement st = c.createStatement()) {
                return scalar(st, unbalanced) == 1;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until("the fault ends", () -> faults.faults().get(0).state().equals("finished"));
        try (Connection c = pools.get("main").dataSource().getConnection(); Statement st = c.createStatement()) {
            assertEquals(0, scalar(st, unbalanced), "the fault removes its entry when it ends");
            assertEquals(1000 + financial.committed(), scalar(st, "SELECT COUNT(*) FROM ledger_transactions"));
        }
    }

    /**
     * On shared workers (Java 17, or virtual threads off) many users take a bounded number of threads, twice the pool's
     * max-size, and a pool they exhaust still has callers waiting on it; every user keeps running.
     */
    @Test
    void usersShareBoundedWorkersAndStillWaitOnAnExhaustedPool() throws Exception {
        var main = pools.get("main");
        int maxSize = main.settings().maxSize();
        int users = maxSize * 4 + 10;
        int concurrency = LoadSimulator.concurrency(maxSize);
        // Holds its connection a while, so the users exhaust the pool.
        Simulation.Transaction hold = connection -> {
            try (Statement st = connection.createStatement()) {
                st.execute("SELECT pg_sleep(0.05)");
            }
            return DemoTransactions.Outcome.COMMITTED;
        };
        Simulation simulation = new Simulation(
                List.of(new Simulation.Workload("main", main.dataSource(), users, hold, concurrency)),
                Duration.ofMillis(10), Duration.ZERO, false, 0);
        try {
            simulation.start();
            assertTrue(simulation.threading().contains(concurrency + " worker threads"), simulation.threading());
            Await.until("callers wait on the exhausted pool", () -> main.recorder().awaiting() > 0);
            long workers = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("simulator-main-"))
                    .count();
            assertTrue(workers <= concurrency && workers < users, workers + " worker threads for " + users + " users");
            assertTrue(main.recorder().awaiting() <= concurrency, "at most the workers wait: " + main.recorder().awaiting());
            Await.until("the users commit", () -> simulation.stats().get(0).committed() > users);
            assertEquals(users, simulation.stats().get(0).users());
            assertTrue(simulation.running());
        } finally {
            simulation.close();
        }
        assertFalse(simulation.running());
        assertEquals(0, simulation.stats().get(0).errors(), simulation.stats().toString());
        Await.until("the workers are gone",
                () -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().startsWith("simulator-main-") && t.isAlive()));
    }

    /**
     * With a bound on transactions in flight, no more than that many run at once across the workloads, whatever the
     * users and workers, and every workload still commits (the users past the bound wait their turn).
     */
    @Test
    void noMoreTransactionsRunAtOnceThanTheBound() throws Exception {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Simulation.Transaction counted = connection -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try (Statement st = connection.createStatement()) {
                st.execute("SELECT pg_sleep(0.005)");
            } finally {
                now.decrementAndGet();
            }
            return DemoTransactions.Outcome.COMMITTED;
        };
        List<Simulation.Workload> workloads = new ArrayList<>();
        for (String name : List.of("main", "jobs")) {
            workloads.add(new Simulation.Workload(name, pools.get(name).dataSource(), 20, counted, 10));
        }
        for (boolean virtualThreads : List.of(false, true)) {
            most.set(0);
            Simulation simulation = new Simulation(workloads, Duration.ofMillis(1), Duration.ZERO, virtualThreads, 2);
            try {
                simulation.start();
                Await.until("both workloads commit",
                        () -> simulation.stats().stream().allMatch(s -> s.committed() > 20));
            } finally {
                simulation.stop(Duration.ofSeconds(10));
            }
            assertEquals(2, simulation.maxInFlight());
            assertTrue(most.get() <= 2, "at most 2 in flight, saw " + most.get() + " (virtual threads " + virtualThreads + ")");
            assertEquals(2, most.get(), "40 users with a 1 ms think time fill both slots");
        }
    }
}
