package io.poolwatch.pool;

import java.util.Optional;

import io.agroal.api.AgroalDataSource;
import io.poolwatch.config.PoolSettings;

/** One workload's Agroal pool, the settings it was built from, and what records its use. */
public final class WorkloadPool implements AutoCloseable {

    private final PoolSettings settings;
    private final AgroalDataSource dataSource;
    private final PoolRecorder recorder;
    private final StatementRecorder statements;
    private final String statementRecorderId;
    private final TlsProbe tls;
    private final RoleProbe roles;
    private final Optional<String> gateId;

    WorkloadPool(PoolSettings settings, AgroalDataSource dataSource, PoolRecorder recorder, StatementRecorder statements,
            String statementRecorderId, TlsProbe tls, RoleProbe roles, Optional<String> gateId) {
        this.tls = tls;
        this.roles = roles;
        this.gateId = gateId;
        this.settings = settings;
        this.dataSource = dataSource;
        this.recorder = recorder;
        this.statements = statements;
        this.statementRecorderId = statementRecorderId;
    }

    /** The workload name. */
    public String name() {
        return settings.name();
    }

    public PoolSettings settings() {
        return settings;
    }

    /**
     * The most connections the pool opens now: its configured max-size, unless autosizing changed it. Agroal reads it on
     * every acquisition; a lowered value closes connections above it as they come back.
     */
    public int maxSize() {
        return dataSource.getConfiguration().connectionPoolConfiguration().maxSize();
    }

    /**
     * Sets the most connections the pool opens, at least its min-size. Raised, callers waiting get new connections at
     * once; lowered, connections above it are closed as they are returned, and when more are open than it allows, the idle
     * ones are closed at once (Agroal's idle flush, down to the min-size; the pool reopens what it needs within the new
     * maximum).
     */
    public void resize(int max) {
        if (max < Math.max(1, settings.minSize())) {
            throw new IllegalArgumentException("max-size " + max + " of pool '" + name() + "': accepted: at least "
                    + Math.max(1, settings.minSize()));
        }
        int before = maxSize();
        dataSource.getConfiguration().connectionPoolConfiguration().setMaxSize(max);
        if (max < before && recorder.open() > max) {
            // Idle connections above the new maximum would stay until the idle-removal interval: close them now, so the
            // server's slots are given back when the change is made.
            dataSource.flush(AgroalDataSource.FlushMode.IDLE);
        }
    }

    /** The pool, for application code. */
    public AgroalDataSource dataSource() {
        return dataSource;
    }

    /** Acquisitions, returns, leaks and connection life cycle of this pool. */
    public PoolRecorder recorder() {
        return recorder;
    }

    /** Statement timing and slow statements of this pool. */
    public StatementRecorder statements() {
        return statements;
    }

    /** Whether the pool's most recently opened connection is encrypted, as the server reports it. */
    public TlsStatus tls() {
        return tls.latest();
    }

    /** Whether the pool's server takes writes, as it said last; "primary is read-only" when a pool that writes finds not. */
    public RoleProbe roles() {
        return roles;
    }

    /** Closes every connection of this pool, leased or idle. */
    @Override
    public void close() {
        try {
            dataSource.close();
        } finally {
            StatementTimingDriver.unregister(statementRecorderId);
            gateId.ifPresent(StatementTimingDriver::unregisterGate);
        }
    }

    @Override
    public String toString() {
        return "WorkloadPool[" + name() + ", " + settings.url().masked() + "]";
    }
}
