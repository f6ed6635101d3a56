package io.poolwatch.observed;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What one PgBouncer's admin console says at one sample.
 *
 * @param name the definition's name ({@code poolwatch.pgbouncer."<name>"})
 * @param address {@code host:port} of its console, never holding credentials
 * @param takenAt when it was read
 * @param up false when the console could not be read; then {@code downReason} says why and the figures are empty
 * @param downReason why not, if so
 * @param pools its pools, at most a bounded number (the rest are counted in {@code poolsLeftOut})
 * @param poolsLeftOut pools left out of {@code pools} to keep it bounded
 * @param clientConnections client connections to PgBouncer (every pool's clients, {@code SHOW POOLS} summed)
 * @param maxClientConnections {@code max_client_conn}
 * @param defaultPoolSize {@code default_pool_size}
 * @param version the version PgBouncer reports, if read
 */
public record PgBouncerSnapshot(String name, String address, Instant takenAt, boolean up, Optional<String> downReason,
        List<PgBouncerPool> pools, int poolsLeftOut, int clientConnections, OptionalInt maxClientConnections,
        OptionalInt defaultPoolSize, Optional<String> version) {

    public PgBouncerSnapshot {
        pools = List.copyOf(pools);
    }

    /** Client connections / max_client_conn; empty when down or unknown. */
    public OptionalDouble clientConnectionUse() {
        if (!up || maxClientConnections.isEmpty() || maxClientConnections.getAsInt() <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((double) clientConnections / maxClientConnections.getAsInt());
    }

    /** Clients waiting for a server connection, in every pool. */
    public int clientsWaiting() {
        return pools.stream().mapToInt(PgBouncerPool::clientsWaiting).sum();
    }

    /** The longest any client has waited, in any pool (0 when none waits). */
    public double maxWaitSeconds() {
        return pools.stream().mapToDouble(PgBouncerPool::maxWaitSeconds).max().orElse(0);
    }
}
