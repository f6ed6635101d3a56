package io.poolwatch.alerting;

import static io.poolwatch.testing.WebhookKeys.KEY_A;
import static io.poolwatch.testing.WebhookKeys.KEY_B;
import static io.poolwatch.testing.WebhookKeys.expectedSignature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.poolwatch.config.Secret;
import io.poolwatch.config.Severity;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.Closer;
import io.poolwatch.testing.WebhookHook;

/**
 * Delivery against a real HTTP server on loopback, through a real H2 file outbox, driven pass by pass with a clock the
 * test moves: signatures checked with javax.crypto, retries, rejections, Retry-After, giving up, order, restarts.
 */
class WebhookDeliveryTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final DeliveryWorker.Policy POLICY = new DeliveryWorker.Policy(5, Duration.ofHours(1), Duration.ofSeconds(1),
            Duration.ofSeconds(30));
    static final String BODY = "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"ops\",\"alerts\":[{\"labels\":{\"alertname\":\"pool-utilization\"},"
            + "\"annotations\":{\"summary\":\"main at 92% — près du maximum\"}}]}";

    @TempDir
    Path dir;

    private final Closer closing = new Closer();
    private final TestClock clock = new TestClock(T0);
    private final AuditLog audit = new AuditLog(100, clock);

    @AfterEach
    void close() throws Exception {
        closing.close();
    }

    // ---- fixtures -------------------------------------------------------------------------------------------------

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    static Receiver receiver(String name, URI url, List<String> secrets) {
        return new Receiver(name, url, secrets.stream().map(Secret::new).toList(), Optional.empty(), Optional.empty(),
                Optional.empty(),
                Set.of(Severity.values()), true, Duration.ofSeconds(5));
    }

    static Receiver receiver(String name, URI url) {
        return receiver(name, url, List.of());
    }

    private JdbcOutbox outbox() {
        return closing.later(JdbcOutbox.h2File(dir));
    }

    private DeliveryWorker worker(Outbox outbox, DeliveryWorker.Policy policy, Receiver... receivers) {
        return closing.later(
                new DeliveryWorker(outbox, List.of(receivers), new WebhookSender(clock), audit, policy, clock, () -> 0.5));
    }

    private Notification notification(String receiver) {
        return Notification.create(receiver, "{}:{alertname=\"pool-utilization\"}", Notification.FIRING, 1, BODY,
                clock.instant());
    }

    private List<AuditLog.Event> attempts() {
        return audit.recent(100, AuditLog.NOTIFICATION_ATTEMPT);
    }

    // ---- tests ----------------------------------------------------------------------------------------------------

    @Test
    void signedWithEveryKeyAndCheckedIndependently() throws Exception {
        WebhookHook hook = closing.later(WebhookHook.start());
        Receiver r = new Receiver("ops", hook.url(), List.of(new Secret(KEY_A), new Secret(KEY_B)),
                Optional.of(new Secret("tok-123")), Optional.empty(), Optional.empty(), Set.of(Severity.values()), true,
                Duration.ofSeconds(5));
        JdbcOutbox outbox = outbox();
        DeliveryWorker worker = worker(outbox, POLICY, r);
        Notification n = notification("ops");
        assertTrue(outbox.add(n));

        assertEquals(1, worker.deliverDue());

        assertEquals(1, hook.requests.size());
        WebhookHook.Request req = hook.requests.get(0);
        assertEquals(n.id(), req.id());
        assertEquals(Long.toString(T0.getEpochSecond()), req.header("webhook-timestamp"));
        assertEquals("application/json", req.header("content-type"));
        assertEquals("poolwatch", req.header("user-agent"));
        assertEquals("Bearer tok-123", req.header("authorization"));
        assertEquals(BODY, req.text());
        String[] signatures = req.header("webhook-signature").split(" ");
        assertEquals(2, signatures.length, req.header("webhook-signature"));
        assertEquals(expectedSignature(KEY_A, n.id(), req.header("webhook-timestamp"), req.body()), signatures[0]);
        assertEquals(expectedSignature(KEY_B, n.id(), req.header("webhook-timestamp"), req.body()), signatures[1]);
        assertEquals(Outbox.State.DELIVERED, outbox.find(n.id()).orElseThrow().state());
    }

    @Test
    void aProcessThatDoesNotRunTheClusterJobsOnlyCountsWhatWaits() throws Exception {
        WebhookHook hook = closing.later(WebhookHook.start());
        JdbcOutbox outbox = outbox();
        DeliveryWorker worker = worker(outbox, POLICY, receiver("ops", hook.url()));
        AtomicBoolean leads = new AtomicBoolean(false);
        worker.runsWhen(leads::get);
        Notification n = notification("ops");
        outbox.add(n);

        assertEquals(0, worker.deliverDue());
        assertEquals(List.of(), hook.requests);
        assertEquals(1, worker.status("ops").depth(), "the depth is counted all the same");
        assertEquals(Outbox.State.PENDING, outbox.find(n.id()).orElseThrow().state());

        leads.set(true);
        assertEquals(1, worker.deliverDue());
        assertEquals(List.of(n.id()), hook.ids());
    }

    @Test
    void aProcessThatLosesTheClusterJobsMidDrainStartsNoFurtherAttempt() throws Exception {
        OutboxContractTest.HangingHook hook = closing.later(new OutboxContractTest.HangingHook());
        JdbcOutbox outbox = outbox();
        DeliveryWorker worker = worker(outbox, POLICY, receiver("ops", hook.url()));
        AtomicBoolean leads = new AtomicBoolean(true);
        worker.runsWhen(leads::get);
        Notification first = notification("ops");
        Notification second = notification("ops");
        outbox.add(first);
        outbox.add(second);
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> pass = background.submit(worker::deliverDue);
            Await.until("the first attempt reaches the receiver", () -> hook.requests.size() == 1);
            // Frozen past its lock while sending: another process runs the jobs now.
            leads.set(false);
            hook.release();
            assertEquals(1, pass.get());
        } finally {
            background.shutdownNow();
        }
        assertEquals(List.of(first.id()), hook.ids(), "the attempt in flight ends; no further one starts");
        assertEquals(Outbox.State.DELIVERED, outbox.find(first.id()).orElseThrow().state());
        assertEquals(Outbox.State.PENDING, outbox.find(second.id()).orElseThrow().state());
        assertEquals(0, outbox.find(second.id()).orElseThrow().attempts());
    }

    @Test
    void basicAuthenticationAndNoSignatureWithoutASecret() throws Exception {
        WebhookHook hook = closing.later(WebhookHook.start());
        Receiver r = new Receiver("ops", hook.url(), List.of(), Optional.empty(), Optional.of("poolwatch"),
                Optional.of(new Secret("pw é")),
                Set.of(Severity.values()), true, Duration.ofSeconds(5));
        JdbcOutbox outbox = outbox();
        DeliveryWorker worker = worker(outbox, POLICY, r);
        outbox.add(notification("ops"));
        worker.deliverDue();
        WebhookHook.Request req = hook.requests.get(0);
        assertEquals("Basic " + Base64.getEncoder().encodeToString("poolwatch:pw é".getBytes(StandardCharsets.UTF_8)),
                req.header("authorization"));
        assertNull(req.header("webhook-signature"));
    }

    @Test
    void unavailableThenDeliveredWithTheSameId() throws Exception {
        WebhookHook hook = closing.later(WebhookHook.start().reply(503));
        JdbcOutbox outbox = outbox();
        DeliveryWorker worker = worker(outbox, POLICY, receiver("ops", hook.url(), List.of(KEY_A)));
        Notification n = notification("ops");
        outbox.add(n);

        assertEquals(1, worker.deliverDue());
        Outbox.Entry after503 = outbox.find(n.id()).orElseThrow();
        assertEquals(Outbox.State.PENDING, after503.state());
        assertEquals(1, after503.attempts());
        Instant next = T0.plus(POLICY.delay(1, Optional.empty(), 0.5));
        assertEquals(next, after503.nextAttemptAt());
        assertEquals(Optional.of(503), after503.lastHttpStatus());
        assertEquals(0, worker.deliverDue(), "not due before its backoff");

        clock.advance(Duration.between(T0, next));
        assertEquals(1, worker.deliverDue());

        assertEquals(List.of(n.id(), n.id()), hook.ids());
        // Each attempt carries its own timestamp, signed anew.
        WebhookHook.Request second = hook.requests.get(1);
        assertEquals(Long.toString(next.getEpochSecond()), second.header("webhook-timestamp"));
        assertEquals(expectedSignature(KEY_A, n.id(), second.header("webhook-timestamp"), second.body()),
                second.header("webhook-signature"));
        Outbox.Entry done = outbox.find(n.id()).orElseThrow();
        assertEquals(Outbox.State.DELIVERED, done.state());
        assertEquals(2, done.attempts());

        List<AuditLog.Event> events = attempts();
        assertEquals(2, events.size());
        Map<String, Object> delivered = events.get(0).toMap();
        Map<String, Object> retry = events.get(1).toMap();
        assertEquals("notification.attempt", retry.get("type"));
        assertEquals("retry", retry.get("outcome"));
        assertEquals(1, retry.get("attempt"));
        assertEquals(503, retry.get("httpStatus"));
        assertEquals("HTTP 503", retry.get("error"));
        assertEquals(next.toString(), retry.get("nextAttemptAt"));
        assertEquals(n.id(), retry.get("notification"));
        assertEquals("ops", retry.get("receiver"));
        assertEquals("http://127.0.0.1:" + hook.url().getPort() + "/****?token=****", retry.get("url"));
        assertEquals("delivered", delivered.get("outcome"));
        assertEquals(2, delivered.get("attempt"));
        assertEquals(200, delivered.get("httpStatus"));
        assertNull(delivered.get("nextAttemptAt"));
        assertFalse(AuditLog.json(events.get(1)).contains("not-shown"), AuditLog.json(events.get(1)));

        DeliveryStatus s = worker.status("ops");
        assertEquals(1, s.delivered());
        assertEquals(1, s.failedAttempts());
        assertEquals(0, s.consecutiveFailures());
        assertEquals(next, s.lastSuccess());
        assertEquals(T0, s.lastFailure());
        assertEquals("HTTP 503", s.lastError());
        assertEquals(0, s.depth());

        clock.advance(Duration.ofHours(2));
        assertEquals(0, worker.deliverDue(), "nothing is sent twice");
        assertEquals(2, hook.requests.size());
    }

    @Test
    void aBadRequestIsRejectedNotRetriedAndTheNextGoesAhead() throws Exception {
        WebhookHook hook = closing.later(WebhookHook.start().reply(400));
        JdbcOutbox outbox = outbox();
        DeliveryWorker worker = worker(outbox, POLICY, receiver("ops", hook.url()));
        Notification first = notification("ops");
        Notification second = notification("ops");
        outbox.add(first);
        outbox.add(second);

        assertEquals(2, worker.deliverDue());

        assertEquals(List.of(first.id(), second.id()), hook.ids());
        Outbox.Entry rejected = outbox.find(first.id()).orElseThrow();
        assertEquals(Outbox.State.REJECTED, rejected.state());
        assertEquals(Optional.of(400), rejected.lastHttpStatus());
        assertEquals(Outbox.State.DELIVERED, outbox.find(second.id()).orElseThrow().state());
        assertEquals("rejected", attempts().get(1).fields().get("outcome"));
        assertEquals(1, worker.status("ops").rejected());
        clock.advance(Duration.ofHours(1));
        assertEquals(0, worker.deliverDue());
        assertEquals(2, hook.requests.size());
    }

    @Test
    void retryAfterIsHonouredUpToMaxBackoff() throws Exception {
        WebhookHook hook = closing.later(
                WebhookHook.start().reply(429, "Retry-After", "7").reply(503, "Retry-After", "3600").reply(429));
        DeliveryWorker.Policy policy = new DeliveryWorker.Policy(10, Duration.ofHours(1), Duration.ofMillis(100),
                Duration.ofSeconds(30));
        JdbcOutbox outbox = outbox();
        DeliveryWorker worker = worker(outbox, policy, receiver("ops", hook.url()));
        Notification n = notification("ops");
        outbox.add(n);

        worker.deliverDue();
        Instant first = outbox.find(n.id()).orElseThrow().nextAttemptAt();
        assertEquals(T0.plusSeconds(7), first, "Retry-After: 7 over a 100ms backoff");

        clock.advance(Duration.ofSeconds(7));
        worker.deliverDue();
        Instant second = outbox.find(n.id()).orElseThrow().nextAttemptAt();
        assertEquals(clock.instant().plusSeconds(30), second, "Retry-After: 3600 capped at max-backoff 30s");

        clock.advance(Duration.ofSeconds(30));
        worker.deliverDue();
        Instant third = outbox.find(n.id()).orElseThrow().nextAttemptAt();
        assertEquals(clock.instant().plus(policy.backoff(3, 0.5)), third, "no Retry-After: the backoff");

        clock.advance(Duration.ofSeconds(30));
        worker.deliverDue();
        assertEquals(Outbox.State.DELIVERED, outbox.find(n.id()).orElseThrow().state());
        assertEquals(List.of("delivered", "retry", "retry", "retry"),
                attempts().stream().map(e -> e.fields().get("outcome")).toList());
        assertEquals(4, hook.requests.size());
        assertEquals(Set.of(n.id()), Set.copyOf(hook.ids()));
    }

    @Test
    void givenUpAfterMaxAttemptsOrMaxAge() throws Exception {
        WebhookHook hook = closing.later(WebhookHook.start().reply(500).reply(502).reply(504));
        DeliveryWorker.Policy policy = new DeliveryWorker.Policy(3, Duration.ofHours(1), Duration.ofSeconds(1),
                Duration.ofSeconds(10));
        JdbcOutbox outbox = outbox();
        DeliveryWorker worker = worker(outbox, policy, receiver("ops", hook.url()));
        Notification n = notification("ops");
        outbox.add(n);
        for (int i = 0; i < 3; i++) {
            worker.deliverDue();
            clock.advance(Duration.ofSeconds(10));
        }
        Outbox.Entry entry = outbox.find(n.id()).orElseThrow();
        assertEquals(Outbox.State.GIVEN_UP, entry.state());
        assertEquals(3, entry.attempts());
        assertTrue(entry.lastError().orElseThrow().contains("HTTP 504; given up after 3 attempt(s) (max-attempts 3)"),
                entry.lastError().get());
        assertEquals(List.of("given-up", "retry", "retry"), attempts().stream().map(e -> e.fields().get("outcome")).toList());
        assertEquals(1, worker.status("ops").givenUp());
        assertEquals(3, worker.status("ops").consecutiveFailures());

        // One older than max-age is given up without an attempt.
        Notification old = new Notification(Notification.newId(), "ops", "{}:{}", Notification.FIRING, 1, BODY,
                clock.instant().minus(Duration.ofHours(2)));
        outbox.add(old);
        assertEquals(0, worker.deliverDue());
        assertEquals(Outbox.State.GIVEN_UP, outbox.find(old.id()).orElseThrow().state());
        assertEquals(3, hook.requests.size());
        Map<String, Object> event = attempts().get(0).toMap();
        assertEquals("given-up", event.get("outcome"));
        assertEquals(0, event.get("attempt"));
        assertTrue(((String) event.get("error")).startsWith("not delivered within max-age 1h"), (String) event.get("error"));
    }

    @Test
    void eachReceiverInOrderAndADownOneHoldsUpOnlyItself() throws Exception {
        int downPort = WebhookHook.freePort();
        WebhookHook up = closing.later(WebhookHook.start());
        JdbcOutbox outbox = outbox();
        DeliveryWorker worker = worker(outbox, POLICY, receiver("down", WebhookHook.url(downPort)), receiver("up", up.url()));
        Notification d1 = notification("down");
        Notification d2 = notification("down");
        Notification u1 = notification("up");
        Notification u2 = notification("up");
        for (Notification n : List.of(d1, u1, d2, u2)) {
            outbox.add(n);
        }

        assertEquals(3, worker.deliverDue(), "d1 fails and holds d2 back; u1 and u2 go");
        assertEquals(List.of(u1.id(), u2.id()), up.ids());
        assertEquals(1, outbox.find(d1.id()).orElseThrow().attempts());
        assertEquals(0, outbox.find(d2.id()).orElseThrow().attempts());
        assertTrue(outbox.find(d1.id()).orElseThrow().lastError().orElseThrow().startsWith("could not connect"));
        assertEquals(2, worker.status("down").depth());

        WebhookHook down = closing.later(WebhookHook.start(downPort));
        clock.advance(Duration.ofSeconds(30));
        assertEquals(2, worker.deliverDue());
        assertEquals(List.of(d1.id(), d2.id()), down.ids());
        assertEquals(Map.of(), outbox.depths());
    }

    @Test
    void durableAcrossARestart() throws Exception {
        int port = WebhookHook.freePort();
        Receiver r = receiver("ops", WebhookHook.url(port));
        Notification n = notification("ops");
        JdbcOutbox first = JdbcOutbox.h2File(dir);
        DeliveryWorker before = new DeliveryWorker(first, List.of(r), new WebhookSender(clock), audit, POLICY, clock,
                () -> 0.5);
        first.add(n);
        assertEquals(1, before.deliverDue());
        before.close();
        first.close();

        clock.advance(Duration.ofMinutes(1));
        WebhookHook hook = closing.later(WebhookHook.start(port));
        JdbcOutbox second = outbox();
        Outbox.Entry reopened = second.find(n.id()).orElseThrow();
        assertEquals(Outbox.State.PENDING, reopened.state());
        assertEquals(1, reopened.attempts());
        assertEquals(n, reopened.notification());
        assertFalse(second.add(n), "the same id again changes nothing");
        DeliveryWorker after = worker(second, POLICY, r);
        assertEquals(1, after.deliverDue());

        assertEquals(List.of(n.id()), hook.ids());
        assertEquals(BODY, hook.requests.get(0).text());
        Outbox.Entry done = second.find(n.id()).orElseThrow();
        assertEquals(Outbox.State.DELIVERED, done.state());
        assertEquals(2, done.attempts());
        clock.advance(Duration.ofHours(1));
        assertFalse(second.add(n));
        assertEquals(0, after.deliverDue());
        assertEquals(1, hook.requests.size(), "nothing is sent twice");
    }

    @Test
    void theBackgroundWorkerRetriesOnItsOwn() throws Exception {
        WebhookHook hook = closing.later(WebhookHook.start().reply(503).reply(500));
        Clock real = Clock.systemUTC();
        JdbcOutbox outbox = outbox();
        DeliveryWorker.Policy fast = new DeliveryWorker.Policy(5, Duration.ofMinutes(1), Duration.ofMillis(50),
                Duration.ofMillis(200));
        DeliveryWorker worker = closing.later(
                new DeliveryWorker(outbox, List.of(receiver("ops", hook.url())), new WebhookSender(real), audit, fast,
                        real, Math::random));
        worker.start(Duration.ofMillis(50));
        Notification n = Notification.create("ops", "{}:{}", Notification.FIRING, 1, BODY, real.instant());
        outbox.add(n);
        worker.wake();
        Await.until("delivered after two failures", () -> outbox.find(n.id()).orElseThrow().state() == Outbox.State.DELIVERED);
        assertEquals(List.of(n.id(), n.id(), n.id()), hook.ids());
        worker.stop(Duration.ofSeconds(1));
        assertEquals(3, worker.status("ops").failedAttempts() + worker.status("ops").delivered());
    }
}
