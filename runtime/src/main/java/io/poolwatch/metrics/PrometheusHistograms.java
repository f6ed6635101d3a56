package io.poolwatch.metrics;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.CollectorRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Puts the pool histograms ({@link PoolHistograms}) into the application's Prometheus registry, the one
 * {@code /q/metrics} writes: at start-up a {@link PoolHistogramCollector} joins the simpleclient
 * {@link CollectorRegistry} behind each {@link PrometheusMeterRegistry} bean, and leaves it at shutdown.
 * <p>
 * A bean only where Micrometer's simpleclient Prometheus registry is on the class path (the build leaves it out
 * otherwise, see the deployment processor), so an application with another registry or none gets nothing and no error;
 * one whose Prometheus registry is turned off has no {@link PrometheusMeterRegistry} bean, and this registers nothing.
 */
@ApplicationScoped
public class PrometheusHistograms {

    private static final Logger LOG = Logger.getLogger(PrometheusHistograms.class);

    private final PoolHistograms histograms;
    private final Instance<PrometheusMeterRegistry> registries;
    /** The registries the collector joined, to leave them at shutdown. */
    private final Map<CollectorRegistry, PoolHistogramCollector> joined = new IdentityHashMap<>();

    PrometheusHistograms(PoolHistograms histograms, Instance<PrometheusMeterRegistry> registries) {
        this.histograms = histograms;
        this.registries = registries;
    }

    void onStart(@Observes StartupEvent event) {
        register();
    }

    /** Registers the collector with every Prometheus registry it has not joined yet. */
    synchronized void register() {
        for (PrometheusMeterRegistry registry : registries) {
            CollectorRegistry target = registry.getPrometheusRegistry();
            if (joined.containsKey(target)) {
                continue;
            }
            PoolHistogramCollector collector = new PoolHistogramCollector(histograms);
            try {
                target.register(collector);
                joined.put(target, collector);
            } catch (IllegalArgumentException e) {
                // Another collector already has one of the names (a meter of the host's own): poolwatch's meters still work.
                LOG.warnf("The pool histograms are not exported to Prometheus: %s", e.getMessage());
            }
        }
    }

    /** The Prometheus registries the pool histograms are written in now. */
    public synchronized List<CollectorRegistry> joined() {
        return new ArrayList<>(joined.keySet());
    }

    void onStop(@Observes ShutdownEvent event) {
        unregister();
    }

    synchronized void unregister() {
        joined.forEach(CollectorRegistry::unregister);
        joined.clear();
    }
}
