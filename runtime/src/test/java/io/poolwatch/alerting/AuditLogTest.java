package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.testing.TestConfigs;

/** The audit log's bounds, in memory: fields, retention classes, and refused requests counted per window. */
class AuditLogTest {

    private final WebhookDeliveryTest.TestClock clock = new WebhookDeliveryTest.TestClock(WebhookDeliveryTest.T0);

    private AuditLog log(int capacity, int perWindow) {
        return new AuditLog(new AuditLog.Limits(capacity, 100, Duration.ofDays(1), Duration.ofMinutes(1), perWindow), clock);
    }

    private static Map<String, Object> action(String user, String path, int status, String outcome) {
        return OutboxContractTest.action(user, "192.0.2.1", path, status, outcome);
    }

    private static long count(AuditLog.Event e) {
        return ((Number) e.fields().getOrDefault("count", 1)).longValue();
    }

    @Test
    void everyFieldTheNameOfEachAndTheTypeAreBounded() {
        AuditLog log = log(10, 50);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("k".repeat(1000), "v".repeat(100_000));
        fields.put("object", new StringBuilder("o".repeat(5000)));
        fields.put("number", 42);
        fields.put("emoji", "\uD83D\uDE00".repeat(200));
        for (int i = 0; i < 100; i++) {
            fields.put("f" + i, i);
        }
        AuditLog.Event e = log.record("t".repeat(500), fields);
        assertTrue(e.type().length() <= AuditLog.MAX_TYPE_LENGTH, e.type());
        assertEquals(AuditLog.MAX_FIELDS, e.fields().size());
        for (Map.Entry<String, Object> f : e.fields().entrySet()) {
            assertTrue(f.getKey().length() <= AuditLog.MAX_NAME_LENGTH, f.getKey());
            assertTrue(!(f.getValue() instanceof String s) || s.length() <= AuditLog.MAX_FIELD_LENGTH, f.getKey());
            assertTrue(
                    !(f.getValue() instanceof String s)
                            || !Character.isHighSurrogate(s.charAt(s.length() - 1 - AuditLog.CUT.length())),
                    "a surrogate pair split in " + f.getKey());
        }
        assertEquals(42, e.fields().get("number"));
        assertTrue(AuditLog.json(e).length() < 16_384, "one entry is at most a few KB");
    }

    @Test
    void noClassEvictsAnother() {
        AuditLog log = log(5, 50);
        log.record(AuditLog.ADMIN_ACTION, action("ada", "/actions/pools/main/reset-metrics", 303, "done"));
        for (int i = 0; i < 50; i++) {
            log.record(AuditLog.NOTIFICATION_ATTEMPT, Map.of("receiver", "ops", "outcome", "failed"));
            log.record(AuditLog.ADMIN_ACTION, action("anonymous", "/api/v1/checks/x/run", 200, "done"));
            log.record(AuditLog.ADMIN_ACTION, action("vera", "/api/v1/silences/" + i, 403, "refused"));
            log.record("other.thing", Map.of("n", i));
        }
        List<AuditLog.Event> all = log.recent(1000, null);
        assertEquals(1, all.stream().filter(e -> "ada".equals(e.fields().get("user"))).count(),
                "the admin's action is still there");
        assertEquals(5, all.stream().filter(e -> AuditLog.NOTIFICATION_ATTEMPT.equals(e.type())).count());
        assertEquals(5, all.stream().filter(e -> "anonymous".equals(e.fields().get("user"))).count());
        assertEquals(50, all.stream().filter(e -> "vera".equals(e.fields().get("user"))).mapToLong(AuditLogTest::count).sum(),
                "refused requests are counted, not kept one by one");
        assertEquals(all.stream().sorted((a, b) -> Long.compare(b.seq(), a.seq())).toList(), all, "newest first");
        assertEquals(3, log.recent(3, null).size());
    }

    @Test
    void refusedRequestsAreCountedPerWindowWithinTheWindowsCap() {
        AuditLog log = log(100, 3);
        for (int i = 0; i < 10; i++) {
            log.record(AuditLog.ADMIN_ACTION, action("anonymous", "/p/" + i, 401, "refused"));
            log.record(AuditLog.ADMIN_ACTION, action("anonymous", "/p/0", 401, "refused"));
        }
        List<AuditLog.Event> listed = log.recent(100, AuditLog.ADMIN_ACTION);
        assertEquals(4, listed.size(), listed.toString());
        assertEquals(11, count(listed.stream().filter(e -> "/p/0".equals(e.fields().get("path"))).findFirst().orElseThrow()),
                "listed with its count so far while the window lasts");
        AuditLog.Event overflow = listed.stream().filter(e -> AuditLog.SEVERAL.equals(e.fields().get("path"))).findFirst()
                .orElseThrow();
        assertEquals(7, count(overflow));
        assertEquals("anonymous", overflow.fields().get("user"), "what every overflowed request shared is kept");
        assertEquals(401, overflow.fields().get("status"));

        // a new window, new entries; the last one's are kept as they ended
        clock.advance(Duration.ofMinutes(1));
        log.record(AuditLog.ADMIN_ACTION, action("anonymous", "/p/0", 401, "refused"));
        listed = log.recent(100, AuditLog.ADMIN_ACTION);
        assertEquals(5, listed.size(), listed.toString());
        assertEquals(1, count(listed.get(0)));
        assertEquals(21, listed.stream().mapToLong(AuditLogTest::count).sum());
        // an anonymous request that was not done (a 400 before sign-in) is counted too; a done one is kept as it is
        log.record(AuditLog.ADMIN_ACTION, action("anonymous", "/p/0", 400, "rejected"));
        assertEquals(AuditLog.Retention.REFUSED,
                AuditLog.Retention.of(AuditLog.ADMIN_ACTION, action("anonymous", "/x", 400, "rejected")));
        assertEquals(AuditLog.Retention.ANONYMOUS,
                AuditLog.Retention.of(AuditLog.ADMIN_ACTION, action("anonymous", "/x", 200, "done")));
        assertEquals(AuditLog.Retention.ACTIONS,
                AuditLog.Retention.of(AuditLog.ADMIN_ACTION, action("ada", "/x", 400, "rejected")));
        assertEquals(AuditLog.Retention.REFUSED,
                AuditLog.Retention.of(AuditLog.ADMIN_ACTION, action("ada", "/x", 403, "refused")));
    }

    @Test
    void theBoundsAreConfiguredAndBadOnesNamed() {
        AuditLog.Limits d = AuditLog.Limits.of(TestConfigs.mapping(Map.of()).alerting().audit());
        assertEquals(AuditLog.Limits.DEFAULTS, d);
        AuditLog.Limits set = AuditLog.Limits.of(TestConfigs.mapping(Map.of("poolwatch.alerting.audit.max-entries", "200",
                "poolwatch.alerting.audit.retention", "7d", "poolwatch.alerting.audit.refused-window", "10s",
                "poolwatch.alerting.audit.refused-per-window", "5")).alerting().audit());
        assertEquals(new AuditLog.Limits(200, 200, Duration.ofDays(7), Duration.ofSeconds(10), 5), set);
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> AuditLog.Limits.of(TestConfigs.mapping(Map.of(
                        "poolwatch.alerting.audit.max-entries", "0", "poolwatch.alerting.audit.retention", "0s",
                        "poolwatch.alerting.audit.refused-window", "2h", "poolwatch.alerting.audit.refused-per-window", "-1"))
                        .alerting().audit()));
        assertEquals(List.of("poolwatch.alerting.audit.max-entries=0: accepted: 1 to 10000000",
                "poolwatch.alerting.audit.refused-per-window=-1: accepted: 1 to 10000",
                "poolwatch.alerting.audit.retention=0s: accepted: above 0s, such as 90d",
                "poolwatch.alerting.audit.refused-window=2h: accepted: 1s to 1h"), e.problems());
    }
}
