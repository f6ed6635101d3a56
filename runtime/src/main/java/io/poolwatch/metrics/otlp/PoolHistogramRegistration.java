package io.poolwatch.metrics.otlp;

import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.WorkloadPool;
import io.quarkus.opentelemetry.runtime.AutoConfiguredOpenTelemetrySdkBuilderCustomizer;

/**
 * Registers {@link PoolHistogramProducer} with the SDK's meter provider when Quarkus builds the OpenTelemetry SDK (Quarkus
 * applies every bean of this type). When {@code quarkus.otel.sdk.disabled} is true Quarkus builds no SDK, and nothing is
 * registered.
 */
@Singleton
public class PoolHistogramRegistration implements AutoConfiguredOpenTelemetrySdkBuilderCustomizer {

    private static final Logger LOG = Logger.getLogger(PoolHistogramRegistration.class);

    private final Instance<PoolRegistry> registry;

    /** The registry is looked up when the SDK collects, not here: the SDK may be built before the pools are. */
    PoolHistogramRegistration(Instance<PoolRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void customize(AutoConfiguredOpenTelemetrySdkBuilder builder) {
        PoolHistogramProducer producer = new PoolHistogramProducer(this::pools);
        builder.addMeterProviderCustomizer((meterProvider, properties) -> meterProvider.registerMetricProducer(producer));
    }

    /** The pools, or none once the application is stopping (the SDK's last export may come after the registry is gone). */
    private List<WorkloadPool> pools() {
        try {
            return registry.get().pools();
        } catch (RuntimeException e) {
            LOG.debugf("no pool histograms for this export: %s", e.toString());
            return List.of();
        }
    }
}
