package io.poolwatch.observed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Console answers read by column name, whatever the version prints. */
class PgBouncerReadingTest {

    private static Map<String, String> row(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void columnsAreReadByNameAndMissingOnesAreZero() {
        // 1.18's columns, and an old version's without maxwait_us, cl_active_cancel_req or sv_used.
        List<Map<String, String>> pools = List.of(
                row("database", "app", "user", "web", "cl_active", "3", "cl_waiting", "2", "cl_active_cancel_req", "1",
                        "cl_waiting_cancel_req", "0", "sv_active", "4", "sv_idle", "1", "sv_used", "2", "maxwait", "1",
                        "maxwait_us", "500000",
                        "pool_mode", "transaction"),
                row("database", "old", "user", "batch", "cl_active", "1", "cl_waiting", "0", "sv_active", "1", "maxwait", "0"),
                row("database", "pgbouncer", "user", "pgbouncer", "cl_active", "1", "pool_mode", "statement"));
        List<Map<String, String>> stats = List
                .of(row("database", "app", "avg_wait_time", "2500", "avg_xact_count", "12", "avg_query_count", "30"));
        PgBouncerSnapshot s = PgBouncerReading.snapshot("edge", "h:6432", Instant.EPOCH, pools, stats,
                PgBouncerReading.config(
                        List.of(row("key", "max_client_conn", "value", "400"), row("key", "default_pool_size", "value", "20"),
                                row("key", "listen_port", "value", "6432"))),
                PgBouncerReading.version(List.of(row("version", "PgBouncer 1.18.0"))));
        assertEquals(2, s.pools().size(), "the console's own pool is left out");
        PgBouncerPool app = s.pools().get(0);
        assertEquals("app", app.database());
        assertEquals(2, app.clientsWaiting());
        assertEquals(1.5, app.maxWaitSeconds(), 1e-9);
        assertEquals(0.0025, app.averageWaitSeconds(), 1e-9);
        assertEquals(12, app.transactionsPerSecond());
        assertEquals(30, app.queriesPerSecond());
        PgBouncerPool old = s.pools().get(1);
        assertEquals(0, old.serversUsed());
        assertEquals(0, old.averageWaitSeconds());
        assertEquals("", old.mode());
        // 3 + 2 + 1 + 0 (app) + 1 (old) + 1 (console): every cl_* column of every pool
        assertEquals(8, s.clientConnections());
        assertEquals(400, s.maxClientConnections().getAsInt());
        assertEquals(20, s.defaultPoolSize().getAsInt());
        assertEquals(0.02, s.clientConnectionUse().getAsDouble(), 1e-9);
        assertEquals(Optional.of("PgBouncer 1.18.0"), s.version());
        assertEquals(2, s.clientsWaiting());
    }

    @Test
    void poolsAreBoundedAndThoseWithClientsWaitingAreKept() {
        List<Map<String, String>> pools = new ArrayList<>();
        for (int i = 0; i < PgBouncerReading.MAX_POOLS + 50; i++) {
            pools.add(row("database", "db" + i, "user", "u", "cl_active", "1", "cl_waiting", i == 240 ? "5" : "0"));
        }
        PgBouncerSnapshot s = PgBouncerReading.snapshot("edge", "h:6432", Instant.EPOCH, pools, List.of(), Map.of(),
                Optional.empty());
        assertEquals(PgBouncerReading.MAX_POOLS, s.pools().size());
        assertEquals(50, s.poolsLeftOut());
        assertEquals("db240", s.pools().get(0).database());
        assertEquals(PgBouncerReading.MAX_POOLS + 50 + 5, s.clientConnections());
        assertTrue(s.maxClientConnections().isEmpty());
        assertTrue(s.clientConnectionUse().isEmpty());
    }

    @Test
    void textThatIsNotANumberReadsAsZero() {
        PgBouncerSnapshot s = PgBouncerReading.snapshot("edge", "h:6432", Instant.EPOCH,
                List.of(row("database", "app", "user", "u", "cl_waiting", "lots", "maxwait", "-")), List.of(), Map.of(),
                Optional.empty());
        assertEquals(0, s.pools().get(0).clientsWaiting());
        assertEquals(0, s.maxWaitSeconds());
    }
}
