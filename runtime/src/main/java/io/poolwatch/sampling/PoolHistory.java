package io.poolwatch.sampling;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A fixed-size ring of a pool's snapshots: memory is set at start and does not grow with uptime. */
public final class PoolHistory {

    private final PoolSnapshot[] ring;
    private int next;
    private int size;

    public PoolHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.ring = new PoolSnapshot[capacity];
    }

    /** Adds a snapshot, dropping the oldest when full. */
    public synchronized void add(PoolSnapshot snapshot) {
        ring[next] = snapshot;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    /** The newest snapshot, if any. */
    public synchronized Optional<PoolSnapshot> latest() {
        return size == 0 ? Optional.empty() : Optional.of(ring[(next - 1 + ring.length) % ring.length]);
    }

    /** Every snapshot kept, oldest first. */
    public synchronized List<PoolSnapshot> snapshots() {
        List<PoolSnapshot> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(ring[(next - size + i + ring.length) % ring.length]);
        }
        return out;
    }

    /**
     * The acquisition attempts and failures of the snapshots taken after {@code from}, newest first until the first older
     * one: the error-rate window is a few samples of an hour's ring, and this reads only those, copying nothing.
     *
     * @return attempts at index 0, failures at index 1
     */
    public synchronized long[] attemptsAndFailuresAfter(Instant from) {
        long attempts = 0;
        long failures = 0;
        for (int i = 1; i <= size; i++) {
            PoolSnapshot s = ring[(next - i + ring.length) % ring.length];
            if (!s.takenAt().isAfter(from)) {
                break;
            }
            attempts += s.interval().attempts();
            failures += s.interval().failures();
        }
        return new long[] { attempts, failures };
    }

    public int capacity() {
        return ring.length;
    }

    public synchronized int size() {
        return size;
    }
}
