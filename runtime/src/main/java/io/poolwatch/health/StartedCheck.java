package io.poolwatch.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.sampling.PoolSampler;

/** Started: UP once every pool exists and has been sampled once. */
@Startup
@ApplicationScoped
public class StartedCheck implements HealthCheck {

    private final PoolRegistry registry;
    private final PoolSampler sampler;

    StartedCheck(PoolRegistry registry, PoolSampler sampler) {
        this.registry = registry;
        this.sampler = sampler;
    }

    @Override
    public HealthCheckResponse call() {
        long sampled = registry.names().stream().filter(n -> sampler.latest(n).isPresent()).count();
        return HealthCheckResponse.named("poolwatch-started").status(sampled == registry.names().size())
                .withData("pools sampled", sampled + " of " + registry.names().size()).build();
    }
}
