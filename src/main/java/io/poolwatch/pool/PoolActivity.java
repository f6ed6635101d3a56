package io.poolwatch.pool;

import java.sql.Connection;
import java.util.concurrent.atomic.LongAdder;

import io.agroal.api.AgroalDataSourceListener;

/**
 * Counts what happens in one pool: connections opened and closed, leases taken and returned. The hot path
 * only increments adders; readers compute the derived numbers.
 */
public final class PoolActivity implements AgroalDataSourceListener {

    private final LongAdder created = new LongAdder();
    private final LongAdder destroyed = new LongAdder();
    private final LongAdder acquired = new LongAdder();
    private final LongAdder returned = new LongAdder();

    @Override
    public void onConnectionCreation(Connection connection) {
        created.increment();
    }

    @Override
    public void onConnectionDestroy(Connection connection) {
        destroyed.increment();
    }

    @Override
    public void onConnectionAcquire(Connection connection) {
        acquired.increment();
    }

    @Override
    public void onConnectionReturn(Connection connection) {
        returned.increment();
    }

    /** Connections currently held by callers. */
    public long leased() {
        return Math.max(0, acquired.sum() - returned.sum());
    }

    /** Connections currently open to the database, leased or idle. */
    public long open() {
        return Math.max(0, created.sum() - destroyed.sum());
    }

    /** Open connections not leased. */
    public long idle() {
        return Math.max(0, open() - leased());
    }

    /** Leases taken since the pool was created. */
    public long acquisitions() {
        return acquired.sum();
    }

    /** Connections opened since the pool was created. */
    public long connectionsCreated() {
        return created.sum();
    }
}
