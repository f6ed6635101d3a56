package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.poolwatch.config.Severity;
import io.poolwatch.testing.Closer;

/**
 * What the alert state store must do on every engine, against a real database: an owner's alerts and notification log
 * read back as saved, owners apart, every bound kept; and, through it, a restart that continues: no second notification
 * of a group already notified, and the resolution of an alert that cleared while nothing ran, with its first startsAt.
 */
abstract class AlertStateStoreContractTest {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    /** A fresh store on an empty, migrated database. */
    abstract AlertStateStore open() throws Exception;

    /** A second handle on the same rows, as the next process (or another replica) has. */
    abstract AlertStateStore openAgain() throws Exception;

    private final Closer closing = new Closer();
    AlertStateStore store;

    @BeforeEach
    void openStore() throws Exception {
        store = open();
        closing.later(store);
    }

    @AfterEach
    void closeAll() throws Exception {
        closing.close();
    }

    private AlertStateStore again() throws Exception {
        AlertStateStore s = openAgain();
        closing.later(s);
        return s;
    }

    private static TreeMap<String, String> labels(String pool, String instance) {
        return new TreeMap<>(Map.of("alertname", "pool-utilization", "pool", pool, "workload", pool, "severity", "warning",
                "instance", instance));
    }

    private static AlertStateMachine.Saved alert(String pool, String instance, AlertState state, int startsAt) {
        TreeMap<String, String> labels = labels(pool, instance);
        return new AlertStateMachine.Saved(Fingerprint.of(labels), state, labels,
                Map.of("summary", "über 80% on " + pool, "dashboard", "http://x/"),
                0.93, 0.8, Duration.ofMinutes(1), Duration.ofMinutes(2), T0,
                state == AlertState.PENDING ? null : T0.plusSeconds(startsAt),
                state == AlertState.RESOLVED ? T0.plusSeconds(startsAt + 60) : null,
                state == AlertState.FIRING ? T0.plusSeconds(startsAt + 5) : null);
    }

    private static NotificationDispatcher.SavedGroup group(String receiver, String name, Set<String> fingerprints) {
        Map<String, String> firing = new TreeMap<>();
        fingerprints.forEach(f -> firing.put(f, Notification.FIRING));
        return new NotificationDispatcher.SavedGroup(receiver, "{}:{alertname=\"" + name + "\"}",
                new TreeMap<>(Map.of("alertname", name)),
                T0.plusSeconds(30), Notification.FIRING, firing, firing, fingerprints);
    }

    @Test
    void whatIsSavedIsReadBackByTheNextProcess() throws Exception {
        AlertStateMachine.Saved firing = alert("main", "pod-1", AlertState.FIRING, 60);
        AlertStateMachine.Saved pending = alert("jobs", "pod-1", AlertState.PENDING, 0);
        AlertStateMachine.Saved resolved = alert("analytics", "pod-1", AlertState.RESOLVED, 10);
        NotificationDispatcher.SavedGroup g = group("ops", "pool-utilization", Set.of(firing.fingerprint()));
        store.save("pod-1", List.of(firing, pending, resolved), List.of(g), T0.plusSeconds(90));

        AlertStateStore.Saved read = again().load("pod-1");
        assertEquals(Set.of(firing, pending, resolved), Set.copyOf(read.alerts()));
        assertEquals(List.of(g), read.groups());
        assertEquals(T0.plusSeconds(60),
                read.alerts().stream().filter(a -> a.state() == AlertState.FIRING).findFirst().orElseThrow().startsAt());
    }

    @Test
    void eachOwnerHasItsRowsAndASaveReplacesThem() throws Exception {
        store.save("pod-1", List.of(alert("main", "pod-1", AlertState.FIRING, 0)), List.of(group("ops", "a", Set.of("1"))), T0);
        store.save("poolwatch@db", List.of(alert("main", "poolwatch@db", AlertState.FIRING, 0)),
                List.of(group("ops", "b", Set.of("2"))), T0);
        store.save("pod-1", List.of(alert("jobs", "pod-1", AlertState.PENDING, 0)), List.of(), T0.plusSeconds(5));

        AlertStateStore.Saved pod = again().load("pod-1");
        assertEquals(List.of(alert("jobs", "pod-1", AlertState.PENDING, 0)), pod.alerts());
        assertEquals(List.of(), pod.groups());
        AlertStateStore.Saved cluster = store.load("poolwatch@db");
        assertEquals(List.of(alert("main", "poolwatch@db", AlertState.FIRING, 0)), cluster.alerts());
        assertEquals("{}:{alertname=\"b\"}", cluster.groups().get(0).groupKey());
        assertEquals(List.of(), store.load("pod-2").alerts());
    }

    @Test
    void everyStoredFieldAndTheRowsAreBounded() throws Exception {
        List<AlertStateMachine.Saved> many = new ArrayList<>();
        for (int i = 0; i < AlertStateStore.MAX_ALERTS + 5; i++) {
            many.add(alert("resolved-" + i, "pod-1", AlertState.RESOLVED, 0));
        }
        AlertStateMachine.Saved longWords = new AlertStateMachine.Saved("ffffffffffffffff", AlertState.FIRING,
                labels("main", "pod-1"),
                Map.of("description", "x".repeat(50_000)), 1, 1, Duration.ZERO, Duration.ZERO, T0, T0, null, null);
        many.add(longWords);
        Set<String> members = new LinkedHashSet<>();
        for (int i = 0; i < AlertStateStore.MAX_MEMBERS + 10; i++) {
            members.add(String.format("%016x", i));
        }
        List<NotificationDispatcher.SavedGroup> groups = new ArrayList<>();
        for (int i = 0; i < AlertStateStore.MAX_GROUPS + 3; i++) {
            groups.add(group("ops", "g" + i, i == 0 ? members : Set.of("1")));
        }
        String longOwner = "pod-" + "o".repeat(300);
        store.save(longOwner, many, groups, T0);

        AlertStateStore.Saved read = again().load(longOwner);
        assertEquals(AlertStateStore.MAX_ALERTS, read.alerts().size());
        AlertStateMachine.Saved kept = read.alerts().stream().filter(a -> a.fingerprint().equals("ffffffffffffffff"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the firing alert is kept before resolved ones"));
        assertEquals(AlertStateStore.MAX_ANNOTATION, kept.annotations().get("description").length());
        assertEquals(AlertStateStore.MAX_GROUPS, read.groups().size());
        read.groups().forEach(g -> assertTrue(
                g.members().size() <= AlertStateStore.MAX_MEMBERS && g.firing().size() <= AlertStateStore.MAX_MEMBERS));
        assertTrue(read.groups().stream().anyMatch(g -> g.members().size() == AlertStateStore.MAX_MEMBERS),
                "the big group's members, cut");
        assertTrue(AlertStateStore.ownerKey(longOwner).length() <= AlertStateStore.MAX_OWNER);
        assertTrue(!AlertStateStore.ownerKey(longOwner).equals(AlertStateStore.ownerKey(longOwner + "x")),
                "a cut owner keeps apart");
    }

    @Test
    void theRowsOfAnOwnerNotSavedForTheRetentionAreRemoved() throws Exception {
        store.save("gone-pod", List.of(alert("main", "gone-pod", AlertState.FIRING, 0)),
                List.of(group("ops", "a", Set.of("1"))),
                T0);
        store.save("pod-1", List.of(), List.of(), T0.plus(AlertStateStore.OWNER_RETENTION).minusSeconds(1));
        assertEquals(1, store.load("gone-pod").alerts().size(), "within the retention");
        store.save("pod-1", List.of(), List.of(), T0.plus(AlertStateStore.OWNER_RETENTION).plusSeconds(1));
        assertEquals(0, store.load("gone-pod").alerts().size());
        assertEquals(0, store.load("gone-pod").groups().size());
    }

    // ---- a restart, through the store ---------------------------------------------------------------------------

    private static Observation observation(double value) {
        TreeMap<String, String> labels = labels("main", "pod-1");
        return new Observation(AlertRule.POOL_UTILIZATION, labels, Map.of("summary", "pool-utilization on pool main"), value,
                0.8,
                AlertRule.POOL_UTILIZATION.breaches(value, 0.8), Duration.ZERO, Duration.ZERO);
    }

    private static NotificationDispatcher dispatcher() {
        return new NotificationDispatcher(List.of(new NotificationDispatcher.Route("ops", Set.of(Severity.values()), true)),
                List.of("alertname"),
                Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofHours(4));
    }

    @Test
    void aRestartContinuesTheAlertsAndTheirNotifications() throws Exception {
        AlertStateMachine before = new AlertStateMachine(Duration.ofHours(1));
        NotificationDispatcher notifiedBefore = dispatcher();
        List<Alert> alerts = before.evaluate(T0, List.of(observation(0.95)));
        assertTrue(notifiedBefore.tick(T0, alerts).isEmpty(), "group-wait");
        List<NotificationDispatcher.GroupNotification> first = notifiedBefore.tick(T0.plusSeconds(1), alerts);
        assertEquals(1, first.size());
        store.save("pod-1", before.saved(), notifiedBefore.saved(), T0.plusSeconds(1));

        // The next process: the same alert, still firing, is not notified again before repeat-interval.
        AlertStateStore.Saved saved = again().load("pod-1");
        AlertStateMachine after = new AlertStateMachine(Duration.ofHours(1));
        NotificationDispatcher notifiedAfter = dispatcher();
        after.adopt(saved.alerts());
        notifiedAfter.adopt(saved.groups());
        for (int s = 30; s <= 600; s += 30) {
            List<Alert> now = after.evaluate(T0.plusSeconds(s), List.of(observation(0.9)));
            assertEquals(alerts.get(0).fingerprint(), now.get(0).fingerprint());
            assertEquals(T0, now.get(0).startsAt(), "the first startsAt");
            assertEquals(List.of(), notifiedAfter.tick(T0.plusSeconds(s), now), "nothing new at " + s + "s");
        }
        store.save("pod-1", after.saved(), notifiedAfter.saved(), T0.plusSeconds(600));

        // Stopped, cleared while stopped, started again: the resolution, with the first startsAt.
        AlertStateStore.Saved later = again().load("pod-1");
        AlertStateMachine third = new AlertStateMachine(Duration.ofHours(1));
        NotificationDispatcher notifiedThird = dispatcher();
        third.adopt(later.alerts());
        notifiedThird.adopt(later.groups());
        Instant back = T0.plusSeconds(3600);
        assertEquals(AlertState.FIRING, third.evaluate(back.minusSeconds(5), List.of(), a -> true).get(0).state(),
                "not observed yet but still watched: it stays firing");
        List<Alert> cleared = third.evaluate(back, List.of(observation(0.1)));
        assertEquals(AlertState.RESOLVED, cleared.get(0).state());
        assertEquals(T0, cleared.get(0).startsAt());
        assertEquals(back, cleared.get(0).endsAt());
        List<NotificationDispatcher.GroupNotification> resolution = notifiedThird.tick(back, cleared);
        assertEquals(1, resolution.size(), "the resolution is sent");
        assertEquals(Notification.RESOLVED, resolution.get(0).status());
        assertEquals(alerts.get(0).fingerprint(), resolution.get(0).alerts().get(0).fingerprint());
    }
}
