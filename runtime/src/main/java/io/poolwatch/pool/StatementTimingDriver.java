package io.poolwatch.pool;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The driver Agroal opens physical connections through: it opens them with the real driver for the URL and
 * wraps each once, at creation, in a {@link TimedConnection} whose statements are {@link TimedStatement}s.
 * Acquiring and returning a pooled connection therefore costs nothing extra; only executions are counted and timed.
 * <p>
 * Agroal instantiates the driver itself, so the pool's recorder is found by an id passed as a driver property. The
 * same way, a pool may name the {@link MonitorGate} of its database: a workload's connection is then opened only after
 * the gate has let the monitoring connection in, and every refusal for lack of slots is reported to the gate.
 */
public final class StatementTimingDriver implements Driver {

    /** The driver property carrying the recorder id; removed before the real driver sees the properties. */
    static final String RECORDER_PROPERTY = "poolwatch.statement-recorder";
    /** The driver property carrying the id of the pool's {@link MonitorGate}, if it has one. */
    static final String GATE_PROPERTY = "poolwatch.monitor-gate";
    /** The driver property naming the pool to its gate: the monitoring pool's is {@link #MONITOR_ROLE}. */
    static final String GATE_ROLE_PROPERTY = "poolwatch.monitor-gate-role";
    static final String MONITOR_ROLE = "monitor";
    private static final Map<String, StatementRecorder> RECORDERS = new ConcurrentHashMap<>();
    private static final Map<String, MonitorGate> GATES = new ConcurrentHashMap<>();

    static String register(MonitorGate gate) {
        String id = UUID.randomUUID().toString();
        GATES.put(id, gate);
        return id;
    }

    static void unregisterGate(String id) {
        GATES.remove(id);
    }

    static String register(StatementRecorder recorder) {
        String id = UUID.randomUUID().toString();
        RECORDERS.put(id, recorder);
        return id;
    }

    /** Forgets a closed pool's recorder, which stops using the coarse clock. */
    static void unregister(String id) {
        StatementRecorder recorder = RECORDERS.remove(id);
        if (recorder != null) {
            recorder.close();
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Properties properties = new Properties();
        properties.putAll(info);
        Object id = properties.remove(RECORDER_PROPERTY);
        Object gateId = properties.remove(GATE_PROPERTY);
        Object role = properties.remove(GATE_ROLE_PROPERTY);
        MonitorGate gate = gateId == null ? null : GATES.get(gateId.toString());
        boolean monitor = MONITOR_ROLE.equals(role);
        boolean turn = gate != null && !monitor && gate.workloadOpenStarts();
        Connection connection;
        try {
            connection = DriverManager.getDriver(url).connect(url, properties);
        } catch (SQLException e) {
            if (gate != null) {
                gate.connectionFailed(monitor ? SlotRefusal.MONITOR : "pool " + role, monitor, e);
            }
            throw e;
        } finally {
            if (gate != null && !monitor) {
                gate.workloadOpenEnded(turn);
            }
        }
        if (gate != null && monitor && connection != null) {
            gate.monitorConnected();
        } else if (gate != null && connection != null) {
            gate.afterWorkloadConnection();
        }
        StatementRecorder recorder = id == null ? null : RECORDERS.get(id.toString());
        if (connection == null) {
            return null;
        }
        if (recorder == null) {
            throw new SQLException("poolwatch: no statement recorder registered for this pool (was it closed?)");
        }
        return new TimedConnection(connection, recorder);
    }

    @Override
    public boolean acceptsURL(String url) {
        try {
            return DriverManager.getDriver(url) != null;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return DriverManager.getDriver(url).getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}
