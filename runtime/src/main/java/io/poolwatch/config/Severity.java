package io.poolwatch.config;

import java.util.Locale;

/** How urgent a problem is: the severity of a failing check and of an alert. */
public enum Severity {
    INFO,
    WARNING,
    CRITICAL;

    /** The lower-case name used in configuration, labels and JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses info, warning or critical (any case); throws {@link IllegalArgumentException} naming the value otherwise. */
    public static Severity parse(String text) {
        for (Severity s : values()) {
            if (s.label().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a severity; accepted: info, warning, critical");
    }
}
