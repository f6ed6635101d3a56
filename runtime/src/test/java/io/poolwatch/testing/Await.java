package io.poolwatch.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition that real servers and background threads reach on their own time, always within a bound. */
public final class Await {

    private static final Duration DEFAULT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 20;

    private Await() {
    }

    /** Polls {@code condition} every 20 ms; fails naming {@code what} after 10 s. */
    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        within(what, DEFAULT, condition);
    }

    /** Polls {@code condition} every 20 ms; returns how long it took, or fails naming {@code what} after {@code bound}. */
    public static Duration within(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
        return within(what, bound, condition, () -> "");
    }

    /** As {@link #within(String, Duration, BooleanSupplier)}, the failure followed by what {@code diagnosis} tells then. */
    public static Duration within(String what, Duration bound, BooleanSupplier condition, Supplier<String> diagnosis)
            throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > bound.toNanos()) {
                String more = diagnosis.get();
                throw new AssertionError("timed out after " + bound.toMillis() + " ms waiting until " + what
                        + (more.isEmpty() ? "" : "\n" + more));
            }
            Thread.sleep(POLL_MILLIS);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
