package io.poolwatch.sampling;

import java.util.List;
import java.util.Map;

/**
 * Server-wide sizing advice: databases whose pools together may open more connections than the server allows. A pool's
 * own advice is the autosizing computation's answer ({@link Autosizer#advice()}).
 */
public final class SizingAdvisor {

    private SizingAdvisor() {
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
