package io.poolwatch.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.TransactionCounts;
import io.poolwatch.pool.Workloads;
import io.quarkus.runtime.StartupEvent;

/**
 * The transactions of {@code Workloads.inTransaction} by workload and outcome, and their retries by reason, bound at
 * start-up for every workload so a dashboard shows 0 rather than nothing before the first transaction.
 */
@ApplicationScoped
public class TransactionMetrics {

    private final MeterRegistry meters;
    private final PoolRegistry registry;
    private final Workloads workloads;

    TransactionMetrics(MeterRegistry meters, PoolRegistry registry, Workloads workloads) {
        this.meters = meters;
        this.registry = registry;
        this.workloads = workloads;
    }

    void bind(@Observes StartupEvent event) {
        TransactionCounts counts = workloads.transactionCounts();
        for (var pool : registry.configuration().pools()) {
            String workload = pool.name();
            for (String outcome : TransactionCounts.OUTCOMES) {
                FunctionCounter.builder(MetricNames.TRANSACTIONS, counts, c -> c.transactions(workload, outcome))
                        .description("Transactions of Workloads.inTransaction, by how they ended")
                        .tags(MetricNames.WORKLOAD, workload, MetricNames.OUTCOME, outcome).register(meters);
            }
            for (String reason : TransactionCounts.RETRY_REASONS) {
                FunctionCounter.builder(MetricNames.TRANSACTION_RETRIES, counts, c -> c.retries(workload, reason))
                        .description("Runs of a transaction repeated after a serialization failure or a deadlock")
                        .tags(MetricNames.WORKLOAD, workload, MetricNames.REASON, reason).register(meters);
            }
        }
    }
}
