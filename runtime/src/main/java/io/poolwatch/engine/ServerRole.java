package io.poolwatch.engine;

import java.util.Locale;

/** Whether a database server takes writes now, as it says itself. */
public enum ServerRole {
    /** It takes writes. */
    PRIMARY,
    /** It refuses writes: a standby in recovery (PostgreSQL), or {@code read_only} set (MariaDB). */
    READ_ONLY;

    /** The name in the API and the metrics: {@code primary}, {@code read-only}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
