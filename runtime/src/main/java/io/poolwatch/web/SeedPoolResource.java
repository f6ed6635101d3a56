package io.poolwatch.web;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.poolwatch.alerting.Alerting;
import io.poolwatch.health.PoolHealth;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.sampling.PoolPoint;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.sampling.PoolSnapshot;

/**
 * The seed guide's pool endpoints: {@code GET /api/v1/database/pool/status}, {@code GET /api/v1/database/pool/health} and
 * {@code POST /api/v1/database/pool/reset-metrics}, for every pool.
 */
@Singleton
@RootedPath("/api/v1/database/pool")
@Produces(MediaType.APPLICATION_JSON)
public class SeedPoolResource {

    private final PoolRegistry registry;
    private final PoolSampler sampler;
    private final PoolHealth health;
    private final Alerting alerting;

    SeedPoolResource(PoolRegistry registry, PoolSampler sampler, PoolHealth health, Alerting alerting) {
        this.registry = registry;
        this.sampler = sampler;
        this.health = health;
        this.alerting = alerting;
    }

    /**
     * One pool at the top level in the seed's shape ({@code pool}, by default {@code main} or the first), and every
     * pool under {@code pools}.
     */
    @GET
    @Path("status")
    @APIResponse(responseCode = "200", description = "The pool, and every pool under pools", content = @Content(schema = @Schema(implementation = SeedPoolStatus.class)))
    @APIResponse(responseCode = "404", description = "No pool of that name", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public SeedPoolStatus status(@QueryParam("pool") String pool) {
        Map<String, SeedPoolStatus> all = new LinkedHashMap<>();
        for (WorkloadPool p : registry.pools()) {
            all.put(p.name(), SeedPoolStatus.of(p, sampler, null));
        }
        String top = pool != null ? pool : registry.names().contains("main") ? "main" : registry.names().iterator().next();
        return SeedPoolStatus.of(registry.pool(top), sampler, all);
    }

    /**
     * Every pool's health as the seed's {@code get_pool_health()} reports it ({@link SeedPoolHealth}), from the cached
     * validations and the latest samples: it never waits on a database. Always 200, whatever the health says: this is
     * a report, the probes are {@code /q/health/*} (and {@code /api/v1/health} answers 503 when readiness is DOWN).
     */
    @GET
    @Path("health")
    public SeedPoolHealth health() {
        List<PoolHealth.PoolState> states = health.pools();
        Map<String, SeedPoolHealth.Pool> pools = new LinkedHashMap<>();
        for (PoolHealth.PoolState s : states) {
            WorkloadPool p = registry.pool(s.pool());
            List<PoolSnapshot> history = sampler.history(s.pool(), Duration.ofMinutes(1));
            Optional<PoolSnapshot> latest = history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
            pools.put(s.pool(), SeedPoolHealth.of(s, p.maxSize(), latest,
                    OverviewViews.slowLastMinute(history.stream().map(PoolPoint::of).toList()), alerting.rules()));
        }
        return SeedPoolHealth.of(health.ready(states), pools, Instant.now());
    }

    /** Resets every pool's accumulated figures (admin action). */
    @POST
    @Path("reset-metrics")
    public ResetResult resetAll() {
        registry.names().forEach(sampler::reset);
        return new ResetResult(registry.names().stream().toList());
    }

    /** Which pools were reset. */
    public record ResetResult(List<String> reset) {
    }
}
