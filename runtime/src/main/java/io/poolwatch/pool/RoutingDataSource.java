package io.poolwatch.pool;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import io.poolwatch.config.ReadStrategy;

/** A workload's reads as one DataSource: every getConnection is routed anew by {@link ReadRouter}. */
final class RoutingDataSource implements DataSource {

    private final ReadRouter router;
    private final String workload;
    private final ReadStrategy strategy;

    RoutingDataSource(ReadRouter router, String workload, ReadStrategy strategy) {
        this.router = router;
        this.workload = workload;
        this.strategy = strategy;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return router.connection(workload, strategy);
    }

    /** Pools are opened with their configured credentials; other credentials cannot be routed. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("routed reads use each pool's configured credentials; call getConnection()");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // Pools log through JBoss Logging.
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        throw new SQLFeatureNotSupportedException("each pool's connect-timeout applies");
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("pools log through JBoss Logging");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("a routed DataSource wraps no single pool; use ReadRouter.route(...) for the pool of one read");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "RoutingDataSource[" + workload + (strategy == null ? "" : ", " + strategy.label()) + "]";
    }
}
