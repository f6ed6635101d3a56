package io.poolwatch.bench;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A JDBC driver whose connections do nothing, so a benchmark measures the pool and not a database.
 * URL: {@code jdbc:stub:<anything>}.
 */
public final class StubDriver implements Driver {

    public static final String URL = "jdbc:stub:bench";

    static {
        try {
            DriverManager.registerDriver(new StubDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Makes sure the driver is registered. */
    public static void register() {
        // the static initialiser does the work
    }

    @Override
    public Connection connect(String url, Properties info) {
        return acceptsURL(url) ? proxy(Connection.class) : null;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type) {
        return (T) Proxy.newProxyInstance(StubDriver.class.getClassLoader(), new Class<?>[] { type }, (p, method, args) -> {
            Class<?> r = method.getReturnType();
            return switch (method.getName()) {
                case "isValid", "getAutoCommit" -> true;
                case "getTransactionIsolation" -> Connection.TRANSACTION_READ_COMMITTED;
                case "createStatement" -> proxy(Statement.class);
                case "prepareStatement" -> proxy(java.sql.PreparedStatement.class);
                case "executeQuery", "getResultSet" -> proxy(ResultSet.class);
                case "hashCode" -> System.identityHashCode(p);
                case "equals" -> p == args[0];
                case "toString" -> "stub " + type.getSimpleName();
                default -> defaultValue(r);
            };
        });
    }

    private static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return Boolean.FALSE;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith("jdbc:stub:");
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
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
    public Logger getParentLogger() {
        return Logger.getLogger("stub");
    }
}
