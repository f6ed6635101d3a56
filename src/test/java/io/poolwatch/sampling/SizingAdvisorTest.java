package io.poolwatch.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.DatabaseKind;

class SizingAdvisorTest {

    private static List<PoolSnapshot> history(int samples, long active, long awaiting) {
        List<PoolSnapshot> list = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            list.add(new PoolSnapshot("main", "main", "primary", Instant.ofEpochSecond(i * 5L), 1, 20, active, 0, active, awaiting, active,
                    active / 20.0, PoolCounters.ZERO, PoolCounters.ZERO, 0, Distribution.EMPTY, Distribution.EMPTY, 0, 0, 0, 0));
        }
        return list;
    }

    @Test
    void noAdviceFromTooLittleHistory() {
        assertTrue(SizingAdvisor.forPool("main", 20, history(10, 1, 0)).isEmpty());
    }

    @Test
    void aMaximumNeverApproachedIsOversized() {
        List<SizingAdvice> advice = SizingAdvisor.forPool("main", 20, history(200, 2, 0));
        assertEquals(1, advice.size());
        assertEquals("oversized", advice.get(0).kind());
        assertTrue(advice.get(0).message().contains("at most 2 of 20"), advice.get(0).message());
    }

    @Test
    void aMaximumRegularlyHitIsUndersized() {
        List<PoolSnapshot> h = history(200, 10, 0);
        for (int i = 0; i < 30; i++) {
            h.set(i * 5, history(1, 20, 3).get(0));
        }
        List<SizingAdvice> advice = SizingAdvisor.forPool("main", 20, h);
        assertEquals("undersized", advice.get(0).kind());
    }

    @Test
    void poolsThatCanOutgrowTheServerAreFlagged() {
        ServerSnapshot server = new ServerSnapshot("db:5432/app", DatabaseKind.POSTGRESQL, Instant.now(), true, Optional.empty(), 10, Map.of(),
                List.of(), OptionalInt.of(100), 3, Optional.empty(), Optional.empty(), Optional.empty());
        Map<String, Integer> max = new LinkedHashMap<>();
        max.put("main", 30);
        max.put("financial", 15);
        assertTrue(SizingAdvisor.forServer(server, max, 2).isEmpty());
        List<SizingAdvice> advice = SizingAdvisor.forServer(server, max, 3);
        assertEquals("server-capacity", advice.get(0).kind());
        assertTrue(advice.get(0).message().contains("135") && advice.get(0).message().contains("97"), advice.get(0).message());
    }
}
