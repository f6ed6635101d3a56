package io.poolwatch.config;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a pool is for: a workload's own pool, or one of its read replicas'. */
public enum PoolRole {
    PRIMARY,
    REPLICA;

    /** The lower-case name used in labels, tags, JSON and the pages. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The label, so that text and templates show {@code primary}, as the API does. */
    @Override
    public String toString() {
        return label();
    }
}
