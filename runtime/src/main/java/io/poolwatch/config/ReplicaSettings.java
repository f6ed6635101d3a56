package io.poolwatch.config;

/**
 * A read replica of a workload, from {@code DB_READ_REPLICAS} or {@code poolwatch.pools."<name>".replicas."<id>".*}.
 *
 * @param index 1-based position among the workload's replicas (in DB_READ_REPLICAS, as DB_REPLICA_N_WEIGHT counts)
 * @param url the replica's database, credentials removed
 * @param weight the routing weight, 0 to 1000 (DB_REPLICA_N_WEIGHT, 1 when unset); 0 takes the replica out of routing
 * @param id the replica's key: its number in DB_READ_REPLICAS, or the {@code <id>} of the native keys
 * @param name the name of its pool, {@code <workload>-replica-<id>} unless configured
 * @param pool the settings of its pool: the workload's, with the replica's database, size and name; read-only, never
 *        critical, role {@code replica}
 */
public record ReplicaSettings(int index, DatabaseUrl url, int weight, String id, String name, PoolSettings pool) {
}
