package io.poolwatch.pool;

/**
 * Counts of what happened in a pool since it was created (or, for {@link #minus}, since a baseline).
 *
 * @param attempts calls to getConnection that completed (handed out or failed)
 * @param acquired connections handed out
 * @param returned connections given back
 * @param failures getConnection calls that threw (timeouts included)
 * @param timeouts getConnection calls that gave up waiting
 * @param created physical connections opened
 * @param destroyed physical connections closed
 * @param invalid connections found broken by validation
 * @param reaped idle connections closed by the idle-removal task
 * @param flushed connections closed on return (max lifetime reached, pool resized or closed)
 * @param creationFailures attempts to open a physical connection that failed
 * @param leaks leak reports (a connection is reported once, however long it stays out)
 */
public record PoolCounters(long attempts, long acquired, long returned, long failures, long timeouts, long created,
        long destroyed,
        long invalid, long reaped, long flushed, long creationFailures, long leaks) {

    /** All zero. */
    public static final PoolCounters ZERO = new PoolCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** These counts less {@code base}. */
    public PoolCounters minus(PoolCounters base) {
        return new PoolCounters(attempts - base.attempts, acquired - base.acquired, returned - base.returned,
                failures - base.failures,
                timeouts - base.timeouts, created - base.created, destroyed - base.destroyed, invalid - base.invalid,
                reaped - base.reaped, flushed - base.flushed, creationFailures - base.creationFailures, leaks - base.leaks);
    }

    /** Failures per attempt, 0 without attempts. */
    public double errorRate() {
        return attempts == 0 ? 0 : (double) failures / attempts;
    }
}
