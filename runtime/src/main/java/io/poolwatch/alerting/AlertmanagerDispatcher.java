package io.poolwatch.alerting;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import io.poolwatch.config.Severity;

/**
 * Decides what is posted to each Alertmanager receiver, as Prometheus does: Alertmanager groups, routes, silences and
 * notifies, so poolwatch's group-wait, group-interval and repeat-interval do not apply. Each post carries every alert
 * Alertmanager should know from this owner:
 * <ul>
 * <li>each firing alert of a severity the receiver takes, with {@code endsAt} = now + 4 × the larger of resend-interval
 * and the evaluation interval, so it stays active in Alertmanager for four missed posts and no longer;</li>
 * <li>with send-resolved, each alert resolved within the last {@link #RESOLVED_RESEND} (Prometheus keeps them as long),
 * with {@code endsAt} = when it resolved;</li>
 * <li>with send-resolved, an alert as it was last posted, resolved now, when its labels changed (its severity rose) or
 * the receiver no longer takes it: to Alertmanager, whose alerts are their label sets, that alert ended.</li>
 * </ul>
 * A post is made at a tick when something changed (an alert fired, rose in severity or resolved), else once
 * resend-interval has passed since the last one. Since every post carries all a previous one did, a newer post may
 * replace an older one still undelivered (see {@link Outbox#addSuperseding}).
 * <p>
 * Silences and pending alerts play no part: poolwatch's silences govern its webhook receivers and its dashboard, while
 * an Alertmanager receiver gets every firing alert and is silenced in Alertmanager. Nothing here is saved: after a
 * restart, or once this process takes the cluster's jobs over, the first tick posts everything at once ({@link #forget}),
 * which Alertmanager takes as the same alerts (same labels) with a later {@code endsAt}. Driven by explicit times; not
 * thread-safe (one evaluator drives it).
 */
final class AlertmanagerDispatcher {

    /** How long a resolved alert keeps being posted, as Prometheus' resolvedRetention. */
    static final Duration RESOLVED_RESEND = Duration.ofMinutes(15);
    /** endsAt of a firing alert is this many resend intervals ahead, as in Prometheus. */
    static final int ENDS_AT_INTERVALS = 4;
    /** Most alerts in one post: firing ones first, so only resolutions are left out beyond it. */
    static final int MAX_ALERTS = 1000;

    /**
     * Which alerts an Alertmanager receiver takes.
     *
     * @param receiver its name
     * @param severities the severities it takes
     * @param sendResolved whether resolved alerts are posted
     * @param resendInterval how often firing alerts are posted again
     */
    record Route(String receiver, Set<Severity> severities, boolean sendResolved, Duration resendInterval) {
    }

    /**
     * One alert as it is posted: Alertmanager's postable alert.
     *
     * @param fingerprint poolwatch's fingerprint, not sent (Alertmanager computes its own from the labels)
     * @param labels its labels
     * @param annotations its annotations
     * @param startsAt when it fired
     * @param endsAt until when it is active; when it resolved, for a resolved one
     * @param generatorUrl the dashboard page it is about
     * @param firing whether it is posted as firing
     */
    record Posted(String fingerprint, SortedMap<String, String> labels, SortedMap<String, String> annotations, Instant startsAt,
            Instant endsAt,
            String generatorUrl, boolean firing) {

        Posted resolvedAt(Instant at) {
            return new Posted(fingerprint, labels, annotations, startsAt, at, generatorUrl, false);
        }
    }

    /**
     * One post to every Alertmanager of a receiver.
     *
     * @param receiver the receiver's name
     * @param status firing when any alert in it fires, else resolved
     * @param alerts the alerts, firing first
     * @param omitted alerts left out beyond {@link #MAX_ALERTS}
     */
    record Send(String receiver, String status, List<Posted> alerts, int omitted) {
    }

    /** What one receiver was last posted. */
    private static final class Known {
        Instant lastSent;
        /** The firing alerts last posted, by fingerprint. */
        Map<String, Posted> firing = Map.of();
        /** The fingerprints of the resolved alerts posted (so each resolution counts as a change once). */
        Set<String> resolved = new HashSet<>();
        /** Alerts posted as firing whose labels changed or that the receiver no longer takes: posted as resolved a while. */
        Map<SortedMap<String, String>, Posted> ended = new LinkedHashMap<>();
    }

    private final List<Route> routes;
    private final Duration evaluationInterval;
    private final String externalUrl;
    private final Map<String, Known> known = new HashMap<>();

    /**
     * @param evaluationInterval how often ticks come at least; endsAt is counted from it when longer than resend-interval
     * @param externalUrl the dashboard's address: the generatorURL of an alert without a dashboard link
     */
    AlertmanagerDispatcher(List<Route> routes, Duration evaluationInterval, String externalUrl) {
        this.routes = List.copyOf(routes);
        this.evaluationInterval = evaluationInterval;
        this.externalUrl = externalUrl;
        routes.forEach(r -> known.put(r.receiver(), new Known()));
    }

    /** How far ahead a firing alert's endsAt is put for {@code route}. */
    Duration validFor(Route route) {
        Duration step = route.resendInterval().compareTo(evaluationInterval) >= 0 ? route.resendInterval() : evaluationInterval;
        return step.multipliedBy(ENDS_AT_INTERVALS);
    }

    /** The posts due at {@code now}, given every alert of this owner as it stands. */
    List<Send> tick(Instant now, List<Alert> alerts) {
        List<Send> out = new ArrayList<>();
        for (Route route : routes) {
            Known k = known.get(route.receiver());
            Instant endsAt = now.plus(validFor(route));
            Map<String, Posted> firing = new LinkedHashMap<>();
            Map<String, Posted> resolved = new LinkedHashMap<>();
            // Firing first, the most severe first, so a post cut at MAX_ALERTS leaves out resolutions, never a firing alert while
            // there are resolutions; each kind in a stable order.
            List<Alert> sorted = new ArrayList<>(alerts);
            sorted.sort(Comparator.comparing((Alert a) -> -severityRank(a)).thenComparing(Alert::fingerprint));
            for (Alert a : sorted) {
                if (!takes(route, a)) {
                    continue;
                }
                if (a.state() == AlertState.FIRING && a.startsAt() != null) {
                    firing.put(a.fingerprint(), posted(a, a.startsAt(), endsAt, true));
                } else if (a.state() == AlertState.RESOLVED && route.sendResolved() && a.endsAt() != null
                        && a.startsAt() != null
                        && now.isBefore(a.endsAt().plus(RESOLVED_RESEND))) {
                    resolved.put(a.fingerprint(), posted(a, a.startsAt(), a.endsAt(), false));
                }
            }
            boolean changed = false;
            // An alert posted as firing that is no longer posted as such with the same labels has ended for Alertmanager.
            for (Posted before : k.firing.values()) {
                Posted current = firing.get(before.fingerprint());
                if (current != null && current.labels().equals(before.labels())) {
                    continue;
                }
                if (!resolved.containsKey(before.fingerprint())
                        || !resolved.get(before.fingerprint()).labels().equals(before.labels())) {
                    if (route.sendResolved()) {
                        k.ended.put(before.labels(), before.resolvedAt(now));
                    }
                }
                changed = true;
            }
            k.ended.values().removeIf(p -> !now.isBefore(p.endsAt().plus(RESOLVED_RESEND)));
            // An ended variant firing again with the same labels (the alert started over) is not ended any more.
            firing.values().forEach(p -> k.ended.remove(p.labels()));
            for (String fp : firing.keySet()) {
                if (!k.firing.containsKey(fp)) {
                    changed = true;
                }
            }
            for (String fp : resolved.keySet()) {
                if (!k.resolved.contains(fp)) {
                    changed = true;
                }
            }
            List<Posted> all = new ArrayList<>(firing.values());
            all.addAll(resolved.values());
            all.addAll(k.ended.values());
            boolean resend = k.lastSent != null && !now.isBefore(k.lastSent.plus(route.resendInterval()));
            if (!all.isEmpty() && (changed || resend || k.lastSent == null)) {
                int omitted = Math.max(0, all.size() - MAX_ALERTS);
                List<Posted> sent = omitted == 0 ? all : all.subList(0, MAX_ALERTS);
                out.add(new Send(route.receiver(), firing.isEmpty() ? Notification.RESOLVED : Notification.FIRING,
                        List.copyOf(sent),
                        omitted));
                k.lastSent = now;
            } else if (all.isEmpty()) {
                k.lastSent = null;
            }
            k.firing = firing;
            // A resolution stops counting as news once posted; forgotten when it leaves the window (or fires again).
            k.resolved.retainAll(resolved.keySet());
            k.resolved.addAll(resolved.keySet());
        }
        return out;
    }

    private Posted posted(Alert a, Instant startsAt, Instant endsAt, boolean firing) {
        return new Posted(a.fingerprint(), new TreeMap<>(a.labels()), new TreeMap<>(a.annotations()), startsAt, endsAt,
                generatorUrl(a.annotations().get("dashboard")), firing);
    }

    /**
     * The alert's dashboard link, when it is a URL Alertmanager takes as one; else the dashboard's address, since
     * Alertmanager refuses a whole post with one generatorURL it cannot read.
     */
    String generatorUrl(String link) {
        if (link != null) {
            try {
                URI u = new URI(link);
                if (u.isAbsolute() && u.getHost() != null) {
                    return link;
                }
            } catch (URISyntaxException e) {
                // the address below
            }
        }
        return externalUrl;
    }

    private static int severityRank(Alert a) {
        int state = a.state() == AlertState.FIRING ? 10 : 0;
        return state + Severity.find(a.labels().get("severity")).map(Severity::ordinal).orElse(0);
    }

    /** Forgets what was posted, so the next tick posts everything (this process notifies these alerts anew). */
    void forget() {
        known.replaceAll((k, v) -> new Known());
    }

    private static boolean takes(Route route, Alert a) {
        String severity = a.labels().get("severity");
        return route.severities().stream().anyMatch(s -> s.label().equals(severity));
    }
}
