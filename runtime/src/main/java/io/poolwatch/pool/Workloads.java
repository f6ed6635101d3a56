package io.poolwatch.pool;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.ReadStrategy;
import io.poolwatch.config.TransactionSettings;
import io.poolwatch.engine.Transactions;
import io.quarkus.runtime.Startup;

/**
 * An application's way to its workloads' databases: each workload's pool, its reads routed over its replicas, and
 * transactions that commit, roll back and retry on their own.
 *
 * <pre>{@code
 * &#64;Inject Workloads workloads;
 *
 * long id = workloads.inTransaction("financial", c -> {
 *     try (PreparedStatement ps = c.prepareStatement("INSERT ... RETURNING id")) { ... }
 * });
 * DataSource statements = workloads.reads("main");    // replicas when the workload has some
 * workloads.runInTransaction("jobs", c -> { ... });     // nothing to return
 * }</pre>
 *
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

    private final Function<String, DataSource> pools;
    private final BiFunction<String, ReadStrategy, DataSource> reads;
    private final TransactionSettings settings;
    private final TransactionCounts counts = new TransactionCounts();

    @Inject
    Workloads(PoolRegistry registry, ReadRouter router, PoolwatchConfig config) {
        this(registry::dataSource, router::dataSource, TransactionSettings.of(config.transactions()));
    }

    /**
     * For tests and other wiring: {@code pools} gives a workload's pool (throwing {@link UnknownWorkloadException}),
     * {@code reads} its routed reads.
     */
    Workloads(Function<String, DataSource> pools, BiFunction<String, ReadStrategy, DataSource> reads,
            TransactionSettings settings) {
        this.pools = pools;
        this.reads = reads;
        this.settings = settings;
    }

    /** How the transactions ended and how often they ran again, by workload (exported as meters by the metrics package). */
    public TransactionCounts transactionCounts() {
        return counts;
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
                T result = Transactions.once(ds, work::run);
                counts.ended(workload, TransactionCounts.COMMITTED);
                return result;
            } catch (Throwable failure) {
                Optional<String> conflict = TransactionConflicts.reason(failure);
                if (conflict.isPresent() && attempt <= settings.maxRetries()) {
                    counts.retried(workload, conflict.get());
                    Duration wait = settings.backoff(attempt, ThreadLocalRandom.current().nextDouble());
                    LOG.debugf("transaction on %s aborted (%s), run %d of at most %d again in %s: %s", workload, conflict.get(),
                            attempt + 1, settings.maxRetries() + 1, wait, failure.getMessage());
                    if (sleep(wait)) {
                        continue;
                    }
                }
                boolean exhausted = conflict.isPresent() && attempt > settings.maxRetries();
                counts.ended(workload, exhausted ? TransactionCounts.RETRIES_EXHAUSTED : TransactionCounts.ROLLED_BACK);
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
}
