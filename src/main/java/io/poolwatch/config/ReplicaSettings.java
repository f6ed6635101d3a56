package io.poolwatch.config;

/**
 * A read replica of a workload, from DB_READ_REPLICAS.
 *
 * @param index 1-based position in DB_READ_REPLICAS, as DB_REPLICA_N_WEIGHT counts
 * @param url the replica's database
 * @param weight the routing weight (DB_REPLICA_N_WEIGHT, 1 when unset)
 */
public record ReplicaSettings(int index, DatabaseUrl url, int weight) {
}
