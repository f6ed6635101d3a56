package io.poolwatch.sampling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pool-sizing advice from the measured history: pools whose maximum is never approached, pools that regularly
 * hit it, and databases whose pools together may open more connections than the server allows.
 */
public final class SizingAdvisor {

    /** Less history than this gives no advice: a quiet minute says nothing about a pool's size. */
    static final Duration MINIMUM_HISTORY = Duration.ofMinutes(10);
    /** A pool whose peak stays under this share of its maximum is oversized. */
    static final double NEVER_APPROACHED = 0.3;
    /** A pool at its maximum (or with callers waiting) in more than this share of samples is undersized. */
    static final double REGULARLY_HIT = 0.05;

    private SizingAdvisor() {
    }

    /** Advice for one pool from its snapshots, oldest first. */
    public static List<SizingAdvice> forPool(String pool, int maxSize, List<PoolSnapshot> history) {
        if (history.size() < 2 || Duration.between(history.get(0).takenAt(), history.get(history.size() - 1).takenAt())
                .compareTo(MINIMUM_HISTORY) < 0) {
            return List.of();
        }
        long peakActive = history.stream().mapToLong(PoolSnapshot::active).max().orElse(0);
        long atMax = history.stream().filter(s -> s.active() >= maxSize || s.awaiting() > 0 || s.interval().timeouts() > 0)
                .count();
        double share = (double) atMax / history.size();
        List<SizingAdvice> advice = new ArrayList<>();
        if (share > REGULARLY_HIT) {
            advice.add(new SizingAdvice(pool, "undersized", String.format(
                    "at its max-size of %d, or with callers waiting, in %.0f%% of samples; raise max-size or shorten how long connections are held",
                    maxSize, share * 100)));
        } else if (peakActive < NEVER_APPROACHED * maxSize) {
            advice.add(new SizingAdvice(pool, "oversized", String.format(
                    "at most %d of %d connections in use over %d samples; a max-size near %d would do",
                    peakActive, maxSize, history.size(), Math.max(1, (long) Math.ceil(peakActive * 1.5)))));
        }
        return advice;
    }

    /**
     * Server-wide advice, the rule for N replicas of poolwatch on one database server:
     *
     * <pre>
     * (sum of the pools' max-size + monitoring connections) x replicas + reserved &lt;= max_connections
     * </pre>
     *
     * Each replica opens every pool and its own monitoring connection; {@code reserved} is what the server keeps for
     * superusers ({@code superuser_reserved_connections}, and {@code reserved_connections} on PostgreSQL 16+).
     *
     * @param monitorConnections the monitoring connections one poolwatch process keeps open to this server: one per
     *        database and user it watches there. They take slots as the pools do, and are held for good
     * @param replicas the replicas of poolwatch expected, {@code poolwatch.sampling.expected-replicas}
     */
    public static List<SizingAdvice> forServer(ServerSnapshot server, Map<String, Integer> poolMaxSizes, int monitorConnections,
            int replicas) {
        // A saturated server's limits are the last read, and it is exactly where the advice matters.
        if ((!server.available() && !server.saturated()) || server.maxConnections().isEmpty()) {
            return List.of();
        }
        int usable = server.maxConnections().getAsInt() - server.reservedConnections();
        int pools = poolMaxSizes.values().stream().mapToInt(Integer::intValue).sum();
        int sum = (pools + monitorConnections) * replicas;
        if (sum <= usable) {
            return List.of();
        }
        return List.of(new SizingAdvice(server.database(), "server-capacity", String.format(
                "the pools %s may open %d connections and monitoring %d%s (%d), but the server allows %d (max_connections %d less %d reserved)",
                poolMaxSizes.keySet(), pools, monitorConnections,
                replicas > 1 ? ", times " + replicas + " replicas of poolwatch" : "", sum,
                usable, server.maxConnections().getAsInt(), server.reservedConnections())));
    }
}
