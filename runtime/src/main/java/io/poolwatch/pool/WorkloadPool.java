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
