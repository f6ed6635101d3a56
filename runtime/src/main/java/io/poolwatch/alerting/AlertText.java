package io.poolwatch.alerting;

import java.time.Duration;
import java.util.Locale;

import io.poolwatch.config.Durations;
import io.poolwatch.config.Severity;

/**
 * The words of alerts, the summary and description that receivers, the dashboard and {@code /api/v1/alerts} show. Each
 * observation gets two sets: one for while its alert is pending or firing, one for once it is resolved. A value over
 * the threshold reads as breaching ("error-rate on pool financial: 7.0% &gt; 5.0%"), a value back under it as back
 * ("error-rate on pool financial is back to 0.0% (critical above 5.0%)"); an alert kept firing after its value cleared
 * says until when, and one resolved because its subject is no longer measured says that, not its last breach.
 */
final class AlertText {

    private AlertText() {
    }

    /**
     * The words of one observation.
     *
     * @param summary while the alert is pending or firing
     * @param description while the alert is pending or firing
     * @param resolvedSummary once it is resolved
     * @param resolvedDescription once it is resolved
     */
    record Words(String summary, String description, String resolvedSummary, String resolvedDescription) {
    }

    /** The threshold with the severity it raises: "warning above 80.0%", "warning at 5 or more". */
    static String policy(AlertRule rule, Severity severity, double threshold) {
        return severity.label() + " " + comparison(rule, threshold);
    }

    /** "above 80.0%" or "at 5 or more", by the rule's comparison. */
    static String comparison(AlertRule rule, double threshold) {
        return rule.atOrAbove() ? "at " + format(rule, threshold) + " or more" : "above " + format(rule, threshold);
    }

    /**
     * The words of a rule whose value is a quantity (utilization, error rate, seconds, a count).
     *
     * @param subject what the alert is about: "pool main", "database db:5432/app", "replica main-replica-1"
     * @param policy the threshold and its severity, from {@link #policy}
     * @param detail the figures behind the value, or null
     */
    static Words measured(AlertRule rule, String subject, double value, boolean breached, double threshold, String policy,
            Duration forDuration,
            Duration keepFiringFor, String detail) {
        String quantity = rule.quantity().orElse(rule.measures());
        String v = format(rule, value);
        String t = format(rule, threshold);
        String heading = capitalise(subject);
        String details = detail == null || detail.isBlank() ? "" : " " + sentence(detail);
        if (breached) {
            String held = forDuration.isZero() ? ""
                    : (policy.contains(", ") ? ", for " : " for ") + Durations.format(forDuration);
            return new Words(rule.label() + " on " + subject + ": " + v + " " + rule.operator() + " " + t,
                    heading + ": " + quantity + " is " + v + "; " + policy + held + "." + details,
                    rule.label() + " on " + subject + " is no longer measured (last " + v + " " + rule.operator() + " " + t
                            + ")",
                    heading + ": " + quantity + " is no longer measured, so the alert is resolved; the last value was " + v
                            + " (" + policy + ").");
        }
        String summary = rule.label() + " on " + subject + " is back to " + v + " (" + policy + ")";
        String description = heading + ": " + quantity + " is back to " + v + ", "
                + (rule.atOrAbove() ? "below " : "not above ") + t + "."
                + details;
        return new Words(summary + keptSummary(keepFiringFor), description + kept(keepFiringFor), summary, description);
    }

    /**
     * The words of a rule whose value says whether something holds (a pool's database does not answer, a check fails).
     *
     * @param heading the subject as a description starts: "Pool financial", "Check orders (every order has a customer)"
     * @param state what holds now, short: "its database does not answer"
     * @param stateLong the same with its figures: "its database does not answer the pool's validation (...)"
     */
    static Words condition(AlertRule rule, String subject, String heading, boolean breached, String state, String stateLong,
            Duration keepFiringFor) {
        String summary = rule.label() + " on " + subject + ": " + state;
        String description = heading + ": " + sentence(stateLong);
        if (breached) {
            return new Words(summary, description,
                    rule.label() + " on " + subject + " is no longer measured (last: " + state + ")",
                    heading + ": no longer measured, so the alert is resolved; last, " + sentence(stateLong));
        }
        return new Words(summary + keptSummary(keepFiringFor), description + kept(keepFiringFor), summary, description);
    }

    private static String keptSummary(Duration keepFiringFor) {
        return "; firing until it stays clear for " + Durations.format(keepFiringFor);
    }

    private static String kept(Duration keepFiringFor) {
        return " The alert stays firing until the value has stayed clear for " + Durations.format(keepFiringFor)
                + " (keep-firing-for).";
    }

    private static String sentence(String s) {
        return s.endsWith(".") ? s : s + ".";
    }

    static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A value as people read it: 93.0%, 2.35s, 7. */
    static String format(AlertRule rule, double v) {
        return switch (rule.unit()) {
            case "ratio" -> String.format(Locale.ROOT, "%.1f%%", v * 100);
            case "seconds" -> String.format(Locale.ROOT, "%.2fs", v);
            default -> AlertRuleSet.format(v);
        };
    }
}
