package io.poolwatch.observed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.pool.MonitorGate;
import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.TestDatabases;

/**
 * Applications on a real PostgreSQL: sessions opened here with unique application names, a throwaway role, a row
 * lock, matched by exact name, glob, user and client address; the rest shown as suggestions; a server that cannot be
 * reached gives unavailable snapshots.
 */
class ApplicationSamplerPostgresTest {

    @Test
    void sessionsAreMatchedByNameGlobUserAndAddress() throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        String s = UUID.randomUUID().toString().substring(0, 8);
        String role = "pw_role_" + s;
        String table = "app_lock_" + s;
        String p = "pw-app-" + s;
        Map<String, String> keys = new HashMap<>();
        keys.put("poolwatch.applications.\"api-" + s + "\".application-name", p + "-api");
        keys.put("poolwatch.applications.\"api-" + s + "\".expected-max", "4");
        keys.put("poolwatch.applications.\"workers-" + s + "\".application-name", p + "-worker-*");
        keys.put("poolwatch.applications.\"role-" + s + "\".application-name", "*");
        keys.put("poolwatch.applications.\"role-" + s + "\".user", role);
        keys.put("poolwatch.applications.\"near-" + s + "\".application-name", p + "-near");
        keys.put("poolwatch.applications.\"near-" + s + "\".client-address", "127.0.0.1/32");
        keys.put("poolwatch.applications.\"far-" + s + "\".application-name", p + "-far");
        keys.put("poolwatch.applications.\"far-" + s + "\".client-address", "10.0.0.0/8");
        ApplicationDefinitions.Parsed parsed = ApplicationDefinitions
                .parse(ApplicationMatchingTest.mapping(keys).applications());
        assertEquals(List.of(), parsed.problems());
        String label = pg.host() + ":" + pg.port() + "/" + TestDatabases.DATABASE;
        PGSimpleDataSource monitor = new PGSimpleDataSource();
        monitor.setURL(pg.jdbcUrl());
        monitor.setUser(pg.user());
        monitor.setPassword(pg.password());
        monitor.setApplicationName("poolwatch-monitor");
        MonitorTarget target = new MonitorTarget(label, DatabaseKind.POSTGRESQL, monitor, List.of("main"),
                Map.of("main", p + "-own"),
                new MonitorGate(label, Clock.systemUTC()));
        ApplicationSampler sampler = new ApplicationSampler(() -> List.of(target), () -> true, parsed.definitions(), 5_000);

        List<Connection> open = new ArrayList<>();
        CompletableFuture<Void> waiter = null;
        try (Connection admin = pg.connect(); Statement st = admin.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN");
            st.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, v int)");
            st.execute("INSERT INTO " + table + " VALUES (1, 0)");
            st.execute("GRANT ALL ON " + table + " TO " + role);
            try {
                // api: one idle in a transaction, one holding a row lock (idle in its transaction), one waiting on it.
                Connection idle = open(open, pg, pg.user(), p + "-api");
                idle.setAutoCommit(false);
                idle.createStatement().executeQuery("SELECT 1").close();
                Connection holder = open(open, pg, pg.user(), p + "-api");
                holder.setAutoCommit(false);
                holder.createStatement().executeUpdate("UPDATE " + table + " SET v = v + 1 WHERE id = 1");
                Connection blocked = open(open, pg, pg.user(), p + "-api");
                waiter = CompletableFuture.runAsync(() -> {
                    try (Statement w = blocked.createStatement()) {
                        w.executeUpdate("UPDATE " + table + " SET v = v + 1 WHERE id = 1");
                    } catch (Exception e) {
                        // the holder's rollback releases it, or the connection is closed first: either ends the test's wait
                    }
                });
                open(open, pg, pg.user(), p + "-worker-1");
                open(open, pg, pg.user(), p + "-worker-2");
                open(open, pg, role, p + "-by-role");
                open(open, pg, pg.user(), p + "-near");
                open(open, pg, pg.user(), p + "-far");
                open(open, pg, pg.user(), p + "-stray");
                open(open, pg, pg.user(), p + "-stray");
                open(open, pg, pg.user(), p + "-own");

                Await.until("the blocked session waits on the lock and the idle one has been idle a while", () -> {
                    sampler.sampleNow();
                    ApplicationSnapshot api = one(sampler, "api-" + s);
                    return api.waitingOnLock() == 1
                            && api.oldestIdleInTransaction().map(d -> d.compareTo(Duration.ofMillis(300)) >= 0).orElse(false);
                });
                ApplicationSnapshot api = one(sampler, "api-" + s);
                assertTrue(api.available());
                assertEquals(label, api.database());
                assertEquals(3, api.sessions(), api.toString());
                assertEquals(2, api.idleInTransaction(), api.toString());
                assertEquals(Map.of("idle in transaction", 2, "active", 1), api.sessionsByState());
                assertEquals(1, api.instances(), "all from 127.0.0.1");
                assertTrue(api.longestTransaction().orElseThrow().compareTo(api.oldestIdleInTransaction().orElseThrow()) >= 0,
                        api.toString());
                assertTrue(api.longestStatement().isPresent(), "the waiting UPDATE is a running statement");
                assertEquals(0.75, api.utilization().orElseThrow(), 1e-9);
                assertEquals("any", api.user());

                ApplicationSnapshot workers = one(sampler, "workers-" + s);
                assertEquals(2, workers.sessions());
                assertEquals(Map.of("idle", 2), workers.sessionsByState());
                assertTrue(workers.utilization().isEmpty(), "no expected-max, no utilization");
                ApplicationSnapshot byRole = one(sampler, "role-" + s);
                assertEquals(1, byRole.sessions(), byRole.toString());
                assertEquals(role, byRole.user());
                assertEquals(1, one(sampler, "near-" + s).sessions(), "127.0.0.1 is in 127.0.0.1/32");
                assertEquals(0, one(sampler, "far-" + s).sessions(), "127.0.0.1 is not in 10.0.0.0/8");

                List<UnmatchedSessions> mine = sampler.suggestions().stream().filter(u -> u.applicationName().startsWith(p))
                        .toList();
                assertEquals(
                        List.of(new UnmatchedSessions(label, p + "-stray", pg.user(), 2, 1),
                                new UnmatchedSessions(label, p + "-far", pg.user(), 1, 1)),
                        mine, "largest first; the own pool's session and the matched ones are not suggested");
                assertTrue(sampler.suggestions().stream().noneMatch(u -> u.applicationName().equals("poolwatch-monitor")));
                ApplicationSampler.DatabaseRead read = sampler.databases().get(0);
                assertTrue(read.available() && read.applicationNames() && read.sessionsOmitted() == 0, read.toString());

                // A read limit below the sessions there: the rest are counted, not matched.
                ApplicationSampler small = new ApplicationSampler(() -> List.of(target), () -> true, parsed.definitions(), 2);
                small.sampleNow();
                assertEquals(2, small.databases().get(0).sessionsRead());
                assertTrue(small.databases().get(0).sessionsOmitted() >= 9, small.databases().toString());
            } finally {
                for (Connection c : open) {
                    c.close();
                }
                if (waiter != null) {
                    waiter.get(10, TimeUnit.SECONDS);
                }
                st.execute("DROP TABLE IF EXISTS " + table);
                st.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    @Test
    void anUnreachableServerGivesUnavailableSnapshotsNotZeros() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String label = "127.0.0.1:" + port + "/nowhere";
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL("jdbc:postgresql://127.0.0.1:" + port + "/nowhere");
        ds.setUser("postgres");
        ds.setConnectTimeout(2);
        MonitorTarget target = new MonitorTarget(label, DatabaseKind.POSTGRESQL, ds, List.of(), Map.of(),
                new MonitorGate(label, Clock.systemUTC()));
        ApplicationDefinitions.Parsed parsed = ApplicationMatchingTest.parse(Map.of("api", "api"),
                Map.of("poolwatch.applications.\"api\".expected-max", "10"));
        ApplicationSampler sampler = new ApplicationSampler(() -> List.of(target), () -> true, parsed.definitions(), 5_000);
        sampler.sampleNow();
        ApplicationSnapshot api = one(sampler, "api");
        assertFalse(api.available());
        assertTrue(api.unavailableReason().orElseThrow().startsWith("cannot connect"), api.toString());
        assertTrue(api.utilization().isEmpty(), "no utilization from a server that was not read");
        assertEquals(List.of(), sampler.suggestions());
        assertFalse(sampler.databases().get(0).available());
    }

    private static ApplicationSnapshot one(ApplicationSampler sampler, String name) {
        List<ApplicationSnapshot> all = sampler.latest(name);
        assertEquals(1, all.size(), name + ": " + all);
        return all.get(0);
    }

    private static Connection open(List<Connection> open, TestDatabases.Server pg, String user, String applicationName)
            throws Exception {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", pg.password());
        props.setProperty("ApplicationName", applicationName);
        Connection c = DriverManager.getConnection(pg.jdbcUrl(), props);
        open.add(c);
        return c;
    }
}
