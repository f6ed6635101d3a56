package io.poolwatch.metrics;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Removes poolwatch's meters when the application stops. The meters read live objects (pools, samplers) of this
 * application; Micrometer's registry can outlive it (Quarkus joins the global registry, which a JVM keeps across
 * application restarts: dev mode, tests), and a meter left there would keep its name taken, so the next start's
 * meter of the same name and tags would not be registered and the old one would read a dead object (NaN).
 */
@ApplicationScoped
public class MeterCleanup {

    private final MeterRegistry meters;

    MeterCleanup(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Last, after everything that may still update a meter has stopped. */
    void onStop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        for (Meter m : meters.getMeters()) {
            if (m.getId().getName().startsWith("poolwatch.")) {
                meters.remove(m);
            }
        }
    }
}
