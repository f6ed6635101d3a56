package io.poolwatch.config;

import java.util.Locale;

/** How reads are spread over a workload's read replicas. */
public enum ReadStrategy {

    /** Each usable replica in turn, whatever its weight (a replica of weight 0 gets no reads). */
    ROUND_ROBIN("round-robin"),

    /** Smooth weighted round-robin (nginx's): each usable replica in proportion to its weight, evenly interleaved. */
    WEIGHTED("weighted");

    /** The accepted spellings, quoted in error messages. */
    public static final String ACCEPTED = "round-robin, weighted";

    private final String label;

    ReadStrategy(String label) {
        this.label = label;
    }

    /** The configuration and API name: {@code round-robin} or {@code weighted}. */
    public String label() {
        return label;
    }

    /**
     * Parses a strategy; the seed's spelling ({@code get_read_replica(strategy='round_robin')}) is accepted too. Throws
     * {@link IllegalArgumentException} naming the value and the accepted ones.
     */
    public static ReadStrategy parse(String text) {
        String v = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (v) {
            case "round-robin", "roundrobin", "rr" -> ROUND_ROBIN;
            case "weighted", "weighted-round-robin" -> WEIGHTED;
            default -> throw new IllegalArgumentException("'" + text + "' is not a read strategy; accepted: " + ACCEPTED);
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
