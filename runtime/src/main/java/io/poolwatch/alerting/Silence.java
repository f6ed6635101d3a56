package io.poolwatch.alerting;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A silence: alerts whose labels match every matcher are shown but not notified until {@code endsAt}.
 *
 * @param id its id
 * @param matchers label matchers, all of which must match
 * @param startsAt when it took effect
 * @param endsAt when it ends (or was expired)
 * @param createdBy who made it
 * @param comment why
 */
public record Silence(String id, List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment) {

    /**
     * One label matcher, as Alertmanager's: equal or regular expression (fully anchored), or their negations. Regular
     * expressions run on RE2/J, the syntax Alertmanager uses (Go's RE2): its time is linear in the label's length
     * whatever the expression holds, so a hostile matcher cannot hold up alert evaluation.
     *
     * @param name the label
     * @param value the value, or the expression
     * @param isRegex whether value is a regular expression
     * @param isEqual false negates the match
     */
    @RegisterForReflection // read back from the outbox by a plain ObjectMapper, also in a native image
    public record Matcher(String name, String value, Boolean isRegex, Boolean isEqual) {

        /** Omitted flags mean what Alertmanager's do: not a regular expression, and equal. */
        public Matcher {
            isRegex = isRegex != null && isRegex;
            isEqual = isEqual == null || isEqual;
        }

        boolean matches(Map<String, String> labels) {
            String actual = labels.getOrDefault(name, "");
            return isRegex ? MatcherPattern.of(value).matches(actual, isEqual) : value.equals(actual) == isEqual;
        }
    }

    /** Whether it is in effect at {@code now}. */
    public boolean active(Instant now) {
        return !now.isBefore(startsAt) && now.isBefore(endsAt);
    }

    boolean matches(Map<String, String> labels) {
        return matchers.stream().allMatch(m -> m.matches(labels));
    }
}
