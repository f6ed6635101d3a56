package io.poolwatch.examples.transfers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The example's own database, {@code poolwatch_transfers}, on the PostgreSQL at 127.0.0.1:5432 (or the server of
 * {@code TRANSFERS_PG_HOST}/{@code TRANSFERS_PG_PORT}), created when missing; the application gets it as DATABASE_URL.
 */
public class TransfersDatabaseTestResource implements QuarkusTestResourceLifecycleManager {

    static final String DATABASE = "poolwatch_transfers";
    static final String HOST = System.getenv().getOrDefault("TRANSFERS_PG_HOST", "127.0.0.1");
    static final String PORT = System.getenv().getOrDefault("TRANSFERS_PG_PORT", "5432");
    static final String USER = System.getenv().getOrDefault("TRANSFERS_PG_USER", "postgres");

    /** A connection of the test itself to the example's database, outside poolwatch's pools. */
    static Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + DATABASE, USER, "");
    }

    @Override
    public Map<String, String> start() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", USER, "");
                Statement st = c.createStatement()) {
            boolean exists;
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                exists = rs.next();
            }
            if (!exists) {
                st.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            // Two test JVMs may race to create it; the loser finds it there. Anything else shows when the app connects.
            if (!"42P04".equals(e.getSQLState())) {
                throw new IllegalStateException(
                        "no PostgreSQL for the transfers example at " + HOST + ":" + PORT + ": " + e.getMessage(), e);
            }
        }
        return Map.of("DATABASE_URL", "postgresql://" + USER + "@" + HOST + ":" + PORT + "/" + DATABASE);
    }

    @Override
    public void stop() {
        // The database stays: the test checks invariants that hold across runs, so leftovers from earlier runs do no harm.
    }
}
