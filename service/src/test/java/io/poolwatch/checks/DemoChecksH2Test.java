package io.poolwatch.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.pool.PoolGroup;
import io.poolwatch.simulator.DemoChecks;
import io.poolwatch.simulator.DemoSchema;
import io.poolwatch.testing.TestConfigs;

/**
 * The demo's checks on H2, the embedded fallback, while transfers run: each run must read one consistent snapshot,
 * or a transfer committed between reading an account and reading its entries shows as a false violation.
 */
class DemoChecksH2Test {

    private static final Map<String, DatabaseKind> PG = Map.of("main", DatabaseKind.POSTGRESQL, "analytics",
            DatabaseKind.POSTGRESQL);

    @Test
    void demoChecksPassWhileMoneyMovesAndFailOnAnUnbalancedEntry() throws Exception {
        var config = TestConfigs.resolve(TestConfigs.only(Map.of(
                "poolwatch.defaults.url", "jdbc:h2:mem:demo_checks_h2;DB_CLOSE_DELAY=-1",
                "poolwatch.pools.financial.max-size", "6"), "analytics", "financial"), Map.of());
        try (PoolGroup pools = PoolGroup.open(config.pools(), config.monitoring())) {
            try (Connection c = pools.get("financial").dataSource().getConnection()) {
                DemoSchema.load(c, DatabaseKind.H2, 2_000);
            }
            Map<String, DatabaseKind> workloads = new LinkedHashMap<>();
            workloads.put("analytics", DatabaseKind.H2);
            workloads.put("financial", DatabaseKind.H2);
            List<CheckDefinition> checks = CheckDefinitionParser.parse(
                    List.of(new CheckDefinitionParser.Source("demo", DemoChecks.demo(workloads))),
                    workloads);
            assertEquals(5, checks.size());

            AtomicBoolean moving = new AtomicBoolean(true);
            AtomicLong transfers = new AtomicLong();
            List<Thread> movers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Thread t = new Thread(() -> {
                    while (moving.get()) {
                        try (Connection c = pools.get("financial").dataSource().getConnection()) {
                            transfer(c);
                            transfers.incrementAndGet();
                        } catch (SQLException e) {
                            // a lock conflict under serializable isolation: the next transfer goes on
                        }
                    }
                });
                t.start();
                movers.add(t);
            }
            Map<String, ChunkCursor> cursors = new LinkedHashMap<>();
            try {
                for (int round = 0; round < 15; round++) {
                    for (CheckDefinition check : checks) {
                        CheckResult r = CheckRunner.run(check, pools.get("analytics").dataSource(),
                                cursors.computeIfAbsent(check.name(), n -> new ChunkCursor()), "manual");
                        assertEquals("pass", r.status(), r.toString());
                    }
                }
            } finally {
                moving.set(false);
                for (Thread t : movers) {
                    t.join(10_000);
                }
            }
            assertTrue(transfers.get() > 50, "transfers ran alongside the checks: " + transfers.get());

            try (Connection c = pools.get("financial").dataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO ledger_transactions (reference) VALUES ('unbalanced')");
                st.executeUpdate("INSERT INTO ledger_entries (transaction_id, account_id, direction, amount) "
                        + "SELECT id, 2, 'D', 13.37 FROM ledger_transactions WHERE reference = 'unbalanced'");
            }
            for (CheckDefinition check : checks) {
                CheckResult r = CheckRunner.run(check, pools.get("analytics").dataSource(), new ChunkCursor(), "manual");
                boolean broken = check.name().equals("ledger-balanced") || check.name().equals("account-balances");
                assertEquals(broken ? "fail" : "pass", r.status(), r.toString());
                if (broken) {
                    assertEquals(1L, r.violations(), r.toString());
                }
            }
        }
    }

    /** The demo's checks are the simulator's (service code): configured checks of the same name replace them. */
    @Test
    void configuredChecksReplaceDemoChecksOfTheSameName() {
        List<CheckDefinition> checks = CheckDefinitionParser.parse(List.of(
                new CheckDefinitionParser.Source("demo", DemoChecks.demo(PG)),
                new CheckDefinitionParser.Source("configuration",
                        Map.of("ledger-balanced", Map.of("kind", "sql", "sql", "SELECT 0")))),
                PG);
        CheckDefinition replaced = checks.stream().filter(c -> c.name().equals("ledger-balanced")).findFirst().orElseThrow();
        assertEquals(CheckKind.SQL, replaced.kind());
        assertEquals("configuration", replaced.source());
        assertEquals(7, checks.size());
        assertEquals(5, DemoChecks.demo(Map.of("analytics", DatabaseKind.H2)).size(),
                "no TABLESAMPLE or pg_constraint on H2");
    }

    /** Moves 1.00 between two customers in one transaction, with its two ledger entries. */
    private static void transfer(Connection c) throws SQLException {
        int from = ThreadLocalRandom.current().nextInt(2, 1002);
        int to = from == 1001 ? 2 : from + 1;
        c.setAutoCommit(false);
        try (PreparedStatement debit = c.prepareStatement("UPDATE accounts SET balance = balance - 1 WHERE id = ?");
                PreparedStatement credit = c.prepareStatement("UPDATE accounts SET balance = balance + 1 WHERE id = ?");
                Statement st = c.createStatement()) {
            debit.setInt(1, from);
            debit.executeUpdate();
            credit.setInt(1, to);
            credit.executeUpdate();
            String ref = "t-" + System.nanoTime() + "-" + Thread.currentThread().getId();
            st.executeUpdate("INSERT INTO ledger_transactions (reference) VALUES ('" + ref + "')");
            st.executeUpdate("INSERT INTO ledger_entries (transaction_id, account_id, direction, amount) SELECT id, " + from
                    + ", 'D', 1 FROM ledger_transactions WHERE reference = '" + ref + "'");
            st.executeUpdate("INSERT INTO ledger_entries (transaction_id, account_id, direction, amount) SELECT id, " + to
                    + ", 'C', 1 FROM ledger_transactions WHERE reference = '" + ref + "'");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
