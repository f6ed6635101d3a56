package io.poolwatch.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.observed.ApplicationDefinition;
import io.poolwatch.observed.ApplicationSampler;
import io.poolwatch.observed.ApplicationSnapshot;
import io.poolwatch.observed.ApplicationTally;
import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.pool.PoolRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Binds each defined application's latest snapshot, per watched database, to Micrometer, labelled {@code application},
 * {@code database} and {@code user} (the definition's user pattern, or {@code any}). A figure the server could not give
 * (views unreadable, not sampled yet; utilization and expected-max without expected-max) is NaN, never 0; an age with
 * no session to measure is 0, as on the server's own meters.
 * Session states are a fixed list per engine, so the label set stays bounded whatever the server reports.
 */
@ApplicationScoped
public class ApplicationMetrics {

    private final MeterRegistry meters;
    private final PoolRegistry registry;
    private final ApplicationSampler sampler;

    ApplicationMetrics(MeterRegistry meters, PoolRegistry registry, ApplicationSampler sampler) {
        this.meters = meters;
        this.registry = registry;
        this.sampler = sampler;
    }

    void bind(@Observes StartupEvent event) {
        bind();
    }

    /** Registers the gauges of every defined application on every database it is looked for on. */
    void bind() {
        for (ApplicationDefinition d : sampler.definitions()) {
            for (MonitorTarget target : registry.monitorTargets()) {
                if (!d.watches(ApplicationTally.databaseName(target.database()))) {
                    continue;
                }
                String app = d.name();
                String db = target.database();
                Tags tags = Tags.of(MetricNames.APPLICATION, app, MetricNames.DATABASE, db, MetricNames.USER, d.userLabel());
                gauge(MetricNames.APPLICATION_SESSIONS, "Sessions of the application on the database", tags, app, db,
                        s -> s.sessions());
                gauge(MetricNames.APPLICATION_UTILIZATION, "Sessions / expected-max of the application", tags, app, db,
                        s -> s.utilization().orElse(Double.NaN));
                gauge(MetricNames.APPLICATION_EXPECTED_MAX, "The sessions the application may open (expected-max)", tags, app,
                        db,
                        s -> s.expectedMax().isPresent() ? s.expectedMax().getAsInt() : Double.NaN);
                gauge(MetricNames.APPLICATION_INSTANCES, "Distinct client addresses of the application's sessions", tags, app,
                        db,
                        s -> s.instances());
                gauge(MetricNames.APPLICATION_IDLE_IN_TRANSACTION, "The application's sessions idle inside an open transaction",
                        tags, app,
                        db, s -> s.idleInTransaction());
                gauge(MetricNames.APPLICATION_IDLE_IN_TRANSACTION_OLDEST,
                        "How long the oldest of its sessions idle in a transaction has been",
                        tags, app, db, seconds(ApplicationSnapshot::oldestIdleInTransaction));
                gauge(MetricNames.APPLICATION_LONGEST_TRANSACTION, "Age of the application's oldest open transaction", tags,
                        app, db,
                        seconds(ApplicationSnapshot::longestTransaction));
                gauge(MetricNames.APPLICATION_LONGEST_STATEMENT, "Age of the application's longest-running statement", tags,
                        app, db,
                        seconds(ApplicationSnapshot::longestStatement));
                gauge(MetricNames.APPLICATION_LOCK_WAITING, "The application's sessions waiting on a lock", tags, app, db,
                        s -> s.waitingOnLock());
                for (String state : states(target.kind())) {
                    gauge(MetricNames.APPLICATION_SESSIONS_BY_STATE, "Sessions of the application on the database, by state",
                            tags.and(MetricNames.STATE, state),
                            app, db, s -> s.sessionsByState().getOrDefault(state, 0));
                }
            }
        }
    }

    /** The states a gauge is kept for; the same as the server's view ({@link ServerMetrics}). */
    static List<String> states(DatabaseKind kind) {
        return kind.dialect().showsApplications() ? kind.dialect().sessionStates() : List.of();
    }

    /**
     * An age in seconds; 0 when no session has one (as {@link ServerMetrics} does), NaN (by {@link #gauge}) when unreadable.
     */
    private static ToDoubleFunction<ApplicationSnapshot> seconds(Function<ApplicationSnapshot, Optional<Duration>> age) {
        return s -> age.apply(s).map(d -> d.toMillis() / 1000.0).orElse(0.0);
    }

    private void gauge(String name, String help, Tags tags, String application, String database,
            ToDoubleFunction<ApplicationSnapshot> value) {
        Gauge.builder(name, sampler, s -> s.latest(application).stream().filter(a -> a.database().equals(database)).findFirst()
                .filter(ApplicationSnapshot::available).map(value::applyAsDouble).orElse(Double.NaN))
                .description(help).tags(tags).register(meters);
    }
}
