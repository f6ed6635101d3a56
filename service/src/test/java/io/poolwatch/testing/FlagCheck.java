package io.poolwatch.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A consistency check, {@code flag}, that fails while a table has rows: the end-to-end tests raise and clear its alert by
 * inserting and deleting a row.
 */
public final class FlagCheck {

    private FlagCheck() {
    }

    /** Its keys: counts the rows of {@code table} on {@code main} every second, critical, the first run at once. */
    public static Map<String, String> properties(String table) {
        Map<String, String> p = new LinkedHashMap<>();
        String check = "poolwatch.consistency.checks.flag.";
        p.put(check + "kind", "sql");
        p.put(check + "sql", "SELECT COUNT(*) FROM " + table);
        p.put(check + "workload", "main");
        p.put(check + "schedule", "1s");
        p.put(check + "severity", "critical");
        p.put("poolwatch.consistency.initial-delay", "0s");
        return p;
    }
}
