package io.poolwatch.observed;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns what a PgBouncer's admin console answered ({@code SHOW POOLS}, {@code SHOW STATS}, {@code SHOW CONFIG},
 * {@code SHOW VERSION}, each as rows of column name to text) into a {@link PgBouncerSnapshot}. Columns are read by name,
 * because they differ across versions (1.18 added {@code cl_active_cancel_req}, 1.8 {@code maxwait_us}, ...): a column a
 * version does not have reads as 0 or unknown, never as a failure.
 */
public final class PgBouncerReading {

    /** Pools kept in a snapshot; the rest are counted in {@link PgBouncerSnapshot#poolsLeftOut()}. */
    public static final int MAX_POOLS = 200;
    /** Longest database, user or mode text kept from the console. */
    static final int MAX_TEXT = 128;

    private PgBouncerReading() {
    }

    /**
     * The snapshot of one PgBouncer that answered.
     *
     * @param pools {@code SHOW POOLS}
     * @param stats {@code SHOW STATS} (per database)
     * @param config {@code SHOW CONFIG} as key to value, empty when not read this time (then {@code previousConfig} applies)
     * @param version {@code SHOW VERSION}'s text, if any
     */
    public static PgBouncerSnapshot snapshot(String name, String address, Instant takenAt, List<Map<String, String>> pools,
            List<Map<String, String>> stats, Map<String, String> config, Optional<String> version) {
        Map<String, Map<String, String>> statsByDatabase = new HashMap<>();
        for (Map<String, String> row : stats) {
            String db = row.get("database");
            if (db != null) {
                statsByDatabase.put(db, row);
            }
        }
        int clients = 0;
        List<PgBouncerPool> read = new ArrayList<>();
        for (Map<String, String> row : pools) {
            // Every client-side state (active, waiting, and the cancel requests 1.18 counts apart) is a client connection.
            for (Map.Entry<String, String> column : row.entrySet()) {
                if (column.getKey().startsWith("cl_")) {
                    clients += (int) Math.min(Integer.MAX_VALUE, Math.max(0, whole(column.getValue())));
                }
            }
            String database = text(row.get("database"));
            if (database.equals(PgBouncerAddress.CONSOLE_DATABASE)) {
                continue; // the admin console itself (poolwatch's own connection): no server pool behind it
            }
            Map<String, String> dbStats = statsByDatabase.getOrDefault(row.get("database"), Map.of());
            double maxWait = whole(row.get("maxwait")) + whole(row.get("maxwait_us")) / 1e6;
            read.add(new PgBouncerPool(database, text(row.get("user")), text(row.get("pool_mode")), count(row, "cl_active"),
                    count(row, "cl_waiting"), count(row, "sv_active"), count(row, "sv_idle"), count(row, "sv_used"), maxWait,
                    whole(dbStats.get("avg_wait_time")) / 1e6, decimal(dbStats.get("avg_xact_count")),
                    decimal(dbStats.get("avg_query_count"))));
        }
        // The pools that matter most first, so a bound never hides a pool with clients waiting.
        read.sort(Comparator.comparingInt(PgBouncerPool::clientsWaiting).reversed()
                .thenComparing(Comparator.comparingDouble(PgBouncerPool::maxWaitSeconds).reversed())
                .thenComparing(PgBouncerPool::database).thenComparing(PgBouncerPool::user));
        int leftOut = Math.max(0, read.size() - MAX_POOLS);
        List<PgBouncerPool> kept = leftOut == 0 ? read : read.subList(0, MAX_POOLS);
        return new PgBouncerSnapshot(name, address, takenAt, true, Optional.empty(), kept, leftOut, clients,
                setting(config, "max_client_conn"), setting(config, "default_pool_size"), version.map(PgBouncerReading::text));
    }

    /** {@code SHOW CONFIG}'s rows as key to value. */
    public static Map<String, String> config(List<Map<String, String>> rows) {
        Map<String, String> out = new HashMap<>();
        for (Map<String, String> row : rows) {
            String key = row.get("key");
            if (key != null && (key.equals("max_client_conn") || key.equals("default_pool_size"))) {
                out.put(key, row.get("value"));
            }
        }
        return out;
    }

    /** {@code SHOW VERSION}'s text: its one row's {@code version} column (older versions answer with a notice, no row). */
    public static Optional<String> version(List<Map<String, String>> rows) {
        return rows.stream().map(r -> r.get("version")).filter(v -> v != null && !v.isBlank()).findFirst();
    }

    /** A PgBouncer that could not be read. */
    public static PgBouncerSnapshot down(String name, String address, Instant takenAt, String reason) {
        return new PgBouncerSnapshot(name, address, takenAt, false, Optional.of(reason), List.of(), 0, 0, OptionalInt.empty(),
                OptionalInt.empty(), Optional.empty());
    }

    private static OptionalInt setting(Map<String, String> config, String key) {
        String v = config.get(key);
        if (v == null) {
            return OptionalInt.empty();
        }
        long n = whole(v);
        return n > 0 || "0".equals(v.trim()) ? OptionalInt.of((int) Math.min(Integer.MAX_VALUE, n)) : OptionalInt.empty();
    }

    private static int count(Map<String, String> row, String column) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, whole(row.get(column))));
    }

    /** A whole number as PgBouncer prints it; 0 when absent or not a number. */
    static long whole(String v) {
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return (long) decimal(v);
        }
    }

    static double decimal(String v) {
        if (v == null) {
            return 0;
        }
        try {
            double d = Double.parseDouble(v.trim());
            return Double.isFinite(d) ? d : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String text(String v) {
        String s = v == null ? "" : v;
        return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
    }
}
