package io.poolwatch.config;

import java.util.Locale;
import java.util.Optional;

/** How urgent a problem is: the severity of a failing check and of an alert. */
public enum Severity {
    INFO,
    WARNING,
    CRITICAL;

    /** The lower-case name used in configuration, labels and JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The severity a label names (info, warning or critical, any case); empty for anything else, null included. */
    public static Optional<Severity> find(String text) {
        if (text != null) {
            for (Severity s : values()) {
                if (s.label().equalsIgnoreCase(text.trim())) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    /** Parses info, warning or critical (any case); throws {@link IllegalArgumentException} naming the value otherwise. */
    public static Severity parse(String text) {
        return find(text).orElseThrow(
                () -> new IllegalArgumentException("'" + text + "' is not a severity; accepted: info, warning, critical"));
    }
}
