package io.poolwatch.sampling;

import java.time.Instant;
import java.util.Arrays;

import io.poolwatch.config.PoolRole;
import io.poolwatch.pool.Distribution;
import io.poolwatch.pool.PoolCounters;

/**
 * A pool snapshot as a few dozen bytes, for {@link PoolHistory}: an hour of a busy pool's snapshots as objects is about
 * 370 KB (each with its own counts and distributions), encoded about a third of that. Exact: a snapshot decodes equal to
 * the one encoded (the history checks it and keeps the object where it would not).
 * <p>
 * Integers are zigzag varints (most counts and sizes take one to three bytes). A double takes one byte when it is
 * +0.0, a tag and a varint when it is a whole number of thousandths (percentiles are whole microseconds in milliseconds,
 * {@code LatencyRecorder}'s), and a tag and its eight bytes otherwise. The pool, workload and role are the history's,
 * not stored per snapshot.
 */
final class SnapshotCodec {

    private static final int DOUBLE_ZERO = 0;
    private static final int DOUBLE_THOUSANDTHS = 1;
    private static final int DOUBLE_RAW = 2;
    /** A distribution that is {@link Distribution#EMPTY}, and one that is not. */
    private static final int EMPTY = 0;
    private static final int PRESENT = 1;

    private SnapshotCodec() {
    }

    static byte[] encode(PoolSnapshot s) {
        Writer w = new Writer();
        w.varlong(s.takenAt().getEpochSecond());
        w.varlong(s.takenAt().getNano());
        w.varlong(s.minSize());
        w.varlong(s.maxSize());
        w.varlong(s.active());
        w.varlong(s.idle());
        w.varlong(s.open());
        w.varlong(s.awaiting());
        w.varlong(s.peakOpen());
        w.dbl(s.utilization());
        counters(w, s.totals());
        counters(w, s.interval());
        w.dbl(s.errorRate());
        distribution(w, s.checkout());
        distribution(w, s.lease());
        w.varlong(s.currentLeaks());
        w.varlong(s.statements());
        w.varlong(s.slowStatements());
        w.dbl(s.intervalStatementMs());
        return w.bytes();
    }

    static PoolSnapshot decode(byte[] bytes, String pool, String workload, PoolRole role) {
        Reader r = new Reader(bytes);
        Instant takenAt = Instant.ofEpochSecond(r.varlong(), r.varlong());
        int minSize = (int) r.varlong();
        int maxSize = (int) r.varlong();
        long active = r.varlong();
        long idle = r.varlong();
        long open = r.varlong();
        long awaiting = r.varlong();
        long peakOpen = r.varlong();
        double utilization = r.dbl();
        PoolCounters totals = counters(r);
        PoolCounters interval = counters(r);
        double errorRate = r.dbl();
        Distribution checkout = distribution(r);
        Distribution lease = distribution(r);
        int currentLeaks = (int) r.varlong();
        long statements = r.varlong();
        long slowStatements = r.varlong();
        double intervalStatementMs = r.dbl();
        return new PoolSnapshot(pool, workload, role, takenAt, minSize, maxSize, active, idle, open, awaiting, peakOpen,
                utilization, totals,
                interval, errorRate, checkout, lease, currentLeaks, statements, slowStatements, intervalStatementMs);
    }

    /** Only what {@link PoolPoint} keeps, the rest read past: the same as {@code PoolPoint.of(decode(...))}. */
    static PoolPoint point(byte[] bytes) {
        Reader r = new Reader(bytes);
        Instant takenAt = Instant.ofEpochSecond(r.varlong(), r.varlong());
        r.skipVarlongs(7); // min and max size, active, idle, open, awaiting, peak
        double utilization = r.dbl();
        r.skipVarlongs(24); // totals and interval
        r.dbl(); // error rate
        long checkoutCount = 0;
        double checkoutP95 = 0;
        if (r.tag() != EMPTY) {
            checkoutCount = r.varlong();
            r.dbl(); // mean
            r.dbl(); // p50
            checkoutP95 = r.dbl();
            r.dbl(); // p99
            r.dbl(); // max
        }
        if (r.tag() != EMPTY) { // lease
            r.varlong();
            for (int i = 0; i < 5; i++) {
                r.dbl();
            }
        }
        r.varlong(); // current leaks
        r.varlong(); // statements
        return new PoolPoint(takenAt, utilization, checkoutCount, checkoutP95, r.varlong());
    }

    private static void counters(Writer w, PoolCounters c) {
        w.varlong(c.attempts());
        w.varlong(c.acquired());
        w.varlong(c.returned());
        w.varlong(c.failures());
        w.varlong(c.timeouts());
        w.varlong(c.created());
        w.varlong(c.destroyed());
        w.varlong(c.invalid());
        w.varlong(c.reaped());
        w.varlong(c.flushed());
        w.varlong(c.creationFailures());
        w.varlong(c.leaks());
    }

    private static PoolCounters counters(Reader r) {
        PoolCounters c = new PoolCounters(r.varlong(), r.varlong(), r.varlong(), r.varlong(), r.varlong(), r.varlong(),
                r.varlong(),
                r.varlong(), r.varlong(), r.varlong(), r.varlong(), r.varlong());
        return c.equals(PoolCounters.ZERO) ? PoolCounters.ZERO : c;
    }

    private static void distribution(Writer w, Distribution d) {
        if (Distribution.EMPTY.equals(d)) {
            w.tag(EMPTY);
            return;
        }
        w.tag(PRESENT);
        w.varlong(d.count());
        w.dbl(d.mean());
        w.dbl(d.p50());
        w.dbl(d.p95());
        w.dbl(d.p99());
        w.dbl(d.max());
    }

    private static Distribution distribution(Reader r) {
        if (r.tag() == EMPTY) {
            return Distribution.EMPTY;
        }
        return new Distribution(r.varlong(), r.dbl(), r.dbl(), r.dbl(), r.dbl(), r.dbl());
    }

    /** A growing byte array; one per encoding, trimmed at the end. */
    private static final class Writer {
        private byte[] buf = new byte[96];
        private int size;

        void tag(int t) {
            put((byte) t);
        }

        /** Zigzag, then 7 bits a byte, low first. */
        void varlong(long v) {
            long z = (v << 1) ^ (v >> 63);
            while ((z & ~0x7FL) != 0) {
                put((byte) ((z & 0x7F) | 0x80));
                z >>>= 7;
            }
            put((byte) z);
        }

        void dbl(double d) {
            if (Double.doubleToRawLongBits(d) == 0L) {
                tag(DOUBLE_ZERO);
                return;
            }
            if (Math.abs(d) < 1e12) {
                long thousandths = Math.round(d * 1000);
                if (Double.doubleToRawLongBits(thousandths / 1000.0) == Double.doubleToRawLongBits(d)) {
                    tag(DOUBLE_THOUSANDTHS);
                    varlong(thousandths);
                    return;
                }
            }
            tag(DOUBLE_RAW);
            long bits = Double.doubleToRawLongBits(d);
            for (int i = 0; i < 8; i++) {
                put((byte) (bits >>> (8 * i)));
            }
        }

        private void put(byte b) {
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, size * 2);
            }
            buf[size++] = b;
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, size);
        }
    }

    private static final class Reader {
        private final byte[] buf;
        private int at;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        int tag() {
            return buf[at++];
        }

        long varlong() {
            long z = 0;
            int shift = 0;
            byte b;
            do {
                b = buf[at++];
                z |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return (z >>> 1) ^ -(z & 1);
        }

        void skipVarlongs(int n) {
            for (int i = 0; i < n; i++) {
                while ((buf[at++] & 0x80) != 0) {
                    // continuation bytes
                }
            }
        }

        double dbl() {
            int t = tag();
            if (t == DOUBLE_ZERO) {
                return 0.0;
            }
            if (t == DOUBLE_THOUSANDTHS) {
                return varlong() / 1000.0;
            }
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits |= (buf[at++] & 0xFFL) << (8 * i);
            }
            return Double.longBitsToDouble(bits);
        }
    }
}
