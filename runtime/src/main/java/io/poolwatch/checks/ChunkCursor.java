package io.poolwatch.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where a chunked check has got to: the highest key checked (the watermark), and the earlier ranges that had
 * violations, which every run checks again until they are clean, so a violation keeps the check failing after the
 * watermark has moved on. Touched only by the one run of its check in flight.
 */
final class ChunkCursor {

    /** Earlier ranges re-checked per run, at most; beyond it the oldest are dropped (and said so in the result). */
    static final int MAX_PENDING = 16;

    private OptionalLong watermark = OptionalLong.empty();
    private List<Scope.KeyRange> pending = List.of();

    /** The highest key checked; empty before the first run that found rows. */
    synchronized OptionalLong watermark() {
        return watermark;
    }

    synchronized List<Scope.KeyRange> pending() {
        return pending;
    }

    /** Records a completed run: the new watermark, and the ranges that still have violations. */
    synchronized void advance(long newWatermark, List<Scope.KeyRange> withViolations) {
        watermark = OptionalLong.of(newWatermark);
        List<Scope.KeyRange> kept = new ArrayList<>(withViolations);
        while (kept.size() > MAX_PENDING) {
            kept.remove(0);
        }
        pending = List.copyOf(kept);
    }

    /** Takes up a place saved by an earlier run (of this process or another), unless this one has moved already. */
    synchronized boolean restore(long savedWatermark, List<Scope.KeyRange> savedPending) {
        if (watermark.isPresent()) {
            return false;
        }
        advance(savedWatermark, savedPending);
        return true;
    }

    /** Starts over from the lowest key. */
    synchronized void reset() {
        watermark = OptionalLong.empty();
        pending = List.of();
    }
}
