package io.poolwatch.metrics.otlp;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.poolwatch.metrics.MetricNames;
import io.poolwatch.metrics.SemanticConventionMetrics;
import io.poolwatch.pool.PoolRecorder;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.WorkloadPool;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Every pool's counts as OpenTelemetry instruments under the semantic conventions' names, units and kinds (v1.44.0):
 * asynchronous up-down counters for {@code db.client.connection.count} (state {@code used}/{@code idle}), {@code .max},
 * {@code .idle.max}, {@code .idle.min} and {@code .pending_requests}, an asynchronous counter for {@code .timeouts}, all
 * read in one callback when the SDK collects (each pool's recorder once, so used + idle = open in every export).
 * Nothing is recorded on the hot path. The three duration histograms come from {@link PoolHistogramProducer}.
 * <p>
 * A bean only when the application has {@code quarkus-opentelemetry} with metrics on (the deployment processor leaves
 * this package out otherwise); whether anything is sent is OpenTelemetry's configuration ({@code quarkus.otel.sdk.disabled},
 * the exporter's endpoint), not poolwatch's.
 */
@ApplicationScoped
public class OtlpPoolMetrics {

    private static final Logger LOG = Logger.getLogger(OtlpPoolMetrics.class);

    private final OpenTelemetry openTelemetry;
    private final PoolRegistry registry;
    private BatchCallback callback;

    OtlpPoolMetrics(OpenTelemetry openTelemetry, PoolRegistry registry) {
        this.openTelemetry = openTelemetry;
        this.registry = registry;
    }

    /** One pool's attributes, made once. */
    private record Observed(PoolRecorder recorder, int min, int max, Attributes pool, Attributes used, Attributes idle) {

        static Observed of(WorkloadPool p) {
            Attributes pool = Attributes.builder().put(MetricNames.OTEL_POOL_NAME, p.name()).build();
            return new Observed(p.recorder(), p.settings().minSize(), p.maxSize(), pool,
                    pool.toBuilder().put(MetricNames.OTEL_STATE, SemanticConventionMetrics.USED).build(),
                    pool.toBuilder().put(MetricNames.OTEL_STATE, SemanticConventionMetrics.IDLE).build());
        }
    }

    void bind(@Observes StartupEvent event) {
        Meter meter = openTelemetry.getMeter(PoolHistogramProducer.SCOPE.getName());
        ObservableLongMeasurement count = meter.upDownCounterBuilder(MetricNames.OTEL_COUNT)
                .setUnit(PoolHistogramProducer.CONNECTION)
                .setDescription("The number of connections that are currently in the state described by the state attribute.")
                .buildObserver();
        ObservableLongMeasurement max = meter.upDownCounterBuilder(MetricNames.OTEL_MAX)
                .setUnit(PoolHistogramProducer.CONNECTION)
                .setDescription("The maximum number of open connections allowed (max-size).").buildObserver();
        ObservableLongMeasurement idleMax = meter.upDownCounterBuilder(MetricNames.OTEL_IDLE_MAX)
                .setUnit(PoolHistogramProducer.CONNECTION)
                .setDescription(
                        "The maximum number of idle open connections allowed (max-size: Agroal has no idle cap of its own).")
                .buildObserver();
        ObservableLongMeasurement idleMin = meter.upDownCounterBuilder(MetricNames.OTEL_IDLE_MIN)
                .setUnit(PoolHistogramProducer.CONNECTION)
                .setDescription(
                        "The minimum number of idle open connections allowed (min-size, the connections Agroal keeps open).")
                .buildObserver();
        ObservableLongMeasurement pending = meter.upDownCounterBuilder(MetricNames.OTEL_PENDING_REQUESTS).setUnit("{request}")
                .setDescription("The number of current pending requests for an open connection.").buildObserver();
        ObservableLongMeasurement timeouts = meter.counterBuilder(MetricNames.OTEL_TIMEOUTS).setUnit("{timeout}")
                .setDescription(
                        "The number of connection timeouts that have occurred trying to obtain a connection from the pool.")
                .buildObserver();
        List<Observed> pools = registry.pools().stream().map(Observed::of).toList();
        callback = meter.batchCallback(() -> {
            for (Observed p : pools) {
                long used = p.recorder().leased();
                count.record(used, p.used());
                count.record(Math.max(0, p.recorder().open() - used), p.idle());
                max.record(p.max(), p.pool());
                idleMax.record(p.max(), p.pool());
                idleMin.record(p.min(), p.pool());
                pending.record(p.recorder().awaiting(), p.pool());
                timeouts.record(p.recorder().counters().timeouts(), p.pool());
            }
        }, count, max, idleMax, idleMin, pending, timeouts);
        LOG.debugf("pool figures of %d pool(s) registered with OpenTelemetry", pools.size());
    }

    /** The callback reads pools that are closed at shutdown: it goes first. */
    void unbind(@Observes ShutdownEvent event) {
        if (callback != null) {
            callback.close();
            callback = null;
        }
    }
}
