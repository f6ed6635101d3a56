package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.engine.MariadbDialect;
import io.poolwatch.engine.ReplicaLag;
import io.poolwatch.sampling.ReplicaLagReader;
import io.poolwatch.testing.TestDatabases;

/**
 * Reading replication lag: MariaDB/MySQL replica status rows as the servers print them, and the real servers of the test
 * run, which are primaries (the streaming standbys are read in {@link ReplicaRoutingPostgresTest}).
 */
class ReplicaLagReadingTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aMariadbReplicaReportsSecondsBehindMaster() {
        ReplicaLag lag = MariadbDialect.fromReplicaStatus(
                Map.of("Slave_IO_Running", "Yes", "Slave_SQL_Running", "Yes", "Seconds_Behind_Master", "42"), "r:3306/app",
                NOW);
        assertEquals(ReplicaLag.State.STREAMING, lag.state());
        assertEquals(Optional.of(42.0), lag.seconds());
        assertEquals(Optional.empty(), lag.bytes());
        assertFalse(lag.replicationStopped());
    }

    @Test
    void mysqlsNewerColumnNamesAreReadToo() {
        ReplicaLag lag = MariadbDialect.fromReplicaStatus(
                Map.of("Replica_IO_Running", "Yes", "Replica_SQL_Running", "Yes", "Seconds_Behind_Source", "3"), "r:3306/app",
                NOW);
        assertEquals(ReplicaLag.State.STREAMING, lag.state());
        assertEquals(Optional.of(3.0), lag.seconds());
    }

    @Test
    void aStoppedSqlThreadIsStoppedReplicationWithItsError() {
        Map<String, String> row = new HashMap<>();
        row.put("Slave_IO_Running", "Yes");
        row.put("Slave_SQL_Running", "No");
        row.put("Seconds_Behind_Master", null);
        row.put("Last_SQL_Error", "Duplicate entry '7' for key 'PRIMARY'");
        ReplicaLag lag = MariadbDialect.fromReplicaStatus(row, "r:3306/app", NOW);
        assertEquals(ReplicaLag.State.STOPPED, lag.state());
        assertTrue(lag.replicationStopped(), "nothing is applied: the lag has no bound");
        assertTrue(lag.detail().contains("Duplicate entry"), lag.detail());
    }

    @Test
    void anIoThreadStillConnectingIsNotStreaming() {
        Map<String, String> row = new HashMap<>();
        row.put("Slave_IO_Running", "Connecting");
        row.put("Slave_SQL_Running", "Yes");
        row.put("Seconds_Behind_Master", null);
        row.put("Last_IO_Error", "error connecting to master");
        ReplicaLag lag = MariadbDialect.fromReplicaStatus(row, "r:3306/app", NOW);
        assertEquals(ReplicaLag.State.NOT_STREAMING, lag.state());
        assertTrue(lag.replicationStopped());
        assertTrue(lag.detail().contains("Connecting"), lag.detail());
    }

    @Test
    void thePostgresqlPrimaryIsNotAReplicaAndListsItsStandbys() throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        try (Connection c = pg.connect()) {
            ReplicaLag lag = ReplicaLagReader.replica(c, DatabaseKind.POSTGRESQL, "primary", NOW);
            assertEquals(ReplicaLag.State.NOT_A_REPLICA, lag.state());
            assertEquals(Optional.of(0.0), lag.seconds());
            ReplicaLagReader.PrimaryView view = ReplicaLagReader.standbys(c, "primary", NOW);
            assertTrue(view.permitted(), "the test user is a superuser: " + view);
            view.standbys().forEach(s -> assertTrue(s.state() != null, s.toString()));
        }
    }

    @Test
    void theMariadbServerIsNotAReplica() throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabases.mariadbUrl())) {
            ReplicaLag lag = ReplicaLagReader.replica(c, DatabaseKind.MARIADB, "mariadb", NOW);
            assertEquals(ReplicaLag.State.NOT_A_REPLICA, lag.state(), lag.detail());
        }
    }
}
