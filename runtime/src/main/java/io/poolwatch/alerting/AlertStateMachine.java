package io.poolwatch.alerting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every alert's life cycle, driven by observations and an explicit time (so it is tested with a controllable clock):
 * <pre>
 * inactive --breach--> pending --held for 'for'--> firing --clear held for keep-firing-for--> resolved
 *              pending --clear--> inactive          firing --breach again--> firing (the clear is forgotten)
 * </pre>
 * A resolved alert is listed for the retention time; if it breaches again it starts over as a new pending alert.
 * An alert whose pool, database or check is no longer observed is treated as clear. An alert keeps the highest
 * severity it reached until it resolves. Not thread-safe: one evaluator drives it.
 */
final class AlertStateMachine {

    private static final class Tracked {
        final String fingerprint;
        Observation last;
        String state;
        Instant activeAt;
        Instant startsAt;
        Instant endsAt;
        Instant clearingSince;

        Tracked(String fingerprint, Observation observation, Instant now) {
            this.fingerprint = fingerprint;
            this.last = observation;
            this.state = Alert.PENDING;
            this.activeAt = now;
        }

        Alert view() {
            return new Alert(fingerprint, state, last.labels(), last.annotations(state), last.value(), last.threshold(), activeAt, startsAt, endsAt,
                    List.of());
        }
    }

    private final Map<String, Tracked> alerts = new LinkedHashMap<>();
    private final Duration resolvedRetention;

    AlertStateMachine(Duration resolvedRetention) {
        this.resolvedRetention = resolvedRetention;
    }

    /** Applies one evaluation's observations at {@code now}; returns every alert, pending, firing and recently resolved. */
    List<Alert> evaluate(Instant now, Collection<Observation> observations) {
        Set<String> seen = new HashSet<>();
        for (Observation o : observations) {
            String fp = o.fingerprint();
            seen.add(fp);
            Tracked t = alerts.get(fp);
            if (o.breached()) {
                if (t == null || t.state.equals(Alert.RESOLVED)) {
                    t = new Tracked(fp, o, now);
                    alerts.put(fp, t);
                }
                t.last = o.atLeastAsSevereAs(t.last);
                t.clearingSince = null;
                if (t.state.equals(Alert.PENDING) && !now.isBefore(t.activeAt.plus(o.forDuration()))) {
                    t.state = Alert.FIRING;
                    t.startsAt = now;
                }
            } else if (t != null) {
                t.last = o.atLeastAsSevereAs(t.last);
                clear(t, now, o.keepFiringFor());
            }
        }
        for (Iterator<Tracked> it = alerts.values().iterator(); it.hasNext();) {
            Tracked t = it.next();
            if (!seen.contains(t.fingerprint)) {
                clear(t, now, t.last.keepFiringFor());
            }
            if (t.state.equals(Alert.PENDING) && t.clearingSince != null) {
                it.remove();
            } else if (t.state.equals(Alert.RESOLVED) && now.isAfter(t.endsAt.plus(resolvedRetention))) {
                it.remove();
            }
        }
        List<Alert> out = new ArrayList<>();
        alerts.values().forEach(t -> out.add(t.view()));
        return out;
    }

    private static void clear(Tracked t, Instant now, Duration keepFiringFor) {
        switch (t.state) {
            case Alert.PENDING -> t.clearingSince = now;
            case Alert.FIRING -> {
                if (t.clearingSince == null) {
                    t.clearingSince = now;
                }
                if (!now.isBefore(t.clearingSince.plus(keepFiringFor))) {
                    t.state = Alert.RESOLVED;
                    t.endsAt = now;
                }
            }
            default -> {
            }
        }
    }
}
