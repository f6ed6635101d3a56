package io.poolwatch.pool;

/**
 * The source of replicas' health for routing, implemented by the health package from its background validations and
 * the sampled replay lag. An interface here so routing depends on what it needs, not on how it is measured.
 */
public interface ReplicaConditions {

    /** The latest known condition of a replica's pool; never blocks on a database. */
    ReplicaCondition of(WorkloadPool replica);
}
