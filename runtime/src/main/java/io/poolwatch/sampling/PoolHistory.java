package io.poolwatch.sampling;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.poolwatch.config.PoolRole;

/**
 * A fixed-size ring of a pool's snapshots: memory is set at start and does not grow with uptime. Snapshots are kept
 * encoded ({@link SnapshotCodec}, a few dozen bytes each instead of about 500 for a busy pool's), the newest one also as
 * the object, since metrics and health read it on every scrape and probe; a snapshot that would not decode equal to
 * itself, or that names another pool, workload or role than the history's first, is kept as the object.
 */
public final class PoolHistory {

    /** Each slot a {@code byte[]} (encoded) or a {@link PoolSnapshot} (kept as it is). */
    private final Object[] ring;
    private int next;
    private int size;
    private PoolSnapshot newest;
    /** The names of the history's first snapshot, which the encoded ones share. */
    private boolean named;
    private String pool;
    private String workload;
    private PoolRole role;

    public PoolHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.ring = new Object[capacity];
    }

    /** Adds a snapshot, dropping the oldest when full. */
    public synchronized void add(PoolSnapshot snapshot) {
        if (!named) {
            named = true;
            pool = snapshot.pool();
            workload = snapshot.workload();
            role = snapshot.role();
        }
        ring[next] = encoded(snapshot);
        newest = snapshot;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    private Object encoded(PoolSnapshot s) {
        if (!Objects.equals(s.pool(), pool) || !Objects.equals(s.workload(), workload) || !Objects.equals(s.role(), role)) {
            return s;
        }
        byte[] bytes = SnapshotCodec.encode(s);
        return SnapshotCodec.decode(bytes, pool, workload, role).equals(s) ? bytes : s;
    }

    private PoolSnapshot at(int slot) {
        Object o = ring[slot];
        return o instanceof byte[] bytes ? SnapshotCodec.decode(bytes, pool, workload, role) : (PoolSnapshot) o;
    }

    /** The newest snapshot, if any. */
    public synchronized Optional<PoolSnapshot> latest() {
        return Optional.ofNullable(newest);
    }

    /** Every snapshot kept, oldest first (decoded: a list of its own, as before). */
    public synchronized List<PoolSnapshot> snapshots() {
        List<PoolSnapshot> out = new ArrayList<>(size);
        for (int i = 0; i < size - 1; i++) {
            out.add(at((next - size + i + ring.length) % ring.length));
        }
        if (size > 0) {
            out.add(newest);
        }
        return out;
    }

    /** Every snapshot kept as the overview's cards draw it, oldest first: no whole snapshot is built. */
    public synchronized List<PoolPoint> points() {
        List<PoolPoint> out = new ArrayList<>(size);
        for (int i = 0; i < size - 1; i++) {
            Object o = ring[(next - size + i + ring.length) % ring.length];
            out.add(o instanceof byte[] bytes ? SnapshotCodec.point(bytes) : PoolPoint.of((PoolSnapshot) o));
        }
        if (size > 0) {
            out.add(PoolPoint.of(newest));
        }
        return out;
    }

    /** The newest {@code n} snapshots (fewer if there are fewer), oldest first: only those are decoded. */
    public synchronized List<PoolSnapshot> newest(int n) {
        int k = Math.max(0, Math.min(n, size));
        List<PoolSnapshot> out = new ArrayList<>(k);
        for (int i = k; i >= 2; i--) {
            out.add(at((next - i + ring.length) % ring.length));
        }
        if (k > 0) {
            out.add(newest);
        }
        return out;
    }

    /** The snapshots taken at or after {@code from}, oldest first: only those are decoded. */
    public synchronized List<PoolSnapshot> since(Instant from) {
        List<PoolSnapshot> newestFirst = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            PoolSnapshot s = i == 1 ? newest : at((next - i + ring.length) % ring.length);
            if (s.takenAt().isBefore(from)) {
                break;
            }
            newestFirst.add(s);
        }
        Collections.reverse(newestFirst);
        return newestFirst;
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
            PoolSnapshot s = i == 1 ? newest : at((next - i + ring.length) % ring.length);
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
