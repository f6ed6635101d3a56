package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.engine.ServerRole;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.ReplicaCluster;
import io.poolwatch.testing.TestConfigs;
import io.poolwatch.testing.TestDatabases;

/**
 * Every pool asks its server, on each new connection and each validation, whether it takes writes: a pool that writes,
 * pointed at a real PostgreSQL standby, is "primary is read-only" from its first connection, while a read-only pool on
 * the same standby is fine; a MariaDB primary whose {@code read_only} is switched on is found so at the next validation,
 * its connections flushed, and found taking writes again when it is switched off.
 */
class ServerRoleTest {

    private static WorkloadPool pool(String url, Map<String, String> keys) throws SQLException {
        return pool(url, keys, new CopyOnWriteArrayList<>());
    }

    /** A pool of {@code main} on {@code url}, telling {@code changes} of every change of its server's role. */
    private static WorkloadPool pool(String url, Map<String, String> keys, List<RoleProbe.Change> changes)
            throws SQLException {
        Map<String, String> all = new HashMap<>(keys);
        all.put("poolwatch.pools.main.min-size", "1");
        all.put("poolwatch.pools.main.max-size", "2");
        ResolvedConfiguration config = TestConfigs.resolve(TestConfigs.only(all, "main"), Map.of("DATABASE_URL", url));
        PoolSettings settings = config.pools().get(0);
        return PoolFactory.create(settings, config.monitoring(), Optional.empty(), false,
                new RoleProbe.Listeners(changes::add, moved -> {
                }));
    }

    private static void select(WorkloadPool pool) throws SQLException {
        try (Connection c = pool.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT 1");
        }
    }

    @Test
    void aPoolThatWritesOnAStandbyIsPrimaryReadOnlyFromItsFirstConnection() throws Exception {
        ReplicaCluster.Standby standby = ReplicaCluster.require().get(0);
        List<RoleProbe.Change> writeChanges = new CopyOnWriteArrayList<>();
        List<RoleProbe.Change> readChanges = new CopyOnWriteArrayList<>();
        try (WorkloadPool writes = pool(standby.seedUrl(), Map.of(), writeChanges);
                WorkloadPool reads = pool(standby.seedUrl(), Map.of("poolwatch.pools.main.read-only", "true"), readChanges)) {
            select(writes);
            select(reads);
            Await.until("the standby's role is known to both pools",
                    () -> writes.roles().latest().isPresent() && reads.roles().latest().isPresent());
            assertEquals(ServerRole.READ_ONLY, writes.roles().latest().get().role());
            assertTrue(writes.roles().primaryReadOnly(), "a pool that writes, on a standby");
            assertEquals(0, writes.roles().latest().get().changes());
            // Reads work there, and a pool whose sessions are read-only is where it should be.
            assertEquals(ServerRole.READ_ONLY, reads.roles().latest().get().role());
            assertFalse(reads.roles().primaryReadOnly(), "a read-only pool on a standby");
            // One event for the pool that writes (its first answer is a fault), none for the one that reads.
            assertEquals(1, writeChanges.size(), writeChanges.toString());
            assertEquals(Optional.empty(), writeChanges.get(0).before());
            assertTrue(writeChanges.get(0).primaryReadOnly());
            assertEquals(List.of(), readChanges);
        }
    }

    @Test
    void aMultiHostUrlWithTargetSessionAttrsReachesThePrimaryWhereverItIsListed() throws Exception {
        ReplicaCluster.Standby standby = ReplicaCluster.require().get(0);
        TestDatabases.Server pg = TestDatabases.postgres();
        // The standby first: without the parameter pgjdbc takes the first host that answers.
        String hosts = "127.0.0.1:" + standby.port() + "," + pg.host() + ":" + pg.port();
        String base = "postgresql://" + pg.user() + ":" + pg.password() + "@" + hosts + "/" + TestDatabases.DATABASE;
        try (WorkloadPool primary = pool(base + "?target_session_attrs=read-write", Map.of());
                WorkloadPool first = pool(base, Map.of())) {
            select(primary);
            select(first);
            Await.until("both pools' servers have answered",
                    () -> primary.roles().latest().isPresent() && first.roles().latest().isPresent());
            assertEquals(ServerRole.PRIMARY, primary.roles().latest().get().role(), "read-write chooses the primary");
            assertEquals(ServerRole.READ_ONLY, first.roles().latest().get().role(), "no choice: the first host, a standby");
        }
    }

    @Test
    void aReplicaWhoseServerTakesWritesLeavesReadRouting() throws Exception {
        ReplicaCluster.Standby standby = ReplicaCluster.require().get(0);
        TestDatabases.Server pg = TestDatabases.postgres();
        // One replica on a standby; one on the primary itself, as a promoted standby is after a failover.
        Map<String, String> keys = Map.of("poolwatch.pools.main.min-size", "1",
                "poolwatch.pools.main.replicas.standby.url", standby.seedUrl(),
                "poolwatch.pools.main.replicas.promoted.url", pg.seedUrl());
        ResolvedConfiguration config = TestConfigs.resolve(TestConfigs.only(keys, "main"),
                Map.of("DATABASE_URL", pg.seedUrl()));
        PoolSettings main = config.pools().get(0);
        try (PoolGroup pools = PoolGroup.open(config.allPools(), config.monitoring())) {
            List<ReplicaSet.Replica> replicas = main.replicas().stream()
                    .map(r -> new ReplicaSet.Replica(r, pools.get(r.name()))).toList();
            ReplicaSet set = new ReplicaSet("main", pools.get("main"), main.readRouting(), replicas);
            for (ReplicaSet.Replica r : replicas) {
                select(r.pool());
            }
            Await.until("both replicas' servers have answered",
                    () -> replicas.stream().allMatch(r -> r.pool().roles().latest().isPresent()));
            // The health side says both answer and neither lags: only the role tells them apart.
            ReplicaCondition up = new ReplicaCondition(ReplicaCondition.Reachability.UP, Optional.of(Instant.now()),
                    Optional.of(0.0), Optional.empty(), false, "validated");
            ReplicaUsability[] usability = set.usability(replica -> up);
            Map<String, ReplicaUsability> byName = new HashMap<>();
            for (int i = 0; i < replicas.size(); i++) {
                byName.put(replicas.get(i).name(), usability[i]);
            }
            assertEquals(Map.of("main-replica-standby", ReplicaUsability.USABLE, "main-replica-promoted",
                    ReplicaUsability.PROMOTED), byName);
            ReplicaSet.Replica promoted = replicas.stream().filter(r -> r.name().equals("main-replica-promoted"))
                    .findFirst().orElseThrow();
            assertTrue(set.describe(promoted, ReplicaUsability.PROMOTED, up).startsWith("promoted (its server takes writes"),
                    set.describe(promoted, ReplicaUsability.PROMOTED, up));
            assertTrue(ReplicaUsability.PROMOTED.skip(), "a promoted replica's reads are counted as skipped");
        }
    }

    @Test
    void aPrimaryTurnedReadOnlyIsFoundAtTheNextValidationAndFlushed() throws Exception {
        String url = TestDatabases.mariadbUrl();
        List<RoleProbe.Change> changes = new CopyOnWriteArrayList<>();
        try (WorkloadPool pool = pool(url, Map.of("poolwatch.pools.main.validate-on-borrow", "true"), changes)) {
            select(pool);
            Await.until("the primary's role is known", () -> pool.roles().latest().isPresent());
            assertEquals(ServerRole.PRIMARY, pool.roles().latest().get().role());
            assertFalse(pool.roles().primaryReadOnly());
            long destroyedBefore = pool.recorder().counters().destroyed();
            try {
                readOnly(true);
                // The borrow validates the idle connection: the server now says it refuses writes.
                select(pool);
                assertTrue(pool.roles().primaryReadOnly(), "read_only=1 on the primary");
                assertEquals(1, pool.roles().latest().get().changes());
                // The flush closes the connections that were open on it; the pool refills with new ones.
                Await.until("the pool's connections flushed", () -> pool.recorder().counters().destroyed() > destroyedBefore);
            } finally {
                readOnly(false);
            }
            Await.until("the primary found taking writes again", () -> {
                try {
                    select(pool);
                } catch (SQLException e) {
                    return false;
                }
                return !pool.roles().primaryReadOnly();
            });
            assertEquals(ServerRole.PRIMARY, pool.roles().latest().get().role());
            assertEquals(2, pool.roles().latest().get().changes());
            // Two events: primary to read-only (a fault), and back.
            assertEquals(List.of(Optional.of(ServerRole.PRIMARY), Optional.of(ServerRole.READ_ONLY)),
                    changes.stream().map(RoleProbe.Change::before).toList());
            assertEquals(List.of(true, false), changes.stream().map(RoleProbe.Change::primaryReadOnly).toList());
        }
    }

    /** {@code read_only} on the test MariaDB; the tests log in as root, whose writes it does not stop. */
    private static void readOnly(boolean on) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabases.mariadbUrl()); Statement st = c.createStatement()) {
            st.execute("SET GLOBAL read_only = " + (on ? 1 : 0));
        }
    }
}
