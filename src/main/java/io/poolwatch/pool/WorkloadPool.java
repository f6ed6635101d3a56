package io.poolwatch.pool;

import io.agroal.api.AgroalDataSource;
import io.poolwatch.config.PoolSettings;

/** One workload's Agroal pool, the settings it was built from, and its activity counters. */
public final class WorkloadPool implements AutoCloseable {

    private final PoolSettings settings;
    private final AgroalDataSource dataSource;
    private final PoolActivity activity;

    WorkloadPool(PoolSettings settings, AgroalDataSource dataSource, PoolActivity activity) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.activity = activity;
    }

    /** The workload name. */
    public String name() {
        return settings.name();
    }

    public PoolSettings settings() {
        return settings;
    }

    /** The pool, for application code. */
    public AgroalDataSource dataSource() {
        return dataSource;
    }

    public PoolActivity activity() {
        return activity;
    }

    /** Closes every connection of this pool, leased or idle. */
    @Override
    public void close() {
        dataSource.close();
    }

    @Override
    public String toString() {
        return "WorkloadPool[" + name() + ", " + settings.url().masked() + "]";
    }
}
