package io.poolwatch.metrics;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.sampling.ServerSampler;
import io.poolwatch.sampling.ServerSnapshot;
import io.quarkus.runtime.StartupEvent;

/**
 * Binds each database server's latest session view to Micrometer. Session states are a fixed list per engine, so
 * the label set stays bounded whatever the server reports.
 */
@ApplicationScoped
public class ServerMetrics {

    private final MeterRegistry meters;
    private final PoolRegistry registry;
    private final ServerSampler sampler;

    ServerMetrics(MeterRegistry meters, PoolRegistry registry, ServerSampler sampler) {
        this.meters = meters;
        this.registry = registry;
        this.sampler = sampler;
    }

    void bind(@Observes StartupEvent event) {
        for (MonitorTarget target : registry.monitorTargets()) {
            String db = target.database();
            Tags tags = Tags.of(MetricNames.DATABASE, db);
            gauge(MetricNames.SERVER_UP, "1 when the server's session views could be read at the last sample", tags, db,
                    s -> s.available() ? 1 : 0);
            gauge(MetricNames.SERVER_SESSIONS_TOTAL, "Client sessions on the whole server", tags, db, s -> s.totalSessions());
            gauge(MetricNames.SERVER_MAX_CONNECTIONS, "The server's max_connections", tags, db,
                    s -> s.maxConnections().isPresent() ? s.maxConnections().getAsInt() : Double.NaN);
            gauge(MetricNames.SERVER_CONNECTION_USE, "Client sessions / (max_connections - reserved)", tags, db,
                    s -> s.connectionUse().orElse(Double.NaN));
            gauge(MetricNames.SERVER_SATURATED,
                    "1 when the server refused a connection for lack of slots (53300, 1040) or every usable slot is taken",
                    tags, db, s -> s.saturated() ? 1 : 0);
            Gauge.builder(MetricNames.SERVER_MONITOR_HELD, target.gate(), g -> g.held() ? 1 : 0)
                    .description("1 while poolwatch holds its monitoring connection to the server").tags(tags).register(meters);
            gauge(MetricNames.SERVER_IDLE_IN_TRANSACTION, "Age of the oldest session idle in a transaction", tags, db,
                    seconds(ServerSnapshot::oldestIdleInTransaction));
            gauge(MetricNames.SERVER_LONGEST_STATEMENT, "Age of the longest-running statement", tags, db,
                    seconds(ServerSnapshot::longestRunningStatement));
            gauge(MetricNames.SERVER_LONGEST_TRANSACTION, "Age of the oldest open transaction", tags, db,
                    seconds(ServerSnapshot::longestTransaction));
            for (String state : target.kind().dialect().sessionStates()) {
                gauge(MetricNames.SERVER_SESSIONS, "Sessions of this database by state", tags.and(MetricNames.STATE, state), db,
                        s -> s.sessionsByState().getOrDefault(state, 0));
            }
        }
    }

    private static ToDoubleFunction<ServerSnapshot> seconds(Function<ServerSnapshot, Optional<Duration>> age) {
        return s -> age.apply(s).map(d -> d.toMillis() / 1000.0).orElse(0.0);
    }

    private void gauge(String name, String help, Tags tags, String database, ToDoubleFunction<ServerSnapshot> value) {
        Gauge.builder(name, sampler, s -> s.latest(database).map(value::applyAsDouble).orElse(Double.NaN))
                .description(help).tags(tags).register(meters);
    }
}
