package io.poolwatch.alerting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Predicate;

/**
 * Every alert's life cycle, driven by observations and an explicit time (so it is tested with a controllable clock):
 *
 * <pre>
 * inactive --breach--> pending --held for 'for'--> firing --clear held for keep-firing-for--> resolved
 *              pending --clear--> inactive          firing --breach again--> firing (the clear is forgotten)
 * </pre>
 *
 * A resolved alert is listed for the retention time; if it breaches again it starts over as a new pending alert.
 * An alert whose pool, database or check is no longer observed is treated as clear. An alert keeps the highest
 * severity it reached until it resolves.
 * <p>
 * The state can be {@linkplain #saved() saved} and {@linkplain #adopt adopted} again after a restart, or by the process
 * that takes over the cluster's jobs: an adopted alert keeps its fingerprint, {@code activeAt}, {@code startsAt} and the
 * time it started to clear. Until it is observed again it stays as it was while the caller says its subject is still
 * watched (a check that has not run yet since the restart); then it moves on from there: an alert that cleared while no
 * process watched it resolves at the first evaluation that sees it clear. Not thread-safe: one evaluator drives it.
 */
final class AlertStateMachine {

    private static final class Tracked {
        final String fingerprint;
        Observation last;
        AlertState state;
        Instant activeAt;
        Instant startsAt;
        Instant endsAt;
        Instant clearingSince;
        /** Adopted from a saved state and not observed since. */
        boolean adopted;

        Tracked(String fingerprint, Observation observation, Instant now) {
            this.fingerprint = fingerprint;
            this.last = observation;
            this.state = AlertState.PENDING;
            this.activeAt = now;
        }

        Alert view() {
            return new Alert(fingerprint, state, last.labels(), last.annotations(state), last.value(), last.threshold(),
                    activeAt, startsAt, endsAt,
                    List.of());
        }
    }

    /**
     * One alert's state as it is saved and adopted again.
     *
     * @param fingerprint its identity
     * @param state pending, firing or resolved
     * @param labels its labels
     * @param annotations its annotations when last observed
     * @param value its value when last observed
     * @param threshold its threshold when last observed
     * @param forDuration how long it had to breach before firing
     * @param keepFiringFor how long it keeps firing once clear
     * @param activeAt when its condition started to hold
     * @param startsAt when it fired; null while pending
     * @param endsAt when it resolved; null while not resolved
     * @param clearingSince when a firing alert started to clear, waiting for keep-firing-for; else null
     */
    record Saved(String fingerprint, AlertState state, SortedMap<String, String> labels, Map<String, String> annotations,
            double value,
            double threshold, Duration forDuration, Duration keepFiringFor, Instant activeAt, Instant startsAt, Instant endsAt,
            Instant clearingSince) {

        /** The part that changes only when the alert moves on (not its value or wording at each evaluation). */
        List<Object> identity() {
            return Arrays.asList(fingerprint, state, activeAt, startsAt, endsAt, clearingSince);
        }
    }

    private final Map<String, Tracked> alerts = new LinkedHashMap<>();
    private final Duration resolvedRetention;

    AlertStateMachine(Duration resolvedRetention) {
        this.resolvedRetention = resolvedRetention;
    }

    /** Applies one evaluation's observations at {@code now}; returns every alert, pending, firing and recently resolved. */
    List<Alert> evaluate(Instant now, Collection<Observation> observations) {
        return evaluate(now, observations, a -> false);
    }

    /**
     * {@link #evaluate(Instant, Collection)}, where an adopted alert that is not observed stays as it was while
     * {@code stillWatched} holds for it (its pool, database or check is still configured and not observed yet).
     */
    List<Alert> evaluate(Instant now, Collection<Observation> observations, Predicate<Alert> stillWatched) {
        Set<String> seen = new HashSet<>();
        for (Observation o : observations) {
            String fp = o.fingerprint();
            seen.add(fp);
            Tracked t = alerts.get(fp);
            if (t != null) {
                t.adopted = false;
            }
            if (o.breached()) {
                if (t == null || t.state == AlertState.RESOLVED) {
                    t = new Tracked(fp, o, now);
                    alerts.put(fp, t);
                }
                t.last = o.atLeastAsSevereAs(t.last);
                t.clearingSince = null;
                if (t.state == AlertState.PENDING && !now.isBefore(t.activeAt.plus(o.forDuration()))) {
                    t.state = AlertState.FIRING;
                    t.startsAt = now;
                }
            } else if (t != null) {
                t.last = o.atLeastAsSevereAs(t.last);
                clear(t, now, o.keepFiringFor());
            }
        }
        for (Iterator<Tracked> it = alerts.values().iterator(); it.hasNext();) {
            Tracked t = it.next();
            if (!seen.contains(t.fingerprint)
                    && !(t.adopted && t.state != AlertState.RESOLVED && stillWatched.test(t.view()))) {
                t.adopted = false;
                clear(t, now, t.last.keepFiringFor());
            }
            if (t.state == AlertState.PENDING && t.clearingSince != null) {
                it.remove();
            } else if (t.state == AlertState.RESOLVED && now.isAfter(t.endsAt.plus(resolvedRetention))) {
                it.remove();
            }
        }
        List<Alert> out = new ArrayList<>();
        alerts.values().forEach(t -> out.add(t.view()));
        return out;
    }

    /** Every alert's state, to be saved. */
    List<Saved> saved() {
        List<Saved> out = new ArrayList<>();
        for (Tracked t : alerts.values()) {
            Observation o = t.last;
            out.add(new Saved(t.fingerprint, t.state, o.labels(), o.annotations(t.state), o.value(), o.threshold(),
                    o.forDuration(), o.keepFiringFor(),
                    t.activeAt, t.startsAt, t.endsAt, t.clearingSince));
        }
        return out;
    }

    /**
     * Takes saved alerts over: each replaces the alert of its fingerprint tracked here (keeping the latest observation
     * made here, if any), so its activeAt, startsAt and clearing time are the saved ones.
     */
    void adopt(Collection<Saved> saved) {
        for (Saved s : saved) {
            if (s.activeAt() == null || (s.state() == AlertState.FIRING && s.startsAt() == null)
                    || (s.state() == AlertState.RESOLVED && (s.startsAt() == null || s.endsAt() == null))) {
                continue;
            }
            Tracked here = alerts.get(s.fingerprint());
            Observation last = here != null ? here.last
                    : new Observation(AlertRule.of(s.labels().get("alertname")).orElse(null), s.labels(), s.annotations(),
                            s.value(), s.threshold(),
                            s.state() != AlertState.RESOLVED, s.forDuration(), s.keepFiringFor());
            Tracked t = new Tracked(s.fingerprint(), last, s.activeAt());
            t.state = s.state();
            t.startsAt = s.startsAt();
            t.endsAt = s.endsAt();
            t.clearingSince = s.clearingSince();
            t.adopted = here == null;
            alerts.put(s.fingerprint(), t);
        }
    }

    private static void clear(Tracked t, Instant now, Duration keepFiringFor) {
        switch (t.state) {
            case PENDING -> t.clearingSince = now;
            case FIRING -> {
                if (t.clearingSince == null) {
                    t.clearingSince = now;
                }
                if (!now.isBefore(t.clearingSince.plus(keepFiringFor))) {
                    t.state = AlertState.RESOLVED;
                    t.endsAt = now;
                }
            }
            default -> {
            }
        }
    }
}
