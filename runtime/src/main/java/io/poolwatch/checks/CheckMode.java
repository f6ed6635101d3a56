package io.poolwatch.checks;

import java.util.Locale;

/** How much of the data one run of a check reads. */
public enum CheckMode {
    /** The whole table, every run. */
    FULL,
    /** One range of the table's numeric key per run, resuming after the highest key checked (the watermark). */
    CHUNKED,
    /** A random sample of the table's pages per run (PostgreSQL's TABLESAMPLE SYSTEM). */
    SAMPLED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static CheckMode parse(String text) {
        for (CheckMode m : values()) {
            if (m.label().equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a mode; accepted: full, chunked, sampled");
    }
}
