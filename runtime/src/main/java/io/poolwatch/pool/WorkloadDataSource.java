package io.poolwatch.pool;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Collection;
import java.util.List;
import java.util.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalDataSourceMetrics;
import io.agroal.api.AgroalPoolInterceptor;
import io.agroal.api.configuration.AgroalDataSourceConfiguration;

/**
 * A workload's Agroal pool as application code sees it: the pool itself, plus what its listener cannot see — the
 * time a sample of getConnection calls take, and a getConnection that throws (timeout, pool closed, database
 * down), counted as a failure.
 */
final class WorkloadDataSource implements AgroalDataSource {

    private static final long serialVersionUID = 1L;

    private final transient AgroalDataSource pool;
    private final transient PoolRecorder recorder;

    WorkloadDataSource(AgroalDataSource pool, PoolRecorder recorder) {
        this.pool = pool;
        this.recorder = recorder;
    }

    @Override
    public Connection getConnection() throws SQLException {
        long start = recorder.timeThisCheckout() ? System.nanoTime() : 0;
        try {
            Connection c = pool.getConnection();
            if (start != 0) {
                recorder.checkoutTook(System.nanoTime() - start);
            }
            return c;
        } catch (SQLException e) {
            recorder.acquisitionFailed(e);
            throw e;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        try {
            return pool.getConnection(username, password);
        } catch (SQLException e) {
            recorder.acquisitionFailed(e);
            throw e;
        }
    }

    @Override
    public AgroalDataSourceConfiguration getConfiguration() {
        return pool.getConfiguration();
    }

    @Override
    public AgroalDataSourceMetrics getMetrics() {
        return pool.getMetrics();
    }

    @Override
    public void flush(FlushMode mode) {
        pool.flush(mode);
    }

    @Override
    public void setPoolInterceptors(Collection<? extends AgroalPoolInterceptor> interceptors) {
        pool.setPoolInterceptors(interceptors);
    }

    @Override
    public List<AgroalPoolInterceptor> getPoolInterceptors() {
        return pool.getPoolInterceptors();
    }

    @Override
    public boolean isHealthy(boolean newConnection) throws SQLException {
        return pool.isHealthy(newConnection);
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(pool) ? iface.cast(pool) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(pool) || pool.isWrapperFor(iface);
    }
}
