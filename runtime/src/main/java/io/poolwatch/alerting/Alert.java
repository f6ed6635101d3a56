package io.poolwatch.alerting;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An alert at one moment.
 *
 * @param fingerprint its identity, a hash of its labels
 * @param state pending, firing or resolved
 * @param labels alertname, severity, instance and what it is about
 * @param annotations summary, description, dashboard link
 * @param value the latest value
 * @param threshold the threshold in effect
 * @param activeAt when the condition started to hold
 * @param startsAt when it fired; null while pending
 * @param endsAt when it resolved; null while not resolved
 * @param silencedBy the ids of the silences that keep it from being notified
 */
public record Alert(String fingerprint, AlertState state, Map<String, String> labels, Map<String, String> annotations,
        double value,
        double threshold, Instant activeAt, Instant startsAt, Instant endsAt, List<String> silencedBy) {

    /** The alert's name (its rule). */
    public String name() {
        return labels.get("alertname");
    }

    /** Whether a silence matches it. */
    public boolean silenced() {
        return !silencedBy.isEmpty();
    }

    Alert withSilences(List<String> ids) {
        return new Alert(fingerprint, state, labels, annotations, value, threshold, activeAt, startsAt, endsAt,
                List.copyOf(ids));
    }
}
