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

import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalDataSourceListener;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ExceptionSorter;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.exceptionsorter.MySQLExceptionSorter;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.poolwatch.config.DatabaseKind;
import io.poolwatch.config.MonitoringSettings;
import io.poolwatch.config.PoolSettings;

/** Builds an Agroal pool from a workload's settings; the only place pools are created. */
public final class PoolFactory {

    /** Seconds a validation query may take before the connection counts as broken. */
    private static final int VALIDATION_TIMEOUT_SECONDS = 5;

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
            String dependency = switch (s.url().kind()) {
                case POSTGRESQL -> "io.quarkus:quarkus-jdbc-postgresql";
                case MARIADB -> "io.quarkus:quarkus-jdbc-mariadb (or io.quarkus:quarkus-jdbc-mysql)";
                case H2 -> "io.quarkus:quarkus-jdbc-h2";
            };
            return Optional.of("pool " + s.name() + " (" + s.sources().getOrDefault("url", "url") + "=" + s.url().masked()
                    + "): no JDBC driver for "
                    + s.url().kind().label() + " is on the class path; accepted: add the dependency " + dependency
                    + " to the application");
        }
    }

    /** Creates the pool. Connections are opened in the background, so an unreachable database does not block. */
    public static WorkloadPool create(PoolSettings s, MonitoringSettings monitoring) throws SQLException {
        return create(s, monitoring, Optional.empty(), false);
    }

    /**
     * Creates the pool, its physical connections opened through {@code gate}: a workload's wait for the monitoring
     * connection of their database to be in first ({@link MonitorGate}); the monitoring pool's ({@code monitor}) tell the
     * gate they are in.
     */
    static WorkloadPool create(PoolSettings s, MonitoringSettings monitoring, Optional<MonitorGate> gate, boolean monitor)
            throws SQLException {
        Clock clock = Clock.systemUTC();
        // Listeners that need only connection opening and closing ride on the recorder: Agroal calls every listener it
        // holds on every acquire and return, so one listener is cheaper than three (docs/PERFORMANCE.md, "Hot path").
        List<AgroalDataSourceListener> lifeCycle = new ArrayList<>();
        if (gate.isPresent() && !monitor) {
            lifeCycle.add(gate.get().workloadListener());
        }
        TlsProbe tls = new TlsProbe(s.url().kind(), clock);
        lifeCycle.add(tls);
        PoolRecorder recorder = new PoolRecorder(s.name(), s.leakDetectionInterval(), clock, lifeCycle);
        StatementRecorder statements = new StatementRecorder(s.name(), monitoring.slowQueryThreshold(), monitoring.sqlEcho(),
                clock);
        String statementRecorderId = StatementTimingDriver.register(statements);
        AgroalDataSourceConfigurationSupplier config = agroalConfiguration(s, Optional.of(statementRecorderId));
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
            return new WorkloadPool(s, new WorkloadDataSource(ds, recorder), recorder, statements, statementRecorderId, tls,
                    gateId);
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
                        .connectionValidator(ConnectionValidator.defaultValidatorWithTimeout(VALIDATION_TIMEOUT_SECONDS))
                        .exceptionSorter(exceptionSorter(s.url().kind()))
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
                            if (s.url().kind() == DatabaseKind.H2) {
                                s.statementTimeout().ifPresent(t -> factory.initialSql("SET QUERY_TIMEOUT " + t.toMillis()));
                            }
                            driver.forEach(factory::jdbcProperty);
                            return factory;
                        }));
    }

    /**
     * The driver properties that carry the settings the server must enforce: application name, connect timeout,
     * statement timeout and read-only, in each driver's own terms, and the socket timeout the driver enforces. Properties
     * the operator gave win (a {@code socketTimeout} among them is the socket timeout itself: the configuration refuses it
     * together with the {@code socket-timeout} key).
     */
    static Map<String, String> driverProperties(PoolSettings s) {
        Map<String, String> p = new LinkedHashMap<>();
        Map<String, String> given = s.jdbcProperties();
        switch (s.url().kind()) {
            case POSTGRESQL -> {
                p.put("ApplicationName", s.applicationName());
                p.put("connectTimeout", Long.toString(ceilSeconds(s.connectTimeout())));
                p.put("tcpKeepAlive", "true");
                // pgjdbc takes whole seconds; rounding up keeps it above the statement timeout.
                s.socketTimeout().ifPresent(t -> p.put("socketTimeout", Long.toString(ceilSeconds(t))));
                // Server-side settings at connection start-up: no extra round trip, and enforced by the server.
                StringBuilder options = new StringBuilder();
                s.statementTimeout().ifPresent(t -> options.append("-c statement_timeout=").append(t.toMillis()));
                if (s.readOnly()) {
                    options.append(options.isEmpty() ? "" : " ").append("-c default_transaction_read_only=on");
                }
                if (given.containsKey("options")) {
                    options.append(options.isEmpty() ? "" : " ").append(given.get("options"));
                }
                if (!options.isEmpty()) {
                    p.put("options", options.toString());
                }
            }
            case MARIADB -> {
                p.put("connectTimeout", Long.toString(s.connectTimeout().toMillis()));
                p.put("connectionAttributes", "program_name:" + s.applicationName());
                s.socketTimeout().ifPresent(t -> p.put("socketTimeout", Long.toString(Math.max(1, t.toMillis()))));
                List<String> vars = new ArrayList<>();
                s.statementTimeout().ifPresent(t -> vars.add("max_statement_time=" + t.toMillis() / 1000.0));
                if (s.readOnly()) {
                    vars.add("tx_read_only=1");
                }
                if (given.containsKey("sessionVariables")) {
                    vars.add(given.get("sessionVariables"));
                }
                if (!vars.isEmpty()) {
                    p.put("sessionVariables", String.join(",", vars));
                }
            }
            case H2 -> {
                // H2 takes its settings through the URL and initial SQL.
            }
        }
        given.forEach((k, v) -> {
            if (!k.equals("options") && !k.equals("sessionVariables")) {
                p.put(k, v);
            }
        });
        return p;
    }

    private static ExceptionSorter exceptionSorter(DatabaseKind kind) {
        return switch (kind) {
            case POSTGRESQL -> new PostgreSQLExceptionSorter();
            case MARIADB -> new MySQLExceptionSorter();
            case H2 -> ExceptionSorter.defaultExceptionSorter();
        };
    }

    private static long ceilSeconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
