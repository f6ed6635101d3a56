package io.poolwatch.checks;

import java.util.Locale;

/** How a run of a check ended. */
public enum CheckStatus {
    /** Violations at most the allowed number. */
    PASS,
    /** More violations than allowed. */
    FAIL,
    /** The check could not run: its SQL failed, or no connection could be had. */
    ERROR,
    /** The server cancelled it at its timeout. */
    TIMEOUT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a run ending so is a problem to alert on. */
    public boolean failing() {
        return this != PASS;
    }
}
