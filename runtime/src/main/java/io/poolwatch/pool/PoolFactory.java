package io.poolwatch.pool;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalDataSourceListener;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.poolwatch.config.MonitoringSettings;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.engine.Dialect;

/** Builds an Agroal pool from a workload's settings; the only place pools are created. */
public final class PoolFactory {

    private PoolFactory() {
    }

    /**
     * The problem with a pool whose URL no JDBC driver on the class path accepts, naming the dependency to add: in a
     * host application the drivers are the application's choice. Empty when a driver is there.
     */
    public static Optional<String> missingDriver(PoolSettings s) {
        try {
            DriverManager.getDriver(s.url().jdbcUrl());
            return Optional.empty();
        } catch (SQLException e) {
            String dependency = s.url().kind().dialect().driverDependency();
            return Optional.of("pool " + s.name() + " (" + s.sources().getOrDefault("url", "url") + "=" + s.url().masked()
                    + "): no JDBC driver for "
                    + s.url().kind().label() + " is on the class path; accepted: add the dependency " + dependency
                    + " to the application");
        }
    }

    /** Creates the pool. Connections are opened in the background, so an unreachable database does not block. */
    public static WorkloadPool create(PoolSettings s, MonitoringSettings monitoring) throws SQLException {
        return create(s, monitoring, Optional.empty(), false, RoleProbe.Listeners.NONE);
    }

    /**
     * Creates the pool, its physical connections opened through {@code gate}: a workload's wait for the monitoring
     * connection of their database to be in first ({@link MonitorGate}); the monitoring pool's ({@code monitor}) tell the
     * gate they are in.
     */
    static WorkloadPool create(PoolSettings s, MonitoringSettings monitoring, Optional<MonitorGate> gate, boolean monitor,
            RoleProbe.Listeners roleChanges) throws SQLException {
        Clock clock = Clock.systemUTC();
        // Listeners that need only connection opening and closing ride on the recorder: Agroal calls every listener it
        // holds on every acquire and return, so one listener is cheaper than three (docs/PERFORMANCE.md, "Hot path").
        List<AgroalDataSourceListener> lifeCycle = new ArrayList<>();
        if (gate.isPresent() && !monitor) {
            lifeCycle.add(gate.get().workloadListener());
        }
        TlsProbe tls = new TlsProbe(s.url().kind(), clock);
        lifeCycle.add(tls);
        RoleProbe roles = roleProbe(s, !monitor, clock, roleChanges,
                monitor || gate.isEmpty() ? Optional::empty : gate.get()::serverRole);
        lifeCycle.add(roles);
        PoolRecorder recorder = new PoolRecorder(s.name(), s.leakDetectionInterval(), clock, lifeCycle);
        StatementRecorder statements = new StatementRecorder(s.name(), s.url().kind(), monitoring.slowQueryThreshold(),
                monitoring.sqlEcho(),
                clock);
        String statementRecorderId = StatementTimingDriver.register(statements);
        AgroalDataSourceConfigurationSupplier config = agroalConfiguration(s, Optional.of(statementRecorderId), roles);
        Optional<String> gateId = gate.map(StatementTimingDriver::register);
        gateId.ifPresent(id -> config.connectionPoolConfiguration(pool -> pool.connectionFactoryConfiguration(factory -> factory
                .jdbcProperty(StatementTimingDriver.GATE_PROPERTY, id)
                .jdbcProperty(StatementTimingDriver.GATE_ROLE_PROPERTY,
                        monitor ? StatementTimingDriver.MONITOR_ROLE : s.name()))));
        List<AgroalDataSourceListener> listeners = new ArrayList<>();
        listeners.add(recorder);
        if (s.echo()) {
            listeners.add(new PoolEcho(s.name()));
        }
        try {
            AgroalDataSource ds = AgroalDataSource.from(config, listeners.toArray(AgroalDataSourceListener[]::new));
            // Idle connections close now, leased ones when returned; the pool refills to its minimum with new ones.
            roles.onReadOnly(() -> ds.flush(AgroalDataSource.FlushMode.GRACEFUL));
            return new WorkloadPool(s, new WorkloadDataSource(ds, recorder), recorder, statements, statementRecorderId, tls,
                    roles, gateId);
        } catch (SQLException | RuntimeException e) {
            StatementTimingDriver.unregister(statementRecorderId);
            gateId.ifPresent(StatementTimingDriver::unregisterGate);
            throw e;
        }
    }

    /**
     * The Agroal configuration of a pool with these settings, Agroal's own metrics off. With a statement recorder id,
     * physical connections are opened through {@link StatementTimingDriver}; without one they are opened by the
     * driver directly, as a plain Agroal pool would (the benchmarks compare the two).
     */
    public static AgroalDataSourceConfigurationSupplier agroalConfiguration(PoolSettings s,
            Optional<String> statementRecorderId) {
        return agroalConfiguration(s, statementRecorderId, roleProbe(s, false, Clock.systemUTC(), RoleProbe.Listeners.NONE,
                Optional::empty));
    }

    /**
     * What asks a pool's server whether it takes writes: a workload's primary pool whose sessions may write is watched
     * for its server turning read-only.
     */
    private static RoleProbe roleProbe(PoolSettings s, boolean workload, Clock clock, RoleProbe.Listeners changes,
            Supplier<Optional<RoleProbe.Reading>> monitor) {
        boolean writes = workload && !s.replica() && !s.readOnly();
        // A pool that validates nothing (the monitoring and bench pools) asks on new connections only, within the time
        // a connection may take to open.
        Duration timeout = s.upkeep().validationQueryTimeout().isZero() ? s.connectTimeout()
                : s.upkeep().validationQueryTimeout();
        return new RoleProbe(s.name(), s.url().kind(), writes, timeout, clock, changes, monitor);
    }

    private static AgroalDataSourceConfigurationSupplier agroalConfiguration(PoolSettings s,
            Optional<String> statementRecorderId, RoleProbe roles) {
        Map<String, String> driver = driverProperties(s);
        return new AgroalDataSourceConfigurationSupplier()
                .metricsEnabled(false)
                .connectionPoolConfiguration(pool -> pool
                        .initialSize(s.initialSize())
                        .minSize(s.minSize())
                        .maxSize(s.maxSize())
                        .acquisitionTimeout(s.acquisitionTimeout())
                        .maxLifetime(s.maxLifetime())
                        .reapTimeout(s.idleRemovalInterval())
                        .validationTimeout(s.backgroundValidationInterval())
                        .validateOnBorrow(s.validateOnBorrow())
                        .leakTimeout(s.leakDetectionInterval())
                        .connectionValidator(validator(s.upkeep().validationQueryTimeout(), roles))
                        .exceptionSorter(s.url().kind().dialect().exceptionSorter())
                        .connectionFactoryConfiguration(factory -> {
                            statementRecorderId.ifPresent(id -> factory.connectionProviderClass(StatementTimingDriver.class)
                                    .jdbcProperty(StatementTimingDriver.RECORDER_PROPERTY, id));
                            factory.jdbcUrl(s.url().jdbcUrl())
                                    .autoCommit(true)
                                    .readOnly(s.readOnly())
                                    .loginTimeout(s.connectTimeout())
                                    .jdbcTransactionIsolation(s.isolation().jdbcLevel());
                            s.username().ifPresent(u -> factory.principal(new NamePrincipal(u)));
                            s.password().ifPresent(p -> factory.credential(new SimplePassword(p.reveal())));
                            s.url().kind().dialect().initialSql(s.statementTimeout()).ifPresent(factory::initialSql);
                            driver.forEach(factory::jdbcProperty);
                            return factory;
                        }));
    }

    /**
     * The pool's validator: whether the server answers, within this time (whole seconds, rounded up), the question whether
     * it takes writes ({@link RoleProbe}); Agroal's own {@code isValid} without a bound when the time is zero (a pool
     * that is never validated).
     */
    static ConnectionValidator validator(Duration timeout, RoleProbe roles) {
        if (timeout.isZero()) {
            return ConnectionValidator.defaultValidator();
        }
        return roles::validate;
    }

    /**
     * The driver properties that carry the settings the server must enforce: application name, connect timeout,
     * statement timeout and read-only, in each driver's own terms, and the socket timeout the driver enforces. Properties
     * the operator gave win (a {@code socketTimeout} among them is the socket timeout itself: the configuration refuses it
     * together with the {@code socket-timeout} key).
     */
    static Map<String, String> driverProperties(PoolSettings s) {
        Dialect dialect = s.url().kind().dialect();
        Map<String, String> given = s.jdbcProperties();
        Map<String, String> p = new LinkedHashMap<>(dialect.sessionProperties(s.applicationName(), s.connectTimeout(),
                s.socketTimeout(), s.statementTimeout(), s.readOnly(), given));
        given.forEach((k, v) -> {
            if (!dialect.withheldProperties().contains(k)) {
                p.put(k, v);
            }
        });
        return p;
    }

}
