package io.poolwatch.alerting;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import io.poolwatch.config.Severity;

/**
 * One rule's value for one pool, database, replica or check at one evaluation.
 *
 * @param rule the rule
 * @param labels the alert's labels: alertname, severity, instance and what it is about (pool, workload, database, check)
 * @param annotations summary, description and a dashboard link while the alert is pending or firing: a value over the
 *        threshold reads as breaching, a value back under it (an alert kept firing for keep-firing-for) as back
 * @param resolvedAnnotations the same once the alert is resolved with this as its last observation: back under the
 *        threshold, or, for a value still over it, no longer measured
 * @param value the value measured
 * @param threshold the threshold in effect
 * @param breached whether the value breaches the threshold
 * @param forDuration how long it must breach before the alert fires
 * @param keepFiringFor how long a firing alert stays firing after it stops breaching
 */
public record Observation(AlertRule rule, SortedMap<String, String> labels, Map<String, String> annotations,
        Map<String, String> resolvedAnnotations, double value, double threshold, boolean breached, Duration forDuration,
        Duration keepFiringFor) {

    public Observation {
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        annotations = Map.copyOf(annotations);
        resolvedAnnotations = Map.copyOf(resolvedAnnotations);
    }

    /** An observation whose words are the same whatever its alert's state. */
    public Observation(AlertRule rule, SortedMap<String, String> labels, Map<String, String> annotations, double value,
            double threshold,
            boolean breached, Duration forDuration, Duration keepFiringFor) {
        this(rule, labels, annotations, annotations, value, threshold, breached, forDuration, keepFiringFor);
    }

    /**
     * The alert's identity: a hash of its labels but severity (see {@link Fingerprint}), so an alert whose severity rises
     * stays the same alert.
     */
    public String fingerprint() {
        return Fingerprint.of(labels);
    }

    /** The annotations for an alert in {@code state}: pending, firing or resolved. */
    public Map<String, String> annotations(AlertState state) {
        return AlertState.RESOLVED.equals(state) ? resolvedAnnotations : annotations;
    }

    /**
     * This observation, with {@code earlier}'s severity when that was higher: an alert keeps the highest severity it
     * reached until it resolves, so its resolution goes to the receivers its rise was sent to.
     */
    Observation atLeastAsSevereAs(Observation earlier) {
        if (earlier == null || earlier == this || rank(earlier.labels.get("severity")) <= rank(labels.get("severity"))) {
            return this;
        }
        SortedMap<String, String> raised = new TreeMap<>(labels);
        raised.put("severity", earlier.labels.get("severity"));
        return new Observation(rule, raised, annotations, resolvedAnnotations, value, threshold, breached, forDuration,
                keepFiringFor);
    }

    private static int rank(String severity) {
        if (severity == null) {
            return -1;
        }
        try {
            return Severity.parse(severity).ordinal();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
