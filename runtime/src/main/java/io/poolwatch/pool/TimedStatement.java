package io.poolwatch.pool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * A driver's statement whose executions are counted and timed by the pool's {@link StatementRecorder}: every execute
 * method (single, batch, large) calls the recorder before and after; every other call goes straight to the driver. Written
 * by hand rather than through a proxy library so that an execution allocates nothing and dispatches no reflection: see
 * docs/PERFORMANCE.md, "Statement timing".
 */
class TimedStatement implements Statement {

    private final Statement target;
    private final Connection connection;
    final StatementRecorder recorder;
    /** The first statement of the pending batch and how many it has; the holder's thread only, as JDBC statements are. */
    private String batchFirst;
    private int batchSize;

    TimedStatement(Statement target, Connection connection, StatementRecorder recorder) {
        this.target = target;
        this.connection = connection;
        this.recorder = recorder;
    }

    /** Adds one statement to the pending batch, after the driver has. */
    final void batched(String sql) {
        if (batchFirst == null) {
            batchFirst = sql;
        }
        batchSize++;
    }

    @Override
    public boolean execute(String p0) throws SQLException {
        long start = recorder.begin();
        boolean ok = false;
        try {
            boolean result = target.execute(p0);
            ok = true;
            return result;
        } finally {
            recorder.end(start, p0, 0, ok);
        }
    }

    @Override
    public boolean execute(String p0, int p1) throws SQLException {
        long start = recorder.begin();
        boolean ok = false;
        try {
            boolean result = target.execute(p0, p1);
            ok = true;
            return result;
        } finally {
            recorder.end(start, p0, 0, ok);
        }
    }

    @Override
    public boolean execute(String p0, int[] p1) throws SQLException {
        long start = recorder.begin();
        boolean ok = false;
        try {
            boolean result = target.execute(p0, p1);
            ok = true;
            return result;
        } finally {
            recorder.end(start, p0, 0, ok);
        }
    }

    @Override
    public boolean execute(String p0, String[] p1) throws SQLException {
        long start = recorder.begin();
        boolean ok = false;
        try {
            boolean result = target.execute(p0, p1);
            ok = true;
            return result;
        } finally {
            recorder.end(start, p0, 0, ok);
        }
    }

    @Override
    public ResultSet executeQuery(String p0) throws SQLException {
        long start = recorder.begin();
        boolean ok = false;
        try {
            ResultSet result = target.executeQuery(p0);
            ok = true;
            return result;
        } finally {
            recorder.end(start, p0, 0, ok);
        }
    }

    @Override
    public int executeUpdate(String p0) throws SQLException {
        long start = recorder.begin();
        boolean ok = false;
        try {
            int result = target.executeUpdate(p0);
            ok = true;
            return result;
        } finally {
            recorder.end(start, p0, 0, ok);
        }
    }

    @Override
    public int executeUpdate(String p0, int p1) throws SQLException {
        long start = recorder.begin();
        boolean ok = false;
        try {
            int result = target.executeUpdate(p0, p1);
            ok = true;
            return result;
        } finally {
            recorder.end(start, p0, 0, ok);
        }
    }

    @Override
    public int executeUpdate(String p0, int[] p1) throws SQLException {
        long start = recorder.begin();
        boolean ok = false;
        try {
            int result = target.executeUpdate(p0, p1);
            ok = true;
            return result;
        } finally {
            recorder.end(start, p0, 0, ok);
        }
    }

    @Override
    public int executeUpdate(String p0, String[] p1) throws SQLException {
        long start = recorder.begin();
        boolean ok = false;
        try {
            int result = target.executeUpdate(p0, p1);
            ok = true;
            return result;
        } finally {
            recorder.end(start, p0, 0, ok);
        }
    }

    @Override
    public long executeLargeUpdate(String p0) throws SQLException {
        long start = recorder.begin();
        boolean ok = false;
        try {
            long result = target.executeLargeUpdate(p0);
            ok = true;
            return result;
        } finally {
            recorder.end(start, p0, 0, ok);
        }
    }

    @Override
    public long executeLargeUpdate(String p0, int p1) throws SQLException {
        long start = recorder.begin();
        boolean ok = false;
        try {
            long result = target.executeLargeUpdate(p0, p1);
            ok = true;
            return result;
        } finally {
            recorder.end(start, p0, 0, ok);
        }
    }

    @Override
    public long executeLargeUpdate(String p0, int[] p1) throws SQLException {
        long start = recorder.begin();
        boolean ok = false;
        try {
            long result = target.executeLargeUpdate(p0, p1);
            ok = true;
            return result;
        } finally {
            recorder.end(start, p0, 0, ok);
        }
    }

    @Override
    public long executeLargeUpdate(String p0, String[] p1) throws SQLException {
        long start = recorder.begin();
        boolean ok = false;
        try {
            long result = target.executeLargeUpdate(p0, p1);
            ok = true;
            return result;
        } finally {
            recorder.end(start, p0, 0, ok);
        }
    }

    @Override
    public void addBatch(String p0) throws SQLException {
        target.addBatch(p0);
        batched(p0);
    }

    @Override
    public void clearBatch() throws SQLException {
        target.clearBatch();
        batchFirst = null;
        batchSize = 0;
    }

    @Override
    public int[] executeBatch() throws SQLException {
        String sql = batchFirst;
        int size = batchSize;
        batchFirst = null;
        batchSize = 0;
        long start = recorder.begin();
        boolean ok = false;
        try {
            int[] result = target.executeBatch();
            ok = true;
            return result;
        } finally {
            recorder.end(start, sql, size, ok);
        }
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        String sql = batchFirst;
        int size = batchSize;
        batchFirst = null;
        batchSize = 0;
        long start = recorder.begin();
        boolean ok = false;
        try {
            long[] result = target.executeLargeBatch();
            ok = true;
            return result;
        } finally {
            recorder.end(start, sql, size, ok);
        }
    }

    /**
     * The connection this statement was created by: poolwatch's, not the driver's, as with any wrapper. The driver is asked
     * first so that a closed statement fails as the driver's would.
     */
    @Override
    public Connection getConnection() throws SQLException {
        target.getConnection();
        return connection;
    }

    @Override
    public void cancel() throws SQLException {
        target.cancel();
    }

    @Override
    public void clearWarnings() throws SQLException {
        target.clearWarnings();
    }

    @Override
    public void close() throws SQLException {
        target.close();
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        target.closeOnCompletion();
    }

    @Override
    public String enquoteIdentifier(String p0, boolean p1) throws SQLException {
        return target.enquoteIdentifier(p0, p1);
    }

    @Override
    public String enquoteLiteral(String p0) throws SQLException {
        return target.enquoteLiteral(p0);
    }

    @Override
    public String enquoteNCharLiteral(String p0) throws SQLException {
        return target.enquoteNCharLiteral(p0);
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return target.getFetchDirection();
    }

    @Override
    public int getFetchSize() throws SQLException {
        return target.getFetchSize();
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return target.getGeneratedKeys();
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        return target.getLargeMaxRows();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        return target.getLargeUpdateCount();
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        return target.getMaxFieldSize();
    }

    @Override
    public int getMaxRows() throws SQLException {
        return target.getMaxRows();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return target.getMoreResults();
    }

    @Override
    public boolean getMoreResults(int p0) throws SQLException {
        return target.getMoreResults(p0);
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return target.getQueryTimeout();
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return target.getResultSet();
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        return target.getResultSetConcurrency();
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return target.getResultSetHoldability();
    }

    @Override
    public int getResultSetType() throws SQLException {
        return target.getResultSetType();
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return target.getUpdateCount();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return target.getWarnings();
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        return target.isCloseOnCompletion();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return target.isClosed();
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return target.isPoolable();
    }

    @Override
    public boolean isSimpleIdentifier(String p0) throws SQLException {
        return target.isSimpleIdentifier(p0);
    }

    @Override
    public void setCursorName(String p0) throws SQLException {
        target.setCursorName(p0);
    }

    @Override
    public void setEscapeProcessing(boolean p0) throws SQLException {
        target.setEscapeProcessing(p0);
    }

    @Override
    public void setFetchDirection(int p0) throws SQLException {
        target.setFetchDirection(p0);
    }

    @Override
    public void setFetchSize(int p0) throws SQLException {
        target.setFetchSize(p0);
    }

    @Override
    public void setLargeMaxRows(long p0) throws SQLException {
        target.setLargeMaxRows(p0);
    }

    @Override
    public void setMaxFieldSize(int p0) throws SQLException {
        target.setMaxFieldSize(p0);
    }

    @Override
    public void setMaxRows(int p0) throws SQLException {
        target.setMaxRows(p0);
    }

    @Override
    public void setPoolable(boolean p0) throws SQLException {
        target.setPoolable(p0);
    }

    @Override
    public void setQueryTimeout(int p0) throws SQLException {
        target.setQueryTimeout(p0);
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
