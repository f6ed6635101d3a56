package io.poolwatch.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counts kept on a physical connection itself. Only the thread holding the connection writes them, and the pool's
 * hand-over of a connection from one holder to the next already orders those writes, so plain (opaque) stores
 * suffice: no lock, no CAS, no thread-local lookup on the hot path. Readers sum the connections' counts.
 * <p>
 * poolwatch's physical connections extend this class, so the listener finds the counts with one class check.
 */
public class ConnectionStats {

    private static final VarHandle ACQUIRED;
    private static final VarHandle RETURNED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ACQUIRED = lookup.findVarHandle(ConnectionStats.class, "acquired", long.class);
            RETURNED = lookup.findVarHandle(ConnectionStats.class, "returned", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long acquired;
    private long returned;
    /** When the current lease started, for a lease being timed; 0 otherwise. Holder only. */
    long leasedAt;
    /*
     * Padding: connections are created one after another, so their stats sit next to each other in the heap; without
     * it two threads using two connections would write the same cache line (false sharing halved 4-thread throughput).
     */
    @SuppressWarnings("unused")
    private long p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14;

    /** Counts a hand-out; returns the number of hand-outs so far. */
    long acquire() {
        long n = acquired + 1;
        ACQUIRED.setOpaque(this, n);
        return n;
    }

    void release() {
        RETURNED.setOpaque(this, returned + 1);
    }

    long acquiredCount() {
        return (long) ACQUIRED.getOpaque(this);
    }

    long returnedCount() {
        return (long) RETURNED.getOpaque(this);
    }
}
