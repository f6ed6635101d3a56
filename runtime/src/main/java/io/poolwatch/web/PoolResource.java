package io.poolwatch.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.poolwatch.pool.LeakRecord;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.SlowStatement;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.sampling.Autosizer;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.sampling.PoolSnapshot;

/** The workload pools as JSON: configuration in effect, current use, history, leaks and slow statements. */
@Singleton
@RootedPath("/api/v1/pools")
@Produces(MediaType.APPLICATION_JSON)
public class PoolResource {

    private final PoolRegistry registry;
    private final PoolSampler sampler;
    private final Autosizer autosizer;
    private final TrendViews trends;

    PoolResource(PoolRegistry registry, PoolSampler sampler, Autosizer autosizer, TrendViews trends) {
        this.autosizer = autosizer;
        this.registry = registry;
        this.sampler = sampler;
        this.trends = trends;
    }

    /**
     * {@code GET /api/v1/pools}: pools per answer unless {@code ?limit=} says otherwise (more than most configurations hold).
     */
    public static final int API_POOLS_DEFAULT = 500;
    /** {@code GET /api/v1/pools}: the highest {@code ?limit=} accepted. */
    public static final int API_POOLS_MAX = 1000;

    /**
     * The pools with their latest snapshots, as configured: {@code ?q=} only those whose name, workload or database
     * contains the text (ignoring case, plain text as the overview's filter, at most {@value PoolFilter#MAX_TEXT}
     * characters); at most {@code ?limit=} of them (default {@value #API_POOLS_DEFAULT}, at most {@value #API_POOLS_MAX})
     * from {@code ?offset=}; {@code X-Total-Count} and {@code Link: rel="next"} page on. Only the answered page's pools are
     * read.
     */
    @GET
    @APIResponse(responseCode = "200", description = "One page of the pools", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = PoolView.class)))
    @APIResponse(responseCode = "400", description = "A refused q, limit or offset, named with what is accepted", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response list(@QueryParam("q") String q, @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        PoolFilter filter;
        try {
            filter = PoolFilter.parse(q, null, null);
        } catch (PoolFilter.Invalid e) {
            throw new WebApplicationException(
                    Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(e.getMessage(), 400))
                            .build());
        }
        Paging paging = Paging.of(limit, offset, API_POOLS_DEFAULT, API_POOLS_MAX);
        List<WorkloadPool> all = new ArrayList<>();
        for (WorkloadPool p : registry.pools()) {
            if (filter.matches(p.name(), p.settings().workload(), p.settings().url().label())) {
                all.add(p);
            }
        }
        List<PoolView> page = paging.slice(all).stream()
                .map(p -> PoolView.of(p, sampler.latest(p.name()).orElse(null), autosizer.view(p)))
                .toList();
        String query = filter.text().isEmpty() ? "" : "q=" + URLEncoder.encode(filter.text(), StandardCharsets.UTF_8);
        return paging.ok(page, all.size(), "/api/v1/pools", query);
    }

    /** One pool with its history (oldest first) and its slow statements. */
    @GET
    @Path("{name}")
    public PoolDetail get(@PathParam("name") String name) {
        WorkloadPool pool = registry.pool(name);
        return new PoolDetail(PoolView.of(pool, sampler.latest(name).orElse(null), autosizer.view(pool)), sampler.history(name),
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
    public TrendViews.TrendsView trends(@PathParam("name") String name, @QueryParam("figure") String figure,
            @QueryParam("hours") String hours) {
        return trends.pool(name, figure, hours);
    }

    /** Resets one pool's accumulated figures (admin action). */
    @POST
    @Path("{name}/reset-metrics")
    public SeedPoolResource.ResetResult reset(@PathParam("name") String name) {
        sampler.reset(name);
        return new SeedPoolResource.ResetResult(List.of(name));
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
