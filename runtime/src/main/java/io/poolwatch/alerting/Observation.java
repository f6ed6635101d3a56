package io.poolwatch.alerting;

import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One rule's value for one pool, database, replica or check at one evaluation.
 *
 * @param rule the rule
 * @param labels the alert's identity: alertname, severity, instance and what it is about (pool, workload, database, check)
 * @param annotations summary, description and a dashboard link
 * @param value the value measured
 * @param threshold the threshold in effect
 * @param breached whether the value breaches the threshold
 * @param forDuration how long it must breach before the alert fires
 * @param keepFiringFor how long a firing alert stays firing after it stops breaching
 */
public record Observation(AlertRule rule, SortedMap<String, String> labels, Map<String, String> annotations, double value, double threshold,
        boolean breached, Duration forDuration, Duration keepFiringFor) {

    public Observation {
        labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        annotations = Map.copyOf(annotations);
    }

    /** The alert's identity: a hash of its labels, as Prometheus computes one. */
    public String fingerprint() {
        return Fingerprint.of(labels);
    }
}
