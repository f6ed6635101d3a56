package io.poolwatch.web;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.poolwatch.pool.LeakRecord;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.SlowStatement;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.sampling.PoolSnapshot;

/** The workload pools as JSON: configuration in effect, current use, history, leaks and slow statements. */
@jakarta.inject.Singleton
@RootedPath("/api/v1/pools")
@Produces(MediaType.APPLICATION_JSON)
public class PoolResource {

    private final PoolRegistry registry;
    private final PoolSampler sampler;

    PoolResource(PoolRegistry registry, PoolSampler sampler) {
        this.registry = registry;
        this.sampler = sampler;
    }

    /** Every pool with its latest snapshot. */
    @GET
    public List<PoolView> list() {
        return registry.pools().stream().map(p -> PoolView.of(p, sampler.latest(p.name()).orElse(null))).toList();
    }

    /** One pool with its history (oldest first) and its slow statements. */
    @GET
    @Path("{name}")
    public PoolDetail get(@PathParam("name") String name) {
        WorkloadPool pool = registry.pool(name);
        return new PoolDetail(PoolView.of(pool, sampler.latest(name).orElse(null)), sampler.history(name),
                pool.statements().slowTexts());
    }

    /** Connections reported as leaked, current first, then recently returned ones. */
    @GET
    @Path("{name}/leaks")
    public List<LeakRecord> leaks(@PathParam("name") String name) {
        return registry.pool(name).recorder().leaks();
    }

    /** Resets one pool's accumulated figures (admin action). */
    @POST
    @Path("{name}/reset-metrics")
    public PoolStatusResource.ResetResult reset(@PathParam("name") String name) {
        sampler.reset(name);
        return new PoolStatusResource.ResetResult(List.of(name));
    }

    /**
     * One pool in detail.
     *
     * @param pool configuration and current use
     * @param history snapshots kept, oldest first
     * @param slowStatements slow statement texts, slowest first
     */
    public record PoolDetail(PoolView pool, List<PoolSnapshot> history, List<SlowStatement> slowStatements) {
    }
}
