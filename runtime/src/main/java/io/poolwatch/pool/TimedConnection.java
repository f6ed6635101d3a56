package io.poolwatch.pool;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A physical connection whose statements are timed. Statements, prepared and callable statements are wrapped in
 * {@link TimedStatement}s that report each execution to the pool's {@link StatementRecorder}; every other call goes
 * straight to the driver's connection, so the calls the pool makes on each checkout and return (getWarnings,
 * setAutoCommit ...) cost what they cost without poolwatch. It also carries the connection's hand-out counts, so
 * counting them touches nothing shared.
 */
final class TimedConnection extends ConnectionStats implements Connection {

    private final Connection target;
    private final StatementRecorder recorder;

    TimedConnection(Connection target, StatementRecorder recorder) {
        this.target = target;
        this.recorder = recorder;
    }

    @Override
    public Statement createStatement() throws SQLException {
        return new TimedStatement(target.createStatement(), this, recorder);
    }

    @Override
    public PreparedStatement prepareStatement(String p0) throws SQLException {
        return new TimedPreparedStatement(target.prepareStatement(p0), p0, this, recorder);
    }

    @Override
    public CallableStatement prepareCall(String p0) throws SQLException {
        return new TimedCallableStatement(target.prepareCall(p0), p0, this, recorder);
    }

    @Override
    public String nativeSQL(String p0) throws SQLException {
        return target.nativeSQL(p0);
    }

    @Override
    public void setAutoCommit(boolean p0) throws SQLException {
        target.setAutoCommit(p0);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return target.getAutoCommit();
    }

    @Override
    public void commit() throws SQLException {
        target.commit();
    }

    @Override
    public void rollback() throws SQLException {
        target.rollback();
    }

    @Override
    public void close() throws SQLException {
        target.close();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return target.isClosed();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return target.getMetaData();
    }

    @Override
    public void setReadOnly(boolean p0) throws SQLException {
        target.setReadOnly(p0);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return target.isReadOnly();
    }

    @Override
    public void setCatalog(String p0) throws SQLException {
        target.setCatalog(p0);
    }

    @Override
    public String getCatalog() throws SQLException {
        return target.getCatalog();
    }

    @Override
    public void setTransactionIsolation(int p0) throws SQLException {
        target.setTransactionIsolation(p0);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return target.getTransactionIsolation();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return target.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        target.clearWarnings();
    }

    @Override
    public Statement createStatement(int p0, int p1) throws SQLException {
        return new TimedStatement(target.createStatement(p0, p1), this, recorder);
    }

    @Override
    public PreparedStatement prepareStatement(String p0, int p1, int p2) throws SQLException {
        return new TimedPreparedStatement(target.prepareStatement(p0, p1, p2), p0, this, recorder);
    }

    @Override
    public CallableStatement prepareCall(String p0, int p1, int p2) throws SQLException {
        return new TimedCallableStatement(target.prepareCall(p0, p1, p2), p0, this, recorder);
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return target.getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> p0) throws SQLException {
        target.setTypeMap(p0);
    }

    @Override
    public void setHoldability(int p0) throws SQLException {
        target.setHoldability(p0);
    }

    @Override
    public int getHoldability() throws SQLException {
        return target.getHoldability();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return target.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String p0) throws SQLException {
        return target.setSavepoint(p0);
    }

    @Override
    public void rollback(Savepoint p0) throws SQLException {
        target.rollback(p0);
    }

    @Override
    public void releaseSavepoint(Savepoint p0) throws SQLException {
        target.releaseSavepoint(p0);
    }

    @Override
    public Statement createStatement(int p0, int p1, int p2) throws SQLException {
        return new TimedStatement(target.createStatement(p0, p1, p2), this, recorder);
    }

    @Override
    public PreparedStatement prepareStatement(String p0, int p1, int p2, int p3) throws SQLException {
        return new TimedPreparedStatement(target.prepareStatement(p0, p1, p2, p3), p0, this, recorder);
    }

    @Override
    public CallableStatement prepareCall(String p0, int p1, int p2, int p3) throws SQLException {
        return new TimedCallableStatement(target.prepareCall(p0, p1, p2, p3), p0, this, recorder);
    }

    @Override
    public PreparedStatement prepareStatement(String p0, int p1) throws SQLException {
        return new TimedPreparedStatement(target.prepareStatement(p0, p1), p0, this, recorder);
    }

    @Override
    public PreparedStatement prepareStatement(String p0, int[] p1) throws SQLException {
        return new TimedPreparedStatement(target.prepareStatement(p0, p1), p0, this, recorder);
    }

    @Override
    public PreparedStatement prepareStatement(String p0, String[] p1) throws SQLException {
        return new TimedPreparedStatement(target.prepareStatement(p0, p1), p0, this, recorder);
    }

    @Override
    public Clob createClob() throws SQLException {
        return target.createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return target.createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return target.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return target.createSQLXML();
    }

    @Override
    public boolean isValid(int p0) throws SQLException {
        return target.isValid(p0);
    }

    @Override
    public void setClientInfo(String p0, String p1) throws SQLClientInfoException {
        target.setClientInfo(p0, p1);
    }

    @Override
    public void setClientInfo(Properties p0) throws SQLClientInfoException {
        target.setClientInfo(p0);
    }

    @Override
    public String getClientInfo(String p0) throws SQLException {
        return target.getClientInfo(p0);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return target.getClientInfo();
    }

    @Override
    public Array createArrayOf(String p0, Object[] p1) throws SQLException {
        return target.createArrayOf(p0, p1);
    }

    @Override
    public Struct createStruct(String p0, Object[] p1) throws SQLException {
        return target.createStruct(p0, p1);
    }

    @Override
    public void setSchema(String p0) throws SQLException {
        target.setSchema(p0);
    }

    @Override
    public String getSchema() throws SQLException {
        return target.getSchema();
    }

    @Override
    public void abort(Executor p0) throws SQLException {
        target.abort(p0);
    }

    @Override
    public void setNetworkTimeout(Executor p0, int p1) throws SQLException {
        target.setNetworkTimeout(p0, p1);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return target.getNetworkTimeout();
    }

    @Override
    public void beginRequest() throws SQLException {
        target.beginRequest();
    }

    @Override
    public void endRequest() throws SQLException {
        target.endRequest();
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey p0, ShardingKey p1, int p2) throws SQLException {
        return target.setShardingKeyIfValid(p0, p1, p2);
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey p0, int p1) throws SQLException {
        return target.setShardingKeyIfValid(p0, p1);
    }

    @Override
    public void setShardingKey(ShardingKey p0, ShardingKey p1) throws SQLException {
        target.setShardingKey(p0, p1);
    }

    @Override
    public void setShardingKey(ShardingKey p0) throws SQLException {
        target.setShardingKey(p0);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(target) ? iface.cast(target) : target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(target) || target.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return target.toString();
    }
}
