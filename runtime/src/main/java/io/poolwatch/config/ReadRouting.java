package io.poolwatch.config;

import java.time.Duration;
import java.util.Optional;

/**
 * How a workload's reads are routed over its replicas ({@code poolwatch.pools."<name>".read-routing.*}).
 *
 * @param strategy the strategy used when the caller names none
 * @param maxLag a replica further behind than this gets no reads; empty: no bound
 * @param fallback what a read gets when no replica is usable
 */
public record ReadRouting(ReadStrategy strategy, Optional<Duration> maxLag, ReplicaFallback fallback) {

    /** The built-in routing: weighted, 30s of lag at most, fall back to the primary. */
    public static final ReadRouting DEFAULT = new ReadRouting(ReadStrategy.WEIGHTED, Optional.of(Duration.ofSeconds(30)),
            ReplicaFallback.PRIMARY);
}
