package io.poolwatch.alerting;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an alert is in its life: its condition holds but not yet for long enough, it fires, or it has resolved. */
public enum AlertState {
    PENDING,
    FIRING,
    RESOLVED;

    /** The lower-case name used in JSON, labels, the pages and the stored state. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The label, so that text and templates show {@code firing}, as the API does. */
    @Override
    public String toString() {
        return label();
    }

    /** Parses pending, firing or resolved (any case); throws {@link IllegalArgumentException} naming the value otherwise. */
    public static AlertState parse(String text) {
        for (AlertState s : values()) {
            if (s.label().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an alert state; accepted: pending, firing, resolved");
    }
}
