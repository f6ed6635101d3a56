package io.poolwatch.alerting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.poolwatch.config.Severity;

/**
 * Groups alerts into notifications per receiver, with Alertmanager's timers: a new group waits {@code group-wait}
 * before its first notification; after that a change in the group (an alert firing, rising in severity or resolving) is
 * sent at most once per {@code group-interval}; an unchanged group that is still firing is sent again after
 * {@code repeat-interval}. Silenced alerts and alerts of a severity the receiver does not take are left out.
 * <p>
 * {@link #nextFlush()} says when a group's timer next runs out, so the caller can tick then rather than at its next
 * evaluation: {@code group-wait} and {@code group-interval} are honoured even when shorter than the evaluation interval.
 * The notification log (each group's last notification) can be {@linkplain #saved() saved} and {@linkplain #adopt
 * adopted} again after a restart, so a group already notified is not notified again before its timers say so. Driven by
 * explicit times; not thread-safe (one evaluator drives it).
 */
final class NotificationDispatcher {

    /**
     * Which alerts a receiver takes.
     *
     * @param receiver its name
     * @param severities the severities it takes
     * @param sendResolved whether resolved alerts are sent
     */
    record Route(String receiver, Set<Severity> severities, boolean sendResolved) {
    }

    /**
     * One notification to send.
     *
     * @param receiver the receiver's name
     * @param groupKey the group's key, {@code {}:{alertname="pool-utilization"}}
     * @param groupLabels the labels the group shares by definition
     * @param status firing when any alert in it fires, else resolved
     * @param alerts the alerts, firing first
     */
    record GroupNotification(String receiver, String groupKey, SortedMap<String, String> groupLabels, String status,
            List<Alert> alerts) {
    }

    /**
     * A group's last notification, as it is saved and adopted again.
     *
     * @param receiver the receiver's name
     * @param groupKey the group's key
     * @param groupLabels the labels the group shares
     * @param lastNotified when it was last notified
     * @param status firing or resolved, as last notified
     * @param carried the alerts the last notification carried: fingerprint to state
     * @param firing the alerts the receiver knows as firing: fingerprint to state
     * @param members the alerts in the group until their resolution is sent
     */
    record SavedGroup(String receiver, String groupKey, SortedMap<String, String> groupLabels, Instant lastNotified,
            String status,
            Map<String, String> carried, Map<String, String> firing, Set<String> members) {
    }

    private static final class Group {
        final SortedMap<String, String> labels;
        Instant nextFlush;
        Instant lastNotified;
        String lastStatus;
        Map<String, String> lastCarried = Map.of();
        Map<String, String> lastSent = Map.of();
        Set<String> members = new HashSet<>();
        List<Alert> current = List.of();

        Group(SortedMap<String, String> labels, Instant nextFlush) {
            this.labels = labels;
            this.nextFlush = nextFlush;
        }
    }

    private final List<Route> routes;
    private final List<String> groupBy;
    private final Duration groupWait;
    private final Duration groupInterval;
    private final Duration repeatInterval;
    private final Map<String, Map<String, Group>> groups = new HashMap<>();

    NotificationDispatcher(List<Route> routes, List<String> groupBy, Duration groupWait, Duration groupInterval,
            Duration repeatInterval) {
        this.routes = List.copyOf(routes);
        this.groupBy = List.copyOf(groupBy);
        this.groupWait = groupWait;
        this.groupInterval = groupInterval;
        this.repeatInterval = repeatInterval;
        routes.forEach(r -> groups.put(r.receiver(), new LinkedHashMap<>()));
    }

    /** The notifications due at {@code now}, given every alert as it stands. */
    List<GroupNotification> tick(Instant now, List<Alert> alerts) {
        List<GroupNotification> out = new ArrayList<>();
        for (Route route : routes) {
            Map<String, Group> byKey = groups.get(route.receiver());
            Map<String, List<Alert>> eligible = new LinkedHashMap<>();
            Map<String, SortedMap<String, String>> labelsOf = new HashMap<>();
            for (Alert a : alerts) {
                if (a.state() == AlertState.PENDING || a.silenced() || !takes(route, a)) {
                    continue;
                }
                SortedMap<String, String> gl = groupLabels(a);
                String key = groupKey(gl);
                eligible.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
                labelsOf.put(key, gl);
            }
            for (var e : eligible.entrySet()) {
                if (!byKey.containsKey(e.getKey())
                        && e.getValue().stream().anyMatch(a -> a.state() == AlertState.FIRING)) {
                    byKey.put(e.getKey(), new Group(labelsOf.get(e.getKey()), now.plus(groupWait)));
                }
            }
            for (var it = byKey.entrySet().iterator(); it.hasNext();) {
                var e = it.next();
                Group g = e.getValue();
                List<Alert> list = eligible.getOrDefault(e.getKey(), List.of());
                List<Alert> current = new ArrayList<>();
                Set<String> members = new HashSet<>();
                for (Alert a : list) {
                    if (a.state() == AlertState.FIRING) {
                        current.add(a);
                        members.add(a.fingerprint());
                    } else if (g.members.contains(a.fingerprint())) {
                        current.add(a);
                        members.add(a.fingerprint());
                    }
                }
                g.current = current;
                g.members = members;
                if (now.isBefore(g.nextFlush)) {
                    continue;
                }
                List<Alert> toSend = new ArrayList<>();
                current.stream().filter(a -> a.state() == AlertState.FIRING).forEach(toSend::add);
                if (route.sendResolved()) {
                    current.stream().filter(a -> a.state() == AlertState.RESOLVED).forEach(toSend::add);
                }
                // A firing alert whose severity rose is news as much as a new one.
                Map<String, String> snapshot = toSend.stream().collect(Collectors.toMap(Alert::fingerprint,
                        a -> a.state() == AlertState.FIRING ? a.state().label() + " " + a.labels().getOrDefault("severity", "")
                                : a.state().label(),
                        (x, y) -> x,
                        TreeMap::new));
                boolean firing = toSend.stream().anyMatch(a -> a.state() == AlertState.FIRING);
                boolean changed = !snapshot.equals(g.lastSent);
                boolean repeat = firing && g.lastNotified != null && !now.isBefore(g.lastNotified.plus(repeatInterval));
                // Alerts that fired and resolved before their group's first notification were never announced: nothing to say.
                boolean announced = g.lastNotified != null || firing;
                if ((changed || repeat) && !toSend.isEmpty() && announced) {
                    out.add(new GroupNotification(route.receiver(), e.getKey(), g.labels,
                            firing ? Notification.FIRING : Notification.RESOLVED, List.copyOf(toSend)));
                    g.lastNotified = now;
                    g.lastStatus = firing ? Notification.FIRING : Notification.RESOLVED;
                    g.lastCarried = new TreeMap<>(snapshot);
                }
                // What the receiver now knows: the firing alerts (resolved ones are done with).
                g.lastSent = new TreeMap<>(snapshot);
                g.lastSent.values().removeIf(state -> state.equals(AlertState.RESOLVED.label()));
                // A resolved alert is sent once; after that it leaves the group.
                g.members.removeIf(
                        fp -> current.stream()
                                .anyMatch(a -> a.fingerprint().equals(fp) && a.state() == AlertState.RESOLVED));
                g.nextFlush = now.plus(groupInterval);
                if (g.members.isEmpty() && !firing) {
                    it.remove();
                }
            }
        }
        return out;
    }

    /** When the earliest group's timer (group-wait, group-interval) runs out, if any group is open. */
    Optional<Instant> nextFlush() {
        return groups.values().stream().flatMap(m -> m.values().stream()).map(g -> g.nextFlush).min(Instant::compareTo);
    }

    /** The notification log: every group notified at least once, per receiver. */
    List<SavedGroup> saved() {
        List<SavedGroup> out = new ArrayList<>();
        groups.forEach((receiver, byKey) -> byKey.forEach((key, g) -> {
            if (g.lastNotified != null) {
                out.add(new SavedGroup(receiver, key, g.labels, g.lastNotified, g.lastStatus, Map.copyOf(g.lastCarried),
                        Map.copyOf(g.lastSent),
                        Set.copyOf(g.members)));
            }
        }));
        return out;
    }

    /**
     * Takes a saved notification log over: each group of a receiver still configured replaces the one here, and is next
     * looked at one group-interval after its last notification (at once if that has passed), as it would have been.
     */
    void adopt(List<SavedGroup> saved) {
        for (SavedGroup s : saved) {
            Map<String, Group> byKey = groups.get(s.receiver());
            if (byKey == null) {
                continue;
            }
            Group g = new Group(new TreeMap<>(s.groupLabels()), s.lastNotified().plus(groupInterval));
            g.lastNotified = s.lastNotified();
            g.lastStatus = s.status();
            g.lastCarried = new TreeMap<>(s.carried());
            g.lastSent = new TreeMap<>(s.firing());
            g.members = new HashSet<>(s.members());
            byKey.put(s.groupKey(), g);
        }
    }

    /** Forgets every group (this process no longer notifies these alerts; another one continues from the saved log). */
    void forget() {
        groups.values().forEach(Map::clear);
    }

    private static boolean takes(Route route, Alert a) {
        String severity = a.labels().get("severity");
        return route.severities().stream().anyMatch(s -> s.label().equals(severity));
    }

    private SortedMap<String, String> groupLabels(Alert a) {
        SortedMap<String, String> gl = new TreeMap<>();
        for (String label : groupBy) {
            String v = a.labels().get(label);
            if (v != null) {
                gl.put(label, v);
            }
        }
        return gl;
    }

    /** Alertmanager's group key form: the route's matchers (none) and the group's labels. */
    static String groupKey(SortedMap<String, String> groupLabels) {
        return "{}:{" + groupLabels.entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue().replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ")) + "}";
    }

    /** Groups waiting or open, per receiver, for the API. */
    Map<String, Integer> openGroups() {
        Map<String, Integer> out = new LinkedHashMap<>();
        groups.forEach((r, g) -> out.put(r, g.size()));
        return out;
    }
}
