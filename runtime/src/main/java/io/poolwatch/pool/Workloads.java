package io.poolwatch.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.ReadStrategy;
import io.poolwatch.config.TransactionSettings;
import io.poolwatch.metrics.MetricNames;
import io.quarkus.runtime.Startup;

/**
 * An application's way to its workloads' databases: each workload's pool, its reads routed over its replicas, and
 * transactions that commit, roll back and retry on their own.
 * <pre>{@code
 * @Inject Workloads workloads;
 *
 * long id = workloads.inTransaction("financial", c -> {
 *     try (PreparedStatement ps = c.prepareStatement("INSERT ... RETURNING id")) { ... }
 * });
 * DataSource statements = workloads.reads("main");    // replicas when the workload has some
 * workloads.runInTransaction("jobs", c -> { ... });     // nothing to return
 * }</pre>
 * {@code @Inject @Workload("financial") DataSource} gives the same pool as {@link #dataSource(String)}.
 * <p>
 * A transaction borrows a connection from the workload's pool, turns auto-commit off, runs the work and commits. Any
 * exception of the work or of the commit rolls it back. When the database aborted it as a serialization failure
 * (SQLSTATE 40001) or a deadlock victim (40P01; MariaDB/MySQL error 1213) anywhere in the exception's cause or
 * next-exception chain, the work runs again on a fresh connection after a jittered exponential backoff, at most
 * {@code poolwatch.transactions.max-retries} times. Then:
 * <ul>
 * <li>unchecked exceptions (and errors) of the work are rethrown as they are;</li>
 * <li>checked ones, {@link SQLException} included, are rethrown wrapped in the unchecked {@link TransactionException},
 * the exception of the last run as its cause.</li>
 * </ul>
 * Auto-commit is restored and the connection returned to its pool whatever happens. Transactions are counted in
 * {@code poolwatch.transactions} by workload and outcome (committed, rolled_back, retries_exhausted) and retries in
 * {@code poolwatch.transaction.retries} by workload and reason.
 */
@Startup
@ApplicationScoped
public class Workloads {

    private static final Logger LOG = Logger.getLogger(Workloads.class);

    static final String COMMITTED = "committed";
    static final String ROLLED_BACK = "rolled_back";
    static final String RETRIES_EXHAUSTED = "retries_exhausted";

    private final Function<String, DataSource> pools;
    private final BiFunction<String, ReadStrategy, DataSource> reads;
    private final TransactionSettings settings;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    @Inject
    Workloads(PoolRegistry registry, ReadRouter router, PoolwatchConfig config, MeterRegistry meters) {
        this(registry::dataSource, router::dataSource, TransactionSettings.of(config.transactions()), meters,
                registry.configuration().pools().stream().map(PoolSettings::name).toList());
    }

    /**
     * For tests and other wiring: {@code pools} gives a workload's pool (throwing {@link UnknownWorkloadException}),
     * {@code reads} its routed reads; the meters of {@code workloads} are registered at once, others' on first use.
     */
    Workloads(Function<String, DataSource> pools, BiFunction<String, ReadStrategy, DataSource> reads, TransactionSettings settings,
            MeterRegistry meters, Collection<String> workloads) {
        this.pools = pools;
        this.reads = reads;
        this.settings = settings;
        this.meters = meters;
        // At start-up, so a dashboard shows 0 rather than nothing before the first transaction.
        for (String w : workloads) {
            for (String outcome : List.of(COMMITTED, ROLLED_BACK, RETRIES_EXHAUSTED)) {
                transactions(w, outcome);
            }
            for (String reason : List.of(TransactionConflicts.SERIALIZATION_FAILURE, TransactionConflicts.DEADLOCK)) {
                retries(w, reason);
            }
        }
    }

    /** The retry settings in effect. */
    public TransactionSettings transactionSettings() {
        return settings;
    }

    /**
     * The workload's pool.
     *
     * @throws UnknownWorkloadException when there is no such workload
     */
    public DataSource dataSource(String workload) {
        return pools.apply(workload);
    }

    /**
     * A DataSource for reads of the workload: each getConnection goes to one of its read replicas by the workload's
     * configured strategy, or to its own pool when it has none (see {@link ReadRouter}).
     *
     * @throws UnknownWorkloadException when there is no such workload
     */
    public DataSource reads(String workload) {
        return reads.apply(workload, null);
    }

    /** As {@link #reads(String)}, routed by {@code strategy} instead of the configured one. */
    public DataSource reads(String workload, ReadStrategy strategy) {
        return reads.apply(workload, Objects.requireNonNull(strategy, "strategy"));
    }

    /**
     * Runs {@code work} in one transaction of the workload's pool and returns what it returns; see the class Javadoc for
     * rollback, retries and which exceptions come out.
     *
     * @throws TransactionException when the transaction failed with a checked exception (its cause)
     * @throws UnknownWorkloadException when there is no such workload
     */
    public <T> T inTransaction(String workload, TransactionWork<T> work) {
        Objects.requireNonNull(work, "work");
        DataSource ds = pools.apply(workload);
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                T result = runOnce(ds, work);
                transactions(workload, COMMITTED).increment();
                return result;
            } catch (Throwable failure) {
                Optional<String> conflict = TransactionConflicts.reason(failure);
                if (conflict.isPresent() && attempt <= settings.maxRetries()) {
                    retries(workload, conflict.get()).increment();
                    Duration wait = settings.backoff(attempt, ThreadLocalRandom.current().nextDouble());
                    LOG.debugf("transaction on %s aborted (%s), run %d of at most %d again in %s: %s", workload, conflict.get(),
                            attempt + 1, settings.maxRetries() + 1, wait, failure.getMessage());
                    if (sleep(wait)) {
                        continue;
                    }
                }
                boolean exhausted = conflict.isPresent() && attempt > settings.maxRetries();
                transactions(workload, exhausted ? RETRIES_EXHAUSTED : ROLLED_BACK).increment();
                throw rethrow(failure, workload, attempt, exhausted);
            }
        }
    }

    /**
     * As {@link #inTransaction(String, TransactionWork)}, for work that returns nothing. Its own name, not an overload:
     * a lambda without declared types would fit both functional interfaces and not compile.
     */
    public void runInTransaction(String workload, TransactionCallback work) {
        Objects.requireNonNull(work, "work");
        inTransaction(workload, (TransactionWork<Void>) c -> {
            work.run(c);
            return null;
        });
    }

    private static <T> T runOnce(DataSource ds, TransactionWork<T> work) throws Exception {
        try (Connection c = ds.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            if (autoCommit) {
                c.setAutoCommit(false);
            }
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Throwable t) {
                try {
                    c.rollback();
                } catch (SQLException | RuntimeException r) {
                    t.addSuppressed(r);
                }
                throw t;
            } finally {
                if (autoCommit) {
                    restoreAutoCommit(c);
                }
            }
        }
    }

    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            // The transaction's outcome is settled; a broken connection is the pool's to discard, not the caller's error.
            LOG.debugf("restoring auto-commit failed: %s", e.getMessage());
        }
    }

    /** Sleeps; false (with the thread's interrupt flag set again) when interrupted, so the caller gives up. */
    private static boolean sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis(), (int) (wait.toNanos() % 1_000_000));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static RuntimeException rethrow(Throwable failure, String workload, int attempts, boolean exhausted) {
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure instanceof RuntimeException r) {
            return r;
        }
        return new TransactionException(workload, attempts, exhausted, (Exception) failure);
    }

    private Counter transactions(String workload, String outcome) {
        return counters.computeIfAbsent("t " + workload + " " + outcome, k -> Counter.builder(MetricNames.TRANSACTIONS)
                .description("Transactions of Workloads.inTransaction, by how they ended")
                .tags(MetricNames.WORKLOAD, workload, MetricNames.OUTCOME, outcome).register(meters));
    }

    private Counter retries(String workload, String reason) {
        return counters.computeIfAbsent("r " + workload + " " + reason, k -> Counter.builder(MetricNames.TRANSACTION_RETRIES)
                .description("Runs of a transaction repeated after a serialization failure or a deadlock")
                .tags(MetricNames.WORKLOAD, workload, MetricNames.REASON, reason).register(meters));
    }
}
