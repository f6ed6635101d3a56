package io.poolwatch.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import io.poolwatch.engine.DatabaseKind;

class SizingAdvisorTest {

    private static ServerSnapshot server(int maxConnections, int reserved) {
        return new ServerSnapshot("db:5432/app", DatabaseKind.POSTGRESQL, Instant.now(), true, Optional.empty(), 10, Map.of(),
                List.of(),
                OptionalInt.of(maxConnections), reserved, Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void poolsThatCanOutgrowTheServerAreFlagged() {
        Map<String, Integer> max = new LinkedHashMap<>();
        max.put("main", 30);
        max.put("financial", 15);
        // (30 + 15 + 1 monitoring) x 2 = 92 <= 100 - 3
        assertTrue(SizingAdvisor.forServer(server(100, 3), max, 1, 2).isEmpty());
        // x 3 = 138 > 97
        List<SizingAdvice> advice = SizingAdvisor.forServer(server(100, 3), max, 1, 3);
        assertEquals("server-capacity", advice.get(0).kind());
        assertTrue(advice.get(0).message().contains("(138)") && advice.get(0).message().contains("allows 97"),
                advice.get(0).message());
    }

    @Test
    void theRuleCountsEachReplicasMonitoringConnectionAndTheReservedOnes() {
        Map<String, Integer> max = Map.of("main", 45);
        // (45 + 1) x 2 + 3 = 95: exactly max_connections is enough, one less is not.
        assertTrue(SizingAdvisor.forServer(server(95, 3), max, 1, 2).isEmpty());
        List<SizingAdvice> advice = SizingAdvisor.forServer(server(94, 3), max, 1, 2);
        assertEquals(1, advice.size());
        assertTrue(advice.get(0).message().contains("times 2 replicas"), advice.get(0).message());
    }

    @Test
    void aServerThatRefusedTheMonitorForLackOfSlotsIsAtItsLimitWithTheLimitsLastRead() {
        ServerSnapshot refused = ServerSnapshot.refused("db:5432/app", DatabaseKind.POSTGRESQL,
                Instant.now(),
                "cannot connect: 53300 ...",
                "refused poolwatch's monitoring connection for lack of slots: 53300 sorry, too many clients already",
                Optional.of(server(20, 3)));
        assertTrue(refused.saturated());
        assertEquals(20, refused.maxConnections().getAsInt());
        assertEquals(1.0, refused.connectionUse().orElseThrow());
        // Advice still given: the pools and monitoring connections together may open more than the 17 usable slots.
        List<SizingAdvice> advice = SizingAdvisor.forServer(refused, Map.of("main", 10, "jobs", 10), 1, 1);
        assertEquals(1, advice.size());
        assertTrue(advice.get(0).message().contains("monitoring 1"), advice.get(0).message());
        // Never read before: no limits, but still counted as full.
        ServerSnapshot blind = ServerSnapshot.refused("db:5432/app", DatabaseKind.POSTGRESQL, Instant.now(),
                "x", "y",
                Optional.empty());
        assertEquals(1.0, blind.connectionUse().orElseThrow());
        assertTrue(SizingAdvisor.forServer(blind, Map.of("main", 10), 1, 1).isEmpty());
        // A readable server marked saturated counts as at least full.
        assertEquals(1.0, server(100, 3).saturated("17 sessions take every usable slot").connectionUse().orElseThrow());
    }
}
