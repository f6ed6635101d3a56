package io.poolwatch.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.poolwatch.cluster.ClusterJobs;
import io.quarkus.runtime.StartupEvent;

/** 1 when this process runs the cluster's jobs (always, alone): summed over the replicas it should be 1. */
@ApplicationScoped
public class ClusterMetrics {

    private final MeterRegistry meters;
    private final ClusterJobs cluster;

    ClusterMetrics(MeterRegistry meters, ClusterJobs cluster) {
        this.meters = meters;
        this.cluster = cluster;
    }

    void bind(@Observes StartupEvent event) {
        Gauge.builder(MetricNames.CLUSTER_JOBS, cluster, c -> c.leads() ? 1 : 0)
                .description(
                        "1 when this process runs the cluster's jobs (checks, cluster-wide alert notification, outbox delivery)")
                .register(meters);
    }
}
