package io.poolwatch.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** A password or token: its text is reachable only through {@link #reveal()}, never through toString or JSON. */
public record Secret(String value) {

    private static final String MASK = "******";

    /** The secret itself, for the driver and nothing else. */
    public String reveal() {
        return value;
    }

    @JsonValue
    @Override
    public String toString() {
        return MASK;
    }

    /** Whether a non-empty secret is held. */
    public boolean isPresent() {
        return value != null && !value.isEmpty();
    }
}
