package io.poolwatch.observed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.pool.MonitorGate;
import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.TestDatabases;

/** Applications on a real MariaDB, told apart by user (performance_schema off: no application names). */
class ApplicationSamplerMariadbTest {

    @Test
    void applicationsByUser() throws Exception {
        String url = TestDatabases.mariadbUrl();
        String s = UUID.randomUUID().toString().substring(0, 8);
        String user = "pw_user_" + s;
        String other = "pw_other_" + s;
        String table = "app_probe_" + s;
        String label = "127.0.0.1:3306/" + TestDatabases.DATABASE;
        ApplicationDefinitions.Parsed parsed = ApplicationMatchingTest.parse(Map.of("by-user-" + s, "*"),
                Map.of("poolwatch.applications.\"by-user-" + s + "\".user", user,
                        "poolwatch.applications.\"by-user-" + s + "\".expected-max", "4"));
        MariaDbDataSource monitor = new MariaDbDataSource(url);
        MonitorTarget target = new MonitorTarget(label, DatabaseKind.MARIADB, monitor, List.of(), Map.of(),
                new MonitorGate(label, Clock.systemUTC()));
        ApplicationSampler sampler = new ApplicationSampler(() -> List.of(target), () -> true, parsed.definitions(), 5_000);
        List<Connection> open = new ArrayList<>();
        try (Connection admin = DriverManager.getConnection(url); Statement st = admin.createStatement()) {
            st.execute("CREATE USER '" + user + "'@'%'");
            st.execute("CREATE USER '" + other + "'@'%'");
            st.execute("GRANT ALL ON " + TestDatabases.DATABASE + ".* TO '" + user + "'@'%'");
            st.execute("GRANT ALL ON " + TestDatabases.DATABASE + ".* TO '" + other + "'@'%'");
            st.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT) ENGINE=InnoDB");
            st.execute("INSERT INTO " + table + " VALUES (1, 0)");
            try {
                String base = "jdbc:mariadb://127.0.0.1:3306/" + TestDatabases.DATABASE + "?user=";
                Connection inTx = DriverManager.getConnection(base + user);
                open.add(inTx);
                inTx.setAutoCommit(false);
                inTx.createStatement().executeUpdate("UPDATE " + table + " SET v = v + 1 WHERE id = 1");
                open.add(DriverManager.getConnection(base + user));
                open.add(DriverManager.getConnection(base + other));

                Await.until("both sessions of " + user + " are seen, one idle in its transaction", () -> {
                    sampler.sampleNow();
                    List<ApplicationSnapshot> l = sampler.latest("by-user-" + s);
                    return l.size() == 1 && l.get(0).sessions() == 2 && l.get(0).idleInTransaction() == 1;
                });
                ApplicationSnapshot app = sampler.latest("by-user-" + s).get(0);
                assertTrue(app.available());
                assertEquals(Map.of("sleep", 2), app.sessionsByState());
                assertEquals(1, app.instances());
                assertTrue(app.longestTransaction().isPresent(), "innodb_trx is readable by root");
                assertEquals(0.5, app.utilization().orElseThrow(), 1e-9);
                assertEquals(user, app.user());
                assertFalse(sampler.databases().get(0).applicationNames(), "performance_schema is off here");
                List<UnmatchedSessions> mine = sampler.suggestions().stream().filter(u -> u.user().startsWith("pw_")).toList();
                assertEquals(List.of(new UnmatchedSessions(label, "", other, 1, 1)),
                        mine.stream().filter(u -> u.user().endsWith(s)).toList());
            } finally {
                for (Connection c : open) {
                    c.close();
                }
                st.execute("DROP TABLE IF EXISTS " + table);
                st.execute("DROP USER IF EXISTS '" + user + "'@'%'");
                st.execute("DROP USER IF EXISTS '" + other + "'@'%'");
            }
        }
    }
}
