package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.poolwatch.checks.CursorStore;
import io.poolwatch.checks.JdbcCursorStore;
import io.poolwatch.config.Severity;
import io.poolwatch.security.AdminAudit;
import io.poolwatch.store.Database;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.Closer;
import io.poolwatch.testing.WebhookHook;

/**
 * What every outbox engine must do, run on each by its subclass against a real database: idempotent adds, each
 * receiver's head in order, exclusive leases, attempts counted when they start, retries and ends recorded, an attempt
 * cut short (its worker gone) retried after its lease and counted as such, and two workers sharing one outbox (two
 * poolwatch replicas) delivering each notification once and in order.
 */
abstract class OutboxContractTest {

    static final Instant T0 = WebhookDeliveryTest.T0;

    /** A fresh, empty, migrated outbox. */
    abstract Outbox open() throws Exception;

    /** A second handle on the same outbox, as another poolwatch process would have. */
    abstract Outbox openAgain() throws Exception;

    /** The database of an outbox these tests opened, where the other stores keep their tables. */
    static Database database(Outbox outbox) {
        return ((JdbcOutbox) outbox).database();
    }

    private final Closer closing = new Closer();
    private final WebhookDeliveryTest.TestClock clock = new WebhookDeliveryTest.TestClock(T0);
    Outbox outbox;

    @BeforeEach
    void openOutbox() throws Exception {
        outbox = open();
        closing.later(outbox);
    }

    @AfterEach
    void closeAll() throws Exception {
        closing.close();
    }

    private Notification notification(String receiver, Instant at) {
        return Notification.create(receiver, "{}:{alertname=\"x\"}", Notification.FIRING, 2, "{\"é\":\"" + receiver + "\"}",
                at);
    }

    @Test
    void addingAnIdTwiceChangesNothing() {
        Notification n = notification("ops", T0);
        assertTrue(outbox.add(n));
        Notification sameId = new Notification(n.id(), "other", "g", Notification.RESOLVED, 0, "{\"changed\":true}",
                T0.plusSeconds(5));
        assertFalse(outbox.add(sameId));
        assertFalse(outbox.add(n));
        Outbox.Entry stored = outbox.find(n.id()).orElseThrow();
        assertEquals(n, stored.notification());
        assertEquals(Outbox.State.PENDING, stored.state());
        assertEquals(0, stored.attempts());
        assertEquals(T0, stored.nextAttemptAt());
        assertEquals(Map.of("ops", 1), outbox.depths());
        assertEquals(0, outbox.depth("other"));
    }

    @Test
    void eachReceiversOldestFirst() {
        Notification a1 = notification("a", T0);
        Notification b1 = notification("b", T0.plusSeconds(1));
        Notification a2 = notification("a", T0.minusSeconds(60));
        for (Notification n : List.of(a1, b1, a2)) {
            outbox.add(n);
        }
        // Order of adding, not the timestamps the caller gave.
        assertEquals(List.of(a1.id(), b1.id()), outbox.heads().stream().map(e -> e.notification().id()).toList());
        assertEquals(a1.id(), outbox.head("a").orElseThrow().notification().id());
        assertEquals(Optional.empty(), outbox.head("c"));
        assertEquals(Map.of("a", 2, "b", 1), outbox.depths());

        assertTrue(outbox.claim(a1.id(), "w1", T0, T0.plusSeconds(30)).isPresent());
        outbox.finish(a1.id(), "w1", Outbox.State.DELIVERED, 1, T0, Optional.of(204), Optional.empty());
        assertEquals(a2.id(), outbox.head("a").orElseThrow().notification().id());
        Outbox.Entry done = outbox.find(a1.id()).orElseThrow();
        assertEquals(Outbox.State.DELIVERED, done.state());
        assertEquals(Optional.of(204), done.lastHttpStatus());
        assertEquals(Optional.of(T0), done.finishedAt());
        assertEquals(Optional.empty(), done.leaseUntil());
    }

    @Test
    void aLeaseIsExclusiveUntilItExpires() {
        Notification n = notification("ops", T0);
        outbox.add(n);
        assertTrue(outbox.claim(n.id(), "w1", T0, T0.plusSeconds(30)).isPresent());
        assertEquals(Optional.of(T0.plusSeconds(30)), outbox.find(n.id()).orElseThrow().leaseUntil());
        assertFalse(outbox.claim(n.id(), "w2", T0.plusSeconds(29), T0.plusSeconds(59)).isPresent());
        // w1 died mid-attempt: once its lease expires, w2 takes over, and w1 can no longer record anything.
        assertTrue(outbox.claim(n.id(), "w2", T0.plusSeconds(30), T0.plusSeconds(60)).isPresent());
        assertThrows(JdbcOutbox.LeaseLostException.class,
                () -> outbox.retry(n.id(), "w1", 1, T0.plusSeconds(40), Optional.empty(), "could not connect"));
        outbox.retry(n.id(), "w2", 2, T0.plusSeconds(40), Optional.of(503), "HTTP 503");
        Outbox.Entry e = outbox.find(n.id()).orElseThrow();
        assertEquals(2, e.attempts());
        assertEquals(T0.plusSeconds(40), e.nextAttemptAt());
        assertEquals(Optional.of("HTTP 503"), e.lastError());
        assertEquals(Optional.empty(), e.leaseUntil());
        assertEquals(Outbox.State.PENDING, e.state());
        // Finished is final.
        assertTrue(outbox.claim(n.id(), "w1", T0.plusSeconds(40), T0.plusSeconds(70)).isPresent());
        outbox.finish(n.id(), "w1", Outbox.State.GIVEN_UP, 3, T0.plusSeconds(41), Optional.empty(),
                Optional.of("x".repeat(800)));
        assertFalse(outbox.claim(n.id(), "w2", T0.plusSeconds(100), T0.plusSeconds(130)).isPresent());
        assertEquals(500, outbox.find(n.id()).orElseThrow().lastError().orElseThrow().length(), "a long error is cut");
        assertEquals(Map.of(), outbox.depths());
    }

    @Test
    void claimingCountsTheAttemptBeforeItIsMade() {
        Notification n = notification("ops", T0);
        outbox.add(n);
        assertEquals(Optional.of(new Outbox.Claim(1, false)), outbox.claim(n.id(), "w1", T0, T0.plusSeconds(6)));
        assertEquals(1, outbox.find(n.id()).orElseThrow().attempts(), "counted before the attempt is made");
        // w1 dies mid-attempt. Its lease lapses: w2's claim is the second attempt, and says the first never ended.
        assertEquals(Optional.empty(), outbox.claim(n.id(), "w2", T0.plusSeconds(5), T0.plusSeconds(11)));
        assertEquals(Optional.of(new Outbox.Claim(2, true)), outbox.claim(n.id(), "w2", T0.plusSeconds(6), T0.plusSeconds(12)));
        assertEquals(2, outbox.find(n.id()).orElseThrow().attempts());
        outbox.retry(n.id(), "w2", 2, T0.plusSeconds(20), Optional.of(503), "HTTP 503");
        // An attempt whose end was recorded released its lease: the next claim is the third, after an ended one.
        assertEquals(Optional.of(new Outbox.Claim(3, false)),
                outbox.claim(n.id(), "w1", T0.plusSeconds(20), T0.plusSeconds(26)));
        outbox.finish(n.id(), "w1", Outbox.State.DELIVERED, 3, T0.plusSeconds(21), Optional.of(200), Optional.empty());
        assertEquals(Optional.empty(), outbox.claim(n.id(), "w1", T0.plusSeconds(30), T0.plusSeconds(36)), "finished is final");
        assertEquals(3, outbox.find(n.id()).orElseThrow().attempts());
    }

    @Test
    void aSendCutShortHoldsUpTheReceiversNewerNotificationsOnlyForItsTimeoutAndBackoff() throws Exception {
        HangingHook hook = new HangingHook();
        closing.later(hook);
        Outbox other = openAgain();
        if (other != outbox) {
            closing.later(other);
        }
        AuditLog audit = new AuditLog(1000, clock);
        // A timeout far longer than the test: the first attempt stays in flight until the hook lets it go.
        Receiver r = new Receiver("ops", hook.url(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Set.of(Severity.values()), true, Duration.ofSeconds(30));
        DeliveryWorker.Policy policy = WebhookDeliveryTest.POLICY;
        DeliveryWorker dying = new DeliveryWorker(outbox, List.of(r), new WebhookSender(clock), audit, policy, clock,
                () -> 0.5);
        DeliveryWorker next = new DeliveryWorker(other, List.of(r), new WebhookSender(clock), audit, policy, clock, () -> 0.5);
        closing.later(dying);
        closing.later(next);
        Notification first = notification("ops", T0);
        Notification newer = notification("ops", T0);
        outbox.add(first);
        outbox.add(newer);

        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> cut = background.submit(dying::deliverDue);
            Await.until("the first attempt reaches the receiver", () -> hook.requests.size() == 1);
            assertEquals(1, outbox.find(first.id()).orElseThrow().attempts(), "the attempt in flight is counted");

            // The worker making it is gone (killed, or frozen): the lease is the timeout and the backoff of a failed attempt.
            Duration lease = r.timeout().plus(policy.backoff(1, 0.5));
            clock.advance(lease.minusMillis(1));
            assertEquals(0, next.deliverDue(), "in order: the newer one waits while the first may still be in flight");
            clock.advance(Duration.ofMillis(1));
            assertEquals(2, next.deliverDue(), "the first again, then the newer one");
            assertEquals(List.of(first.id(), first.id(), newer.id()), hook.ids());

            List<AuditLog.Event> events = audit.recent(10, AuditLog.NOTIFICATION_ATTEMPT);
            List<String> seen = events.stream().map(e -> e.fields().get("notification") + " #" + e.fields().get("attempt") + " "
                    + e.fields().get("outcome")).toList();
            assertEquals(List.of(newer.id() + " #1 delivered", first.id() + " #2 delivered", first.id() + " #1 interrupted"),
                    seen);
            Outbox.Entry done = outbox.find(first.id()).orElseThrow();
            assertEquals(Outbox.State.DELIVERED, done.state());
            assertEquals(2, done.attempts());

            // The cut attempt ends late: its answer is not recorded over the retry's.
            hook.release();
            cut.get();
            assertEquals(Outbox.State.DELIVERED, outbox.find(first.id()).orElseThrow().state());
            assertEquals(2, outbox.find(first.id()).orElseThrow().attempts());
            assertEquals(3, audit.recent(10, AuditLog.NOTIFICATION_ATTEMPT).size());
        } finally {
            hook.release();
            background.shutdownNow();
        }
    }

    @Test
    void aLastAttemptCutShortIsGivenUpWithoutAnother() throws Exception {
        WebhookHook hook = WebhookHook.start();
        closing.later(hook);
        Notification n = notification("ops", T0);
        outbox.add(n);
        // A worker made the one attempt max-attempts allows, and died during it.
        assertTrue(outbox.claim(n.id(), "dead", T0, T0.plusSeconds(6)).isPresent());
        clock.advance(Duration.ofSeconds(6));
        AuditLog audit = new AuditLog(1000, clock);
        DeliveryWorker.Policy once = new DeliveryWorker.Policy(1, Duration.ofHours(1), Duration.ofSeconds(1),
                Duration.ofSeconds(30));
        DeliveryWorker worker = new DeliveryWorker(outbox, List.of(WebhookDeliveryTest.receiver("ops", hook.url())),
                new WebhookSender(clock),
                audit, once, clock, () -> 0.5);
        closing.later(worker);

        assertEquals(0, worker.deliverDue());

        assertEquals(List.of(), hook.requests);
        Outbox.Entry e = outbox.find(n.id()).orElseThrow();
        assertEquals(Outbox.State.GIVEN_UP, e.state());
        assertEquals(1, e.attempts());
        assertEquals(Optional.of("given up after 1 attempt(s) (max-attempts 1), the last of them interrupted"), e.lastError());
        assertEquals(List.of("given-up #1", "interrupted #1"), audit.recent(10, AuditLog.NOTIFICATION_ATTEMPT).stream()
                .map(x -> x.fields().get("outcome") + " #" + x.fields().get("attempt")).toList());
    }

    /** A receiver on loopback that answers its first request only when released, and every other one 200 at once. */
    static final class HangingHook implements AutoCloseable {
        final List<WebhookHook.Request> requests = new CopyOnWriteArrayList<>();
        private final CountDownLatch released = new CountDownLatch(1);
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final HttpServer server;

        HangingHook() throws IOException {
            server = HttpServer
                    .create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(threads);
            server.createContext("/", exchange -> {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                Map<String, List<String>> headers = new TreeMap<>();
                exchange.getRequestHeaders()
                        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
                boolean first;
                synchronized (requests) {
                    first = requests.isEmpty();
                    requests.add(new WebhookHook.Request(headers, body));
                }
                try {
                    if (first) {
                        released.await(1, TimeUnit.MINUTES);
                    }
                    exchange.sendResponseHeaders(200, -1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    exchange.close();
                }
            });
            server.start();
        }

        URI url() {
            return WebhookHook.url(server.getAddress().getPort());
        }

        List<String> ids() {
            return requests.stream().map(WebhookHook.Request::id).toList();
        }

        void release() {
            released.countDown();
        }

        @Override
        public void close() {
            release();
            server.stop(0);
            threads.shutdownNow();
        }
    }

    @Test
    void anAlertmanagerPostSupersedesTheOlderUndeliveredPostsOfItsOwnerToTheSameAlertmanager() {
        String owner = "pod-1";
        Notification inFlight = Notification.create("am#1", owner, Notification.FIRING, 1, "[{\"n\":1}]", T0);
        Notification waiting = Notification.create("am#1", owner, Notification.FIRING, 1, "[{\"n\":2}]", T0.plusSeconds(1));
        Notification otherOwner = Notification.create("am#1", "poolwatch@cluster", Notification.FIRING, 1, "[{\"n\":3}]",
                T0.plusSeconds(1));
        Notification otherAlertmanager = Notification.create("am#2", owner, Notification.FIRING, 1, "[{\"n\":4}]",
                T0.plusSeconds(1));
        assertEquals(0, outbox.addSuperseding(inFlight, T0));
        assertTrue(outbox.claim(inFlight.id(), "w1", T0, T0.plusSeconds(30)).isPresent());
        assertEquals(0, outbox.addSuperseding(waiting, T0.plusSeconds(1)), "an attempt in flight is not superseded");
        assertEquals(0, outbox.addSuperseding(otherOwner, T0.plusSeconds(1)));
        assertEquals(0, outbox.addSuperseding(otherAlertmanager, T0.plusSeconds(1)));

        Notification newest = Notification.create("am#1", owner, Notification.RESOLVED, 2, "[{\"n\":5}]", T0.plusSeconds(2));
        assertEquals(1, outbox.addSuperseding(newest, T0.plusSeconds(2)));
        assertEquals(-1, outbox.addSuperseding(newest, T0.plusSeconds(2)), "an id already stored changes nothing");
        Outbox.Entry superseded = outbox.find(waiting.id()).orElseThrow();
        assertEquals(Outbox.State.SUPERSEDED, superseded.state());
        assertEquals(Optional.of(T0.plusSeconds(2)), superseded.finishedAt());
        assertEquals(Optional.of("superseded by " + newest.id()), superseded.lastError());
        assertEquals(Outbox.State.PENDING, outbox.find(inFlight.id()).orElseThrow().state());
        assertEquals(Outbox.State.PENDING, outbox.find(otherOwner.id()).orElseThrow().state());
        assertEquals(Outbox.State.PENDING, outbox.find(otherAlertmanager.id()).orElseThrow().state());
        assertEquals(Map.of("am#1", 3, "am#2", 1), outbox.depths());

        // The attempt in flight ends; the one after it is the newest, the superseded one is skipped.
        outbox.finish(inFlight.id(), "w1", Outbox.State.DELIVERED, 1, T0.plusSeconds(3), Optional.of(200), Optional.empty());
        assertEquals(otherOwner.id(), outbox.head("am#1").orElseThrow().notification().id());
        // A lease that lapsed (its worker died) does not keep a post from being superseded.
        assertTrue(outbox.claim(otherOwner.id(), "w2", T0.plusSeconds(3), T0.plusSeconds(4)).isPresent());
        Notification later = Notification.create("am#1", "poolwatch@cluster", Notification.FIRING, 1, "[]", T0.plusSeconds(5));
        assertEquals(1, outbox.addSuperseding(later, T0.plusSeconds(5)));
        assertEquals(Outbox.State.SUPERSEDED, outbox.find(otherOwner.id()).orElseThrow().state());
        assertEquals(newest.id(), outbox.head("am#1").orElseThrow().notification().id());
        // Superseded posts are finished ones: purged after retention like the rest.
        assertEquals(3, outbox.purgeFinished(T0.plus(Duration.ofDays(1))), "the delivered one and the two superseded");
    }

    @Test
    void finishedNotificationsArePurgedAfterRetention() {
        Notification old = notification("ops", T0);
        Notification recent = notification("ops", T0);
        Notification waiting = notification("ops", T0);
        for (Notification n : List.of(old, recent, waiting)) {
            outbox.add(n);
        }
        outbox.claim(old.id(), "w", T0, T0.plusSeconds(30));
        outbox.finish(old.id(), "w", Outbox.State.DELIVERED, 1, T0, Optional.of(200), Optional.empty());
        outbox.claim(recent.id(), "w", T0, T0.plusSeconds(30));
        outbox.finish(recent.id(), "w", Outbox.State.REJECTED, 1, T0.plus(Duration.ofDays(2)), Optional.of(400),
                Optional.of("HTTP 400"));
        assertEquals(1, outbox.purgeFinished(T0.plus(Duration.ofDays(1))));
        assertEquals(Optional.empty(), outbox.find(old.id()));
        assertTrue(outbox.find(recent.id()).isPresent());
        assertTrue(outbox.find(waiting.id()).isPresent());
    }

    @Test
    void twoWorkersSharingTheOutboxDeliverEachOnceInOrder() throws Exception {
        WebhookHook hook = WebhookHook.start();
        closing.later(hook);
        Outbox other = openAgain();
        if (other != outbox) {
            closing.later(other);
        }
        AuditLog audit = new AuditLog(1000, clock);
        Receiver r = WebhookDeliveryTest.receiver("ops", hook.url());
        DeliveryWorker.Policy policy = WebhookDeliveryTest.POLICY;
        DeliveryWorker one = new DeliveryWorker(outbox, List.of(r), new WebhookSender(clock), audit, policy, clock, () -> 0.5);
        DeliveryWorker two = new DeliveryWorker(other, List.of(r), new WebhookSender(clock), audit, policy, clock, () -> 0.5);
        closing.later(one);
        closing.later(two);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Notification n = notification("ops", T0);
            ids.add(n.id());
            (i % 2 == 0 ? outbox : other).add(n);
        }
        ExecutorService both = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50 && hook.requests.size() < ids.size(); round++) {
                Future<Integer> a = both.submit(one::deliverDue);
                Future<Integer> b = both.submit(two::deliverDue);
                a.get();
                b.get();
            }
        } finally {
            both.shutdownNow();
        }
        assertEquals(ids, hook.ids(), "each once, in the order added");
        assertEquals(Map.of(), outbox.depths());
    }

    @Test
    void auditEventsOutliveTheProcessAndAreSharedByEveryHandle() throws Exception {
        AuditStore store = new JdbcAuditStore(database(outbox));
        AuditLog first = new AuditLog(3, clock);
        first.attach(store, "pod-a");
        first.record(AdminAudit.ADMIN_ACTION,
                Map.of("user", "ada", "path", "/actions/x", "status", 303));
        first.record(AuditLog.NOTIFICATION_ATTEMPT, Map.of("receiver", "ops", "outcome", "delivered", "at", T0));
        first.detach(Duration.ofSeconds(5));

        Outbox again = openAgain();
        closing.later(again);
        AuditLog second = new AuditLog(3, clock);
        second.record("before.attach", Map.of("n", 1));
        second.attach(new JdbcAuditStore(database(again)), "pod-b");
        List<AuditLog.Event> seen = second.recent(10, null);
        assertEquals(List.of("before.attach", AuditLog.NOTIFICATION_ATTEMPT, AdminAudit.ADMIN_ACTION),
                seen.stream().map(AuditLog.Event::type).toList(), "newest first: this run's event, then the stored ones");
        AuditLog.Event admin = seen.get(2);
        assertEquals("ada", admin.fields().get("user"));
        assertEquals(303, ((Number) admin.fields().get("status")).intValue());
        assertEquals(T0.toString(), seen.get(1).fields().get("at"), "times are stored as ISO-8601 text");
        second.detach(Duration.ofSeconds(5));
        // the event recorded before attaching was written as well, and old ones are purged
        assertEquals(3, store.recentAudit(10).size());
        assertEquals(3, store.purgeAudit(T0.plus(Duration.ofDays(1))));
        assertEquals(List.of(), store.recentAudit(10));
    }

    /** An admin action's fields as {@code AdminAudit} records them. */
    static Map<String, Object> action(String user, String from, String path, int status, String outcome) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("user", user);
        f.put("from", from);
        f.put("method", "POST");
        f.put("path", path);
        f.put("status", status);
        f.put("outcome", outcome);
        f.put("durationMs", 1);
        return f;
    }

    @Test
    void aFloodOfRefusedAnonymousRequestsIsStoredAsBoundedAggregatesAndEvictsNoAdminAction() throws Exception {
        AuditStore store = new JdbcAuditStore(database(outbox));
        store.purgeAudit(T0.plus(Duration.ofDays(365_000)));
        AuditLog log = new AuditLog(1000, clock);
        log.attach(store, "pod-a");
        for (int i = 0; i < 3; i++) {
            log.record(AdminAudit.ADMIN_ACTION,
                    action("ada", "10.0.0.1", "/actions/pools/main/reset-metrics", 303, "done"));
        }
        // 6000 refused anonymous POSTs with 2 KB paths over 2 minutes: half to one path, half each to a path of its own.
        String padding = "p".repeat(2048);
        int flood = 6000;
        for (int i = 0; i < flood; i++) {
            String path = "/api/v1/silences/" + padding + (i % 2 == 0 ? "" : "-" + i);
            log.record(AdminAudit.ADMIN_ACTION,
                    action("anonymous", "203.0.113." + (i % 3), path, 401, "refused"));
            if (i % 50 == 49) {
                clock.advance(Duration.ofSeconds(1));
            }
        }
        log.detach(Duration.ofSeconds(60));

        List<AuditLog.Event> stored = store.recentAudit(1_000_000);
        long bytes = stored.stream().mapToLong(e -> AuditLog.json(e).length()).sum();
        assertTrue(stored.size() <= 300, stored.size() + " rows stored for " + flood + " refused requests");
        assertTrue(bytes <= 300 * 4096, bytes + " bytes stored for " + flood + " refused requests");
        for (AuditLog.Event e : stored) {
            for (Object v : e.fields().values()) {
                assertTrue(!(v instanceof String s) || s.length() <= AuditLog.MAX_FIELD_LENGTH,
                        "a field of " + String.valueOf(v).length() + " characters");
            }
        }
        // every refused request is counted, in an aggregate of its own path or in the window's overflow
        long counted = stored.stream().filter(e -> "refused".equals(e.fields().get("outcome")))
                .mapToLong(e -> ((Number) e.fields().getOrDefault("count", 1)).longValue()).sum();
        assertEquals(flood, counted);
        assertTrue(stored.stream().anyMatch(e -> ((Number) e.fields().getOrDefault("count", 1)).longValue() >= 500),
                "an aggregate with its count");

        // the admin's actions are all still there, in memory and for the next process
        assertEquals(3, log.recent(1000, AdminAudit.ADMIN_ACTION).stream()
                .filter(e -> "ada".equals(e.fields().get("user"))).count());
        AuditLog next = new AuditLog(1000, clock);
        next.attach(store, "pod-b");
        assertEquals(3, next.recent(1000, AdminAudit.ADMIN_ACTION).stream()
                .filter(e -> "ada".equals(e.fields().get("user"))).count());
        next.detach(Duration.ofSeconds(5));
        store.purgeAudit(T0.plus(Duration.ofDays(365_000)));
    }

    @Test
    void eachRetentionClassIsKeptWithinItsOwnCount() throws Exception {
        AuditStore store = new JdbcAuditStore(database(outbox));
        store.purgeAudit(T0.plus(Duration.ofDays(365_000)));
        AuditLog log = new AuditLog(new AuditLog.Limits(10, 20, Duration.ofDays(365_000), Duration.ofMinutes(1), 50), clock);
        log.attach(store, "pod-a");
        for (int i = 0; i < 5; i++) {
            log.record(AdminAudit.ADMIN_ACTION, action("ada", "10.0.0.1", "/actions/" + i, 303, "done"));
        }
        for (int i = 0; i < 60; i++) {
            log.record(AuditLog.NOTIFICATION_ATTEMPT, Map.of("receiver", "ops", "n", i));
            log.record(AdminAudit.ADMIN_ACTION,
                    action("anonymous", "127.0.0.1", "/actions/" + i, 303, "done"));
        }
        log.detach(Duration.ofSeconds(30));
        assertEquals(5, store.recentAudit(AuditLog.Retention.ACTIONS, 1000).size());
        List<AuditLog.Event> notifications = store.recentAudit(AuditLog.Retention.NOTIFICATIONS, 1000);
        assertEquals(20, notifications.size());
        assertEquals(59, ((Number) notifications.get(0).fields().get("n")).intValue(), "the newest are kept");
        assertEquals(20, store.recentAudit(AuditLog.Retention.ANONYMOUS, 1000).size());
        assertEquals(45, store.recentAudit(1000).size());
        // trimmed directly, one class at a time
        assertEquals(15, store.trimAudit(AuditLog.Retention.ANONYMOUS, 5));
        assertEquals(0, store.trimAudit(AuditLog.Retention.ANONYMOUS, 5));
        assertEquals(5, store.recentAudit(AuditLog.Retention.ACTIONS, 1000).size());
        store.purgeAudit(T0.plus(Duration.ofDays(365_000)));
    }

    @Test
    void chunkedChecksWatermarksAreSavedReplacedAndReadByEveryHandle() throws Exception {
        CursorStore store = new JdbcCursorStore(database(outbox));
        assertEquals(Map.of(), store.loadCursors());
        store.saveCursor("events-have-accounts",
                new CursorStore.Saved("abc", 1000, List.of(new long[] { 10, 20 })));
        store.saveCursor("events-have-accounts",
                new CursorStore.Saved("abc", 2500, List.of(new long[] { 10, 20 },
                        new long[] { 2000, 2100 })));
        store.saveCursor("other", new CursorStore.Saved("def", 7, List.of()));
        Outbox again = openAgain();
        closing.later(again);
        Map<String, CursorStore.Saved> read = new JdbcCursorStore(database(again)).loadCursors();
        assertEquals(2, read.size());
        CursorStore.Saved events = read.get("events-have-accounts");
        assertEquals("abc", events.definition());
        assertEquals(2500, events.watermark(), "the newest save replaced the first");
        assertEquals(2, events.pending().size());
        assertEquals(2000, events.pending().get(1)[0]);
        assertEquals(2100, events.pending().get(1)[1]);
        assertEquals(List.of(), read.get("other").pending());
    }
}
