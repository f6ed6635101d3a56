package io.poolwatch.config;

import java.util.Locale;

/** What a read gets when none of its workload's replicas is usable. */
public enum ReplicaFallback {

    /** The workload's own (primary) pool serves it; counted as a fallback. */
    PRIMARY("primary"),

    /** The caller gets an error naming why each replica was skipped; counted too. */
    FAIL("fail");

    public static final String ACCEPTED = "primary, fail";

    private final String label;

    ReplicaFallback(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Parses a policy; throws {@link IllegalArgumentException} naming the value and the accepted ones. */
    public static ReplicaFallback parse(String text) {
        String v = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "primary" -> PRIMARY;
            case "fail" -> FAIL;
            default -> throw new IllegalArgumentException("'" + text + "' is not a fallback; accepted: " + ACCEPTED);
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
