package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.config.Severity;

/** Alertmanager's grouping timers with an explicit clock: group wait, group interval, repeat interval; routes by severity. */
class NotificationDispatcherTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Set<Severity> ALL = Set.of(Severity.values());

    private static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static Alert alert(String name, String pool, AlertState state, String severity, List<String> silencedBy) {
        TreeMap<String, String> labels = new TreeMap<>(
                Map.of("alertname", name, "pool", pool, "severity", severity, "instance", "pod-1"));
        return new Alert(Fingerprint.of(labels), state, labels, Map.of("summary", name + " on " + pool), 1, 0.8, T0,
                state == AlertState.PENDING ? null : T0, state == AlertState.RESOLVED ? t(100) : null, silencedBy);
    }

    private static Alert firing(String name, String pool) {
        return alert(name, pool, AlertState.FIRING, "warning", List.of());
    }

    private static NotificationDispatcher dispatcher(boolean sendResolved) {
        return new NotificationDispatcher(List.of(new NotificationDispatcher.Route("ops", ALL, sendResolved)),
                List.of("alertname"),
                Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(4));
    }

    @Test
    void groupWaitThenChangesPerGroupIntervalThenRepeats() {
        NotificationDispatcher d = dispatcher(true);
        Alert main = firing("pool-utilization", "main");
        assertTrue(d.tick(t(0), List.of(main)).isEmpty(), "a new group waits group-wait");
        // A second alert of the same group arriving within group-wait goes in the same notification.
        Alert jobs = firing("pool-utilization", "jobs");
        assertTrue(d.tick(t(20), List.of(main, jobs)).isEmpty());
        List<NotificationDispatcher.GroupNotification> first = d.tick(t(30), List.of(main, jobs));
        assertEquals(1, first.size());
        assertEquals("{}:{alertname=\"pool-utilization\"}", first.get(0).groupKey());
        assertEquals(2, first.get(0).alerts().size());
        assertEquals(Notification.FIRING, first.get(0).status());

        // Nothing changed: nothing sent at the next group interval.
        assertTrue(d.tick(t(330), List.of(main, jobs)).isEmpty());
        // main resolves at 400: it is sent at the group interval after, not at once.
        Alert mainResolved = alert("pool-utilization", "main", AlertState.RESOLVED, "warning", List.of());
        assertTrue(d.tick(t(400), List.of(mainResolved, jobs)).isEmpty());
        List<NotificationDispatcher.GroupNotification> change = d.tick(t(630), List.of(mainResolved, jobs));
        assertEquals(1, change.size());
        assertEquals(Notification.FIRING, change.get(0).status(), "jobs still fires");
        assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED),
                change.get(0).alerts().stream().map(Alert::state).toList());
        // The resolved alert was sent once; the unchanged group repeats only after the repeat interval.
        assertTrue(d.tick(t(930), List.of(mainResolved, jobs)).isEmpty());
        List<NotificationDispatcher.GroupNotification> repeat = d.tick(t(630 + 4 * 3600), List.of(jobs));
        assertEquals(1, repeat.size());
        assertEquals(List.of(jobs.fingerprint()), repeat.get(0).alerts().stream().map(Alert::fingerprint).toList());

        // Everything resolves: one resolved notification, then the group is gone.
        Alert jobsResolved = alert("pool-utilization", "jobs", AlertState.RESOLVED, "warning", List.of());
        List<NotificationDispatcher.GroupNotification> done = d.tick(t(630 + 4 * 3600 + 300), List.of(jobsResolved));
        assertEquals(Notification.RESOLVED, done.get(0).status());
        assertEquals(0, d.openGroups().get("ops"));
        assertTrue(d.tick(t(630 + 4 * 3600 + 900), List.of(jobsResolved)).isEmpty());
    }

    @Test
    void nextFlushIsWhenTheEarliestGroupTimerRunsOut() {
        NotificationDispatcher d = dispatcher(true);
        assertTrue(d.nextFlush().isEmpty(), "no group, no timer");
        d.tick(t(0), List.of(firing("pool-utilization", "main")));
        assertEquals(Optional.of(t(30)), d.nextFlush(), "group-wait after the group opened");
        d.tick(t(10), List.of(firing("pool-utilization", "main"), firing("checkout-time", "main")));
        assertEquals(Optional.of(t(30)), d.nextFlush(), "the earlier of two groups");
        assertEquals(1, d.tick(t(30), List.of(firing("pool-utilization", "main"), firing("checkout-time", "main"))).size());
        assertEquals(Optional.of(t(40)), d.nextFlush(), "the second group's wait");
        assertEquals(1, d.tick(t(40), List.of(firing("pool-utilization", "main"), firing("checkout-time", "main"))).size());
        assertEquals(Optional.of(t(30 + 300)), d.nextFlush(),
                "then group-interval after the first one's notification");
    }

    @Test
    void groupsAreSeparateAndPendingOrSilencedAlertsAreNotSent() {
        NotificationDispatcher d = dispatcher(true);
        List<Alert> alerts = List.of(firing("pool-utilization", "main"), firing("leaked-connections", "jobs"),
                alert("checkout-time", "main", AlertState.PENDING, "warning", List.of()),
                alert("error-rate", "main", AlertState.FIRING, "critical", List.of("silence-1")));
        d.tick(t(0), alerts);
        List<NotificationDispatcher.GroupNotification> sent = d.tick(t(30), alerts);
        assertEquals(2, sent.size());
        List<String> names = new ArrayList<>();
        sent.forEach(n -> names.add(n.groupLabels().get("alertname")));
        assertEquals(List.of("pool-utilization", "leaked-connections"), names);
    }

    @Test
    void withoutSendResolvedAResolutionIsNotSent() {
        NotificationDispatcher d = dispatcher(false);
        d.tick(t(0), List.of(firing("pool-utilization", "main")));
        assertEquals(1, d.tick(t(30), List.of(firing("pool-utilization", "main"))).size());
        assertTrue(d.tick(t(330), List.of(alert("pool-utilization", "main", AlertState.RESOLVED, "warning", List.of())))
                .isEmpty());
    }

    @Test
    void anAlertThatResolvedBeforeItsGroupWasAnnouncedIsNotSent() {
        NotificationDispatcher d = dispatcher(true);
        d.tick(t(0), List.of(firing("pool-utilization", "main")));
        assertTrue(
                d.tick(t(30), List.of(alert("pool-utilization", "main", AlertState.RESOLVED, "warning", List.of()))).isEmpty());
    }

    @Test
    void receiversTakeTheirSeverities() {
        NotificationDispatcher d = new NotificationDispatcher(
                List.of(new NotificationDispatcher.Route("pager", Set.of(Severity.CRITICAL), true),
                        new NotificationDispatcher.Route("chat", ALL, true)),
                List.of("alertname"), Duration.ZERO, Duration.ofMinutes(5), Duration.ofHours(4));
        List<NotificationDispatcher.GroupNotification> sent = d.tick(t(0), List.of(firing("pool-utilization", "main"),
                alert("unhealthy-pools", "main", AlertState.FIRING, "critical", List.of())));
        assertEquals(List.of("pager:unhealthy-pools", "chat:pool-utilization", "chat:unhealthy-pools"),
                sent.stream().map(n -> n.receiver() + ":" + n.groupLabels().get("alertname")).toList());
    }

    @Test
    void theBodyIsAlertmanagersWebhookVersion4() throws Exception {
        NotificationDispatcher d = dispatcher(true);
        Alert main = firing("pool-utilization", "main");
        d.tick(t(0), List.of(main));
        NotificationDispatcher.GroupNotification n = d.tick(t(30), List.of(main)).get(0);
        ObjectMapper json = new ObjectMapper();
        JsonNode body = json.readTree(AlertmanagerPayload.body(json, "ops", n, "http://poolwatch:8080"));
        assertEquals("4", body.get("version").asText());
        assertEquals("{}:{alertname=\"pool-utilization\"}", body.get("groupKey").asText());
        assertEquals(0, body.get("truncatedAlerts").asInt());
        assertEquals("firing", body.get("status").asText());
        assertEquals("ops", body.get("receiver").asText());
        assertEquals("pool-utilization", body.get("groupLabels").get("alertname").asText());
        assertEquals("main", body.get("commonLabels").get("pool").asText());
        assertEquals("http://poolwatch:8080", body.get("externalURL").asText());
        JsonNode a = body.get("alerts").get(0);
        assertEquals("firing", a.get("status").asText());
        assertEquals(T0.toString(), a.get("startsAt").asText());
        assertEquals("0001-01-01T00:00:00Z", a.get("endsAt").asText());
        assertEquals(main.fingerprint(), a.get("fingerprint").asText());
        assertTrue(a.has("generatorURL") && a.has("labels") && a.has("annotations"));
        assertEquals(List.of("version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels", "commonLabels",
                "commonAnnotations",
                "externalURL", "alerts"), iterate(body.fieldNames()));
    }

    private static List<String> iterate(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void aRiseInSeverityIsSentAtTheNextGroupInterval() {
        NotificationDispatcher d = dispatcher(true);
        Alert warning = firing("error-rate", "main");
        TreeMap<String, String> labels = new TreeMap<>(warning.labels());
        labels.put("severity", "critical");
        Alert critical = new Alert(warning.fingerprint(), AlertState.FIRING, labels, warning.annotations(), 0.08, 0.05, T0, T0,
                null,
                List.of());
        d.tick(t(0), List.of(warning));
        assertEquals(1, d.tick(t(30), List.of(warning)).size());
        assertTrue(d.tick(t(60), List.of(critical)).isEmpty(), "within the group interval");
        List<NotificationDispatcher.GroupNotification> risen = d.tick(t(330), List.of(critical));
        assertEquals(1, risen.size(), "the same alert, now critical, is news");
        assertEquals("critical", risen.get(0).alerts().get(0).labels().get("severity"));
        assertTrue(d.tick(t(630), List.of(critical)).isEmpty(), "and only once");
    }
}
