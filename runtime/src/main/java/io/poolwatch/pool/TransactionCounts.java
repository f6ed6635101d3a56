package io.poolwatch.pool;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How the transactions of {@link Workloads#inTransaction} ended, and how often one was run again, by workload: counters
 * only (a {@link LongAdder} each), so counting costs no lock. The metrics package exports them as meters.
 */
public final class TransactionCounts {

    /** How a transaction ended. */
    public static final String COMMITTED = "committed";
    public static final String ROLLED_BACK = "rolled_back";
    public static final String RETRIES_EXHAUSTED = "retries_exhausted";
    /** Every outcome, in the order they are listed. */
    public static final List<String> OUTCOMES = List.of(COMMITTED, ROLLED_BACK, RETRIES_EXHAUSTED);
    /** Why a transaction ran again. */
    public static final List<String> RETRY_REASONS = List.of(TransactionConflicts.SERIALIZATION_FAILURE,
            TransactionConflicts.DEADLOCK);

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Counts one transaction of the workload that ended this way. */
    void ended(String workload, String outcome) {
        adder("t " + workload + " " + outcome).increment();
    }

    /** Counts one run again of the workload's transaction, for this reason. */
    void retried(String workload, String reason) {
        adder("r " + workload + " " + reason).increment();
    }

    /** Transactions of the workload that ended this way. */
    public long transactions(String workload, String outcome) {
        return adder("t " + workload + " " + outcome).sum();
    }

    /** Runs again of the workload's transactions for this reason. */
    public long retries(String workload, String reason) {
        return adder("r " + workload + " " + reason).sum();
    }

    private LongAdder adder(String key) {
        return counts.computeIfAbsent(key, k -> new LongAdder());
    }
}
