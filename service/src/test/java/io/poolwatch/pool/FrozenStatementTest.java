package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.testing.FreezableProxy;
import io.poolwatch.testing.TestConfigs;
import io.poolwatch.testing.TestDatabases;

/**
 * A statement on a workload's pool whose server freezes (a real server behind a proxy that stops forwarding, as a server
 * stopped with SIGSTOP does): with the built-in settings of {@code financial} it fails with the driver's socket timeout
 * instead of holding its thread for as long as the socket stays open.
 */
class FrozenStatementTest {

    private static final Logger LOG = Logger.getLogger(FrozenStatementTest.class);
    /** Far above financial's built-in socket timeout; a statement still blocked then would block for ever. */
    private static final long CAP_SECONDS = 60;

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "frozen-statement");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void aFrozenPostgresqlFailsTheFinancialStatementAfterItsSocketTimeout() throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        try (FreezableProxy proxy = new FreezableProxy(pg.host(), pg.port())) {
            String url = "postgresql://" + pg.user() + ":" + pg.password() + "@127.0.0.1:" + proxy.port() + "/"
                    + TestDatabases.DATABASE;
            statementFailsWhileFrozen(proxy, url);
        }
    }

    @Test
    void aFrozenMariadbFailsTheFinancialStatementAfterItsSocketTimeout() throws Exception {
        TestDatabases.mariadbUrl();
        try (FreezableProxy proxy = new FreezableProxy("127.0.0.1", 3306)) {
            statementFailsWhileFrozen(proxy,
                    "jdbc:mariadb://127.0.0.1:" + proxy.port() + "/" + TestDatabases.DATABASE + "?user=root");
        }
    }

    private void statementFailsWhileFrozen(FreezableProxy proxy, String url) throws Exception {
        ResolvedConfiguration config = TestConfigs.resolve(TestConfigs.only(Map.of(
                "poolwatch.pools.financial.url", url,
                "poolwatch.pools.financial.min-size", "1",
                "poolwatch.pools.financial.initial-size", "1",
                "poolwatch.pools.financial.max-size", "1"), "financial"), Map.of());
        PoolSettings settings = config.pool("financial").orElseThrow();
        WorkloadPool pool = PoolFactory.create(settings, config.monitoring());
        Connection c = null;
        try {
            c = pool.dataSource().getConnection();
            assertEquals(1, selectOne(c));
            proxy.freeze();
            long start = System.nanoTime();
            Connection held = c;
            Future<Integer> statement = executor.submit(() -> selectOne(held));
            Throwable failure;
            try {
                statement.get(CAP_SECONDS, TimeUnit.SECONDS);
                fail("the statement answered while the server was frozen");
                return;
            } catch (TimeoutException e) {
                fail("the statement was still blocked after " + CAP_SECONDS + " s on a frozen server");
                return;
            } catch (ExecutionException e) {
                failure = e.getCause();
            }
            LOG.infof("%s: the statement on the frozen server failed after %d ms: %s", settings.url().kind().label(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), failure);
            assertTrue(failure instanceof SQLException, "not an SQLException: " + failure);
            assertTrue(causedBy(failure, SocketTimeoutException.class), "not the socket timeout: " + failure);
        } finally {
            // Thawed first, so that returning the connection and closing the pool cannot wait on the frozen server.
            proxy.thaw();
            try {
                if (c != null) {
                    c.close();
                }
            } finally {
                pool.close();
            }
        }
    }

    private static int selectOne(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
