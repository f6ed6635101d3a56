package io.poolwatch.web;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.sampling.PoolSampler;

/**
 * The seed guide's pool endpoints: {@code GET /api/v1/database/pool/status} and
 * {@code POST /api/v1/database/pool/reset-metrics}, for every pool.
 */
@jakarta.inject.Singleton
@RootedPath("/api/v1/database/pool")
@Produces(MediaType.APPLICATION_JSON)
public class PoolStatusResource {

    private final PoolRegistry registry;
    private final PoolSampler sampler;

    PoolStatusResource(PoolRegistry registry, PoolSampler sampler) {
        this.registry = registry;
        this.sampler = sampler;
    }

    /**
     * One pool at the top level in the seed's shape ({@code pool}, by default {@code main} or the first), and every
     * pool under {@code pools}.
     */
    @GET
    @Path("status")
    public SeedPoolStatus status(@QueryParam("pool") String pool) {
        Map<String, SeedPoolStatus> all = new LinkedHashMap<>();
        for (WorkloadPool p : registry.pools()) {
            all.put(p.name(), SeedPoolStatus.of(p, sampler, null));
        }
        String top = pool != null ? pool : registry.names().contains("main") ? "main" : registry.names().iterator().next();
        return SeedPoolStatus.of(registry.pool(top), sampler, all);
    }

    /** Resets every pool's accumulated figures (admin action). */
    @POST
    @Path("reset-metrics")
    public ResetResult resetAll() {
        registry.names().forEach(sampler::reset);
        return new ResetResult(registry.names().stream().toList());
    }

    /** Which pools were reset. */
    public record ResetResult(java.util.List<String> reset) {
    }
}
