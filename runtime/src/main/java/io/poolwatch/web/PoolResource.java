package io.poolwatch.web;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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
    private final TrendResource trends;

    PoolResource(PoolRegistry registry, PoolSampler sampler, TrendResource trends) {
        this.registry = registry;
        this.sampler = sampler;
        this.trends = trends;
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

    /**
     * One pool's 24-hour trends at 5-minute resolution: every figure, or {@code ?figure=} only; {@code ?hours=} from 1 to 24
     * (default 24). See {@link TrendResource}.
     */
    @GET
    @Path("{name}/trends")
    public TrendResource.TrendsView trends(@PathParam("name") String name, @QueryParam("figure") String figure,
            @QueryParam("hours") String hours) {
        return trends.pool(name, figure, hours);
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
