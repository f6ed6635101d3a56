package io.poolwatch.pool;

import java.util.Optional;

import javax.sql.DataSource;

import io.poolwatch.config.PoolRole;

/**
 * Where one read goes: a replica's pool, or the workload's primary pool when no replica is usable. What the seed's
 * {@code get_read_replica(strategy=...)} answered, with the pool itself instead of a URL.
 *
 * @param workload the workload the read belongs to
 * @param pool the pool that serves it
 * @param role replica, or primary on a fallback (or for a workload without replicas)
 * @param database the database it reads, {@code host:port/name}
 * @param url the database's JDBC URL, masked
 * @param dataSource the pool; connections taken from it are not routed again
 * @param fallbackReason why no replica serves it, when one does not
 */
public record ReadRoute(String workload, String pool, PoolRole role, String database, String url, DataSource dataSource,
        Optional<String> fallbackReason) {
}
