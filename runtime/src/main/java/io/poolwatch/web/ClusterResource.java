package io.poolwatch.web;

import java.time.Instant;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.poolwatch.cluster.ClusterJobs;
import io.poolwatch.config.Durations;

/** {@code GET /api/v1/cluster}: whether this process runs the cluster's jobs. Never waits on a database. */
@Singleton
@RootedPath("/api/v1/cluster")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    private final ClusterJobs cluster;

    ClusterResource(ClusterJobs cluster) {
        this.cluster = cluster;
    }

    /**
     * @param coordinated whether processes coordinate through the lock table (the outbox is in a workload's database)
     * @param runsClusterJobs whether this process runs checks, cluster-wide alert notification and outbox delivery now
     * @param lockedBy this process's name in the lock table
     * @param lockTable where the locks are kept; null when not coordinated
     * @param lockAtMostFor how long a holder that stops keeps the jobs; null when not coordinated
     * @param since when this process took the jobs over; null when it does not run them or nothing is coordinated
     */
    public record ClusterView(boolean coordinated, boolean runsClusterJobs, String lockedBy, String lockTable,
            String lockAtMostFor,
            Instant since) {
    }

    @GET
    public ClusterView get() {
        ClusterJobs.Status s = cluster.status();
        return new ClusterView(s.coordinated(), s.runsClusterJobs(), s.lockedBy(), s.lockTable(),
                s.lockAtMostFor() == null ? null : Durations.format(s.lockAtMostFor()), s.since());
    }
}
