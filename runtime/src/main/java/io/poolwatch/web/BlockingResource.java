package io.poolwatch.web;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.poolwatch.observed.BlockingSampler;
import io.poolwatch.observed.BlockingSnapshot;
import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.pool.PoolRegistry;

/**
 * {@code GET /api/v1/blocking}: who blocks whom on each watched database, as a nested tree, with the counts, the longest
 * wait and the deadlocks. Answers from the latest samples only, never from the database.
 */
@Singleton
@RootedPath("/api/v1/blocking")
@Produces(MediaType.APPLICATION_JSON)
public class BlockingResource {

    private final PoolRegistry registry;
    private final BlockingSampler sampler;

    BlockingResource(PoolRegistry registry, BlockingSampler sampler) {
        this.registry = registry;
        this.sampler = sampler;
    }

    /**
     * @param enabled false with {@code poolwatch.blocking.enabled=false} or the server-side views off; then no database has
     *        a snapshot
     * @param databases one entry per watched database
     */
    public record BlockingView(boolean enabled, List<DatabaseBlocking> databases) {
    }

    /**
     * @param database the database label
     * @param kind its engine
     * @param snapshot the latest read, absent (null) before the first or when blocking is not read
     */
    public record DatabaseBlocking(String database, String kind, BlockingSnapshot snapshot) {
    }

    @GET
    public BlockingView get() {
        List<DatabaseBlocking> databases = new ArrayList<>();
        for (MonitorTarget t : registry.monitorTargets()) {
            databases.add(new DatabaseBlocking(t.database(), t.kind().label(), sampler.latest(t.database()).orElse(null)));
        }
        return new BlockingView(sampler.enabled(), databases);
    }
}
