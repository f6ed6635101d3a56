package io.poolwatch.pool;

import io.poolwatch.config.ReadStrategy;

/**
 * Chooses the next replica among those usable right now. Each workload keeps one picker per strategy, so a caller that
 * asks for round-robin does not disturb the weighted rotation and the other way round. Pure logic: no pool, no clock.
 */
abstract class ReplicaPicker {

    /** The picker of a strategy over replicas of these weights (in configuration order). */
    static ReplicaPicker of(ReadStrategy strategy, int[] weights) {
        return strategy == ReadStrategy.WEIGHTED ? new SmoothWeighted(weights) : new RoundRobin(weights.length);
    }

    /** The index of the replica to use next, or -1 when none of {@code usable} is true. */
    abstract int pick(boolean[] usable);

    /** Each usable replica in turn, starting after the one picked last; skipped replicas do not shift the others' turns. */
    static final class RoundRobin extends ReplicaPicker {
        private final int size;
        private int last = -1;

        RoundRobin(int size) {
            this.size = size;
        }

        @Override
        synchronized int pick(boolean[] usable) {
            for (int step = 1; step <= size; step++) {
                int i = Math.floorMod(last + step, size);
                if (usable[i]) {
                    last = i;
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * Smooth weighted round-robin, as nginx balances upstreams: every pick adds each usable replica's weight to its
     * current weight, takes the replica with the highest current weight (the first on a tie) and subtracts the total of
     * the usable weights from it. Over any run of picks each replica gets its share of the weights, spread out rather
     * than in bursts (5, 1, 1 gives a a b a c a a). An unusable replica keeps its current weight until it is back.
     */
    static final class SmoothWeighted extends ReplicaPicker {
        private final int[] weights;
        private final long[] current;

        SmoothWeighted(int[] weights) {
            this.weights = weights.clone();
            this.current = new long[weights.length];
        }

        @Override
        synchronized int pick(boolean[] usable) {
            long total = 0;
            int best = -1;
            for (int i = 0; i < weights.length; i++) {
                if (!usable[i] || weights[i] <= 0) {
                    continue;
                }
                current[i] += weights[i];
                total += weights[i];
                if (best < 0 || current[i] > current[best]) {
                    best = i;
                }
            }
            if (best >= 0) {
                current[best] -= total;
            }
            return best;
        }
    }
}
