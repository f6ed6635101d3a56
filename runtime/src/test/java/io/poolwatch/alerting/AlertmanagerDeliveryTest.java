package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.config.Secret;
import io.poolwatch.config.Severity;
import io.poolwatch.testing.AlertmanagerServer;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.Closer;
import io.poolwatch.testing.WebhookHook;

/**
 * Posts to real Alertmanagers (Debian's prometheus-alertmanager 0.25), each routing to a webhook on loopback, through a
 * real H2 file outbox and the delivery worker, with the dispatcher ticked on the wall clock (Alertmanager judges endsAt
 * by its own): the alert appears in Alertmanager's API with its labels, reaches Alertmanager's receiver, resolves there;
 * two Alertmanagers both get it; one down for longer than endsAt gets it back when it returns, empty, on the same port,
 * while the other keeps it active throughout and nothing resolves.
 */
class AlertmanagerDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DeliveryWorker.Policy POLICY = new DeliveryWorker.Policy(400, Duration.ofHours(1),
            Duration.ofMillis(100),
            Duration.ofMillis(400));

    @TempDir
    Path dir;

    private final Closer closing = new Closer();
    private final Clock clock = Clock.systemUTC();
    private final AuditLog audit = new AuditLog(1000, clock);

    @AfterEach
    void close() throws Exception {
        closing.close();
    }

    private static Receiver alertmanagers(Duration resend, Optional<Secret> bearer, String... urls) {
        return new Receiver("am", Receiver.Type.ALERTMANAGER, Arrays.stream(urls).map(URI::create).toList(),
                List.of(), bearer,
                Optional.empty(), Optional.empty(), Set.of(Severity.values()), true, Duration.ofSeconds(2), false, resend);
    }

    private static Alert alert(AlertState state, Instant startsAt, Instant endsAt) {
        TreeMap<String, String> labels = new TreeMap<>(
                Map.of("alertname", "leaked-connections", "pool", "main", "workload", "main",
                        "severity", "warning", "instance", "pod-1"));
        return new Alert(Fingerprint.of(labels), state, labels,
                Map.of("summary", "leaked-connections on pool main: 7 >= 5", "description",
                        "Pool main: 7 connections held past the leak interval.", "dashboard",
                        "http://poolwatch.example:8080/pools/main"),
                7, 5, startsAt,
                startsAt, endsAt, List.of());
    }

    /** The alert evaluation as Alerting runs it for one owner: ticks every {@code every}, posts what is due. */
    private final class Evaluator implements AutoCloseable {
        private final AlertmanagerDispatcher dispatcher;
        private final Receiver receiver;
        private final JdbcOutbox outbox;
        private final DeliveryWorker worker;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private volatile List<Alert> alerts = List.of();
        volatile int posts;

        Evaluator(Receiver receiver, Duration every) {
            this.receiver = receiver;
            this.dispatcher = new AlertmanagerDispatcher(
                    List.of(new AlertmanagerDispatcher.Route(receiver.name(), receiver.severities(),
                            receiver.sendResolved(), receiver.resendInterval())),
                    every, "http://poolwatch.example:8080");
            this.outbox = JdbcOutbox.h2File(dir);
            this.worker = new DeliveryWorker(outbox, receiver.targets(), new WebhookSender(clock), audit, POLICY, clock,
                    () -> 0.5);
            worker.start(Duration.ofMillis(50));
            timer.scheduleWithFixedDelay(this::tick, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        }

        void set(Alert... now) {
            alerts = List.of(now);
        }

        private synchronized void tick() {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            for (AlertmanagerDispatcher.Send s : dispatcher.tick(now, alerts)) {
                NotificationOutbox.post(receiver, outbox, worker, clock, "pod-1", s.status(), s.alerts().size(),
                        PostableAlerts.body(JSON, s.alerts()));
                posts++;
            }
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(2, TimeUnit.SECONDS);
            worker.stop(Duration.ofSeconds(2));
            outbox.close();
        }
    }

    private static JsonNode body(WebhookHook.Request r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The statuses of Alertmanager's notifications of leaked-connections to {@code hook}, in order. */
    private static List<String> notified(WebhookHook hook) {
        List<String> out = new ArrayList<>();
        for (WebhookHook.Request r : hook.requests) {
            JsonNode b = body(r);
            b.get("alerts").forEach(a -> {
                if ("leaked-connections".equals(a.path("labels").path("alertname").asText())) {
                    out.add(a.path("status").asText());
                }
            });
        }
        return out;
    }

    private static final Map<String, String> LABELS = Map.of("alertname", "leaked-connections", "pool", "main");

    @Test
    void aFiringAlertReachesEveryAlertmanagerAndItsReceiverThenResolvesThere() throws Exception {
        WebhookHook hook0 = closing.later(WebhookHook.start());
        WebhookHook hook1 = closing.later(WebhookHook.start());
        AlertmanagerServer am0 = closing.later(AlertmanagerServer.builder().webhook(hook0.url()).start());
        AlertmanagerServer am1 = closing.later(AlertmanagerServer.builder().webhook(hook1.url()).start());
        Evaluator evaluator = closing.later(
                new Evaluator(alertmanagers(Duration.ofSeconds(1), Optional.empty(), am0.baseUrl(), am1.baseUrl() + "/"),
                        Duration.ofMillis(200)));
        Instant started = clock.instant().truncatedTo(ChronoUnit.MILLIS).minusSeconds(30);
        evaluator.set(alert(AlertState.FIRING, started, null));

        for (AlertmanagerServer am : List.of(am0, am1)) {
            Await.until("the alert listed by the Alertmanager at " + am.baseUrl(), () -> !am.alertsWith(LABELS).isEmpty());
            JsonNode listed = am.alertsWith(LABELS).get(0);
            assertEquals(
                    Map.of("alertname", "leaked-connections", "pool", "main", "workload", "main", "severity", "warning",
                            "instance", "pod-1"),
                    JSON.convertValue(listed.get("labels"), Map.class));
            assertEquals("leaked-connections on pool main: 7 >= 5", listed.path("annotations").path("summary").asText());
            assertEquals("http://poolwatch.example:8080/pools/main", listed.path("generatorURL").asText());
            assertEquals(started, Instant.parse(listed.path("startsAt").asText()));
            assertEquals("active", listed.path("status").path("state").asText());
            Instant endsAt = Instant.parse(listed.path("endsAt").asText());
            assertTrue(endsAt.isAfter(clock.instant().plusSeconds(1)), "endsAt ahead: " + endsAt);
        }
        for (WebhookHook hook : List.of(hook0, hook1)) {
            Await.until("Alertmanager's receiver notified of the firing alert", () -> notified(hook).contains("firing"));
        }
        assertEquals(Map.of(), audit.recent(100, AuditLog.NOTIFICATION_ATTEMPT).stream()
                .filter(e -> !"delivered".equals(e.fields().get("outcome"))).collect(Collectors.toMap(
                        e -> String.valueOf(e.fields().get("notification")), e -> String.valueOf(e.fields().get("outcome")),
                        (a, b) -> a)),
                "every post delivered");

        Instant resolvedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        evaluator.set(alert(AlertState.RESOLVED, started, resolvedAt));
        for (AlertmanagerServer am : List.of(am0, am1)) {
            Await.until("the alert resolved at the Alertmanager at " + am.baseUrl(), () -> am.alertsWith(LABELS).isEmpty());
        }
        for (WebhookHook hook : List.of(hook0, hook1)) {
            Await.until("Alertmanager's receiver notified of the resolution", () -> notified(hook).contains("resolved"));
            assertEquals(List.of("firing", "resolved"), notified(hook));
            JsonNode last = body(hook.requests.get(hook.requests.size() - 1)).get("alerts").get(0);
            assertEquals(resolvedAt, Instant.parse(last.path("endsAt").asText()), "endsAt is when it resolved");
        }
    }

    @Test
    void anAlertmanagerDownLongerThanEndsAtGetsTheAlertBackAndNothingResolvesMeanwhile() throws Exception {
        WebhookHook hook0 = closing.later(WebhookHook.start());
        WebhookHook hook1 = closing.later(WebhookHook.start());
        AlertmanagerServer am0 = closing.later(AlertmanagerServer.builder().webhook(hook0.url()).start());
        AlertmanagerServer am1 = closing.later(AlertmanagerServer.builder().webhook(hook1.url()).start());
        Duration resend = Duration.ofMillis(300);
        Receiver receiver = alertmanagers(resend, Optional.empty(), am0.baseUrl(), am1.baseUrl());
        Evaluator evaluator = closing.later(new Evaluator(receiver, Duration.ofMillis(100)));
        evaluator.set(alert(AlertState.FIRING, clock.instant().truncatedTo(ChronoUnit.MILLIS), null));
        Await.until("the alert at both Alertmanagers",
                () -> !am0.alertsWith(LABELS).isEmpty() && !am1.alertsWith(LABELS).isEmpty());
        Await.until("both Alertmanagers' receivers notified",
                () -> notified(hook0).contains("firing") && notified(hook1).contains("firing"));
        Instant firstEndsAt = Instant.parse(am0.alertsWith(LABELS).get(0).path("endsAt").asText());

        am1.stop();
        // Down for three times the endsAt window (4 x 300 ms): the alert would have lapsed at am0 without the resends.
        Duration down = resend.multipliedBy(4 * 3);
        long until = System.nanoTime() + down.toNanos();
        int checks = 0;
        while (System.nanoTime() < until) {
            assertFalse(am0.alertsWith(LABELS).isEmpty(), "the alert stays active at the Alertmanager that is up");
            checks++;
            Thread.sleep(50);
        }
        assertTrue(checks > 10, "checked " + checks + " times");
        Instant laterEndsAt = Instant.parse(am0.alertsWith(LABELS).get(0).path("endsAt").asText());
        assertTrue(laterEndsAt.isAfter(firstEndsAt.plus(down.dividedBy(2))),
                "resent with a later endsAt: " + firstEndsAt + " then " + laterEndsAt);
        assertTrue(laterEndsAt.isBefore(clock.instant().plus(resend.multipliedBy(4)).plusSeconds(1)),
                "never more than 4 resends ahead");

        DeliveryStatus down1 = evaluator.worker.status(Receiver.targetName("am", 1));
        assertTrue(down1.consecutiveFailures() > 0, down1.toString());
        assertTrue(down1.superseded() > 0, "posts waiting for the Alertmanager that is down give way to newer ones: " + down1);
        // At most the post in flight and the newest wait (and, for a moment, the one the newest is superseding).
        assertTrue(evaluator.outbox.depth(Receiver.targetName("am", 1)) <= 3, "posts waiting: " + evaluator.outbox.depths());
        DeliveryStatus up0 = evaluator.worker.status(Receiver.targetName("am", 0));
        assertEquals(0, up0.consecutiveFailures(), "one Alertmanager down holds up none of the others: " + up0);
        assertTrue(up0.lastSuccess().isAfter(clock.instant().minusSeconds(5)), up0.toString());

        // Back on the same port as a new Alertmanager (no notification log, no alerts): the next post brings the alert back.
        am1.wipeStorage();
        am1.start();
        Await.until("the alert back at the restarted Alertmanager", () -> !am1.alertsWith(LABELS).isEmpty());
        Await.until("the restarted Alertmanager notifies its receiver again", () -> notified(hook1).size() == 2);
        assertEquals(List.of("firing", "firing"), notified(hook1), "nothing resolved at the restarted one");
        assertEquals(List.of("firing"), notified(hook0), "one notification at the one that stayed up: it never lapsed there");
        assertTrue(evaluator.posts > 10, "resent every " + resend + ": " + evaluator.posts + " posts");
    }

    @Test
    void aPostIsAnAuthenticatedJsonArrayWithoutStandardWebhooksHeaders() throws Exception {
        WebhookHook standIn = closing.later(WebhookHook.start());
        Receiver receiver = alertmanagers(Duration.ofMinutes(1), Optional.of(new Secret("am-token-42")),
                "http://127.0.0.1:" + standIn.url().getPort());
        Evaluator evaluator = closing.later(new Evaluator(receiver, Duration.ofMillis(100)));
        evaluator.set(alert(AlertState.FIRING, clock.instant().truncatedTo(ChronoUnit.MILLIS), null));
        Await.until("a post", () -> !standIn.requests.isEmpty());
        WebhookHook.Request r = standIn.requests.get(0);
        assertEquals("Bearer am-token-42", r.header("authorization"));
        assertEquals("application/json", r.header("content-type"));
        assertNull(r.header("webhook-id"));
        assertNull(r.header("webhook-signature"));
        assertNull(r.header("webhook-timestamp"));
        JsonNode b = body(r);
        assertTrue(b.isArray());
        assertEquals("leaked-connections", b.get(0).path("labels").path("alertname").asText());
        Await.until("the attempt audited", () -> !audit.recent(10, AuditLog.NOTIFICATION_ATTEMPT).isEmpty());
        AuditLog.Event attempt = audit.recent(10, AuditLog.NOTIFICATION_ATTEMPT).get(0);
        assertEquals("delivered", attempt.fields().get("outcome"));
        assertEquals("am#1", attempt.fields().get("receiver"));
        assertEquals("http://127.0.0.1:" + standIn.url().getPort(), attempt.fields().get("url"));
        assertEquals("pod-1", attempt.fields().get("groupKey"));
        assertFalse(attempt.fields().toString().contains("am-token-42"));
    }
}
