package io.poolwatch.alerting;

import java.util.Locale;
import java.util.Optional;

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

    /** The state a label names (pending, firing or resolved, any case); empty for anything else, null included. */
    public static Optional<AlertState> find(String text) {
        if (text != null) {
            for (AlertState s : values()) {
                if (s.label().equalsIgnoreCase(text.trim())) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    /** Parses pending, firing or resolved (any case); throws {@link IllegalArgumentException} naming the value otherwise. */
    public static AlertState parse(String text) {
        return find(text).orElseThrow(
                () -> new IllegalArgumentException(
                        "'" + text + "' is not an alert state; accepted: pending, firing, resolved"));
    }
}
