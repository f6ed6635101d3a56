package io.poolwatch.web;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.poolwatch.sampling.Trends;

/**
 * The seed guide's {@code get_performance_trends('checkout_time', hours=24)} as {@code GET /api/v1/trends?figure=&hours=}:
 * a figure of every pool (or of one pool, or of applications) over the last hours, at {@link Trends#BUCKET} resolution,
 * from memory only. One pool's figures are also at {@code GET /api/v1/pools/{name}/trends} ({@link PoolResource}).
 */
@Singleton
@RootedPath("/api/v1/trends")
@Produces(MediaType.APPLICATION_JSON)
public class TrendResource {

    private final TrendViews views;

    TrendResource(TrendViews views) {
        this.views = views;
    }

    /**
     * {@code figure} (required) of every pool, by default; {@code ?pool=<name>} for one pool, {@code ?application=<name>}
     * for one application, {@code ?kind=application} for every application. {@code ?hours=} from 1 to 24 (default 24).
     */
    @GET
    @APIResponse(responseCode = "200", description = "The series", content = @Content(schema = @Schema(implementation = TrendViews.TrendsView.class)))
    @APIResponse(responseCode = "404", description = "No pool or application of that name", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public TrendViews.TrendsView trends(@QueryParam("figure") String figure, @QueryParam("hours") String hours,
            @QueryParam("pool") String pool, @QueryParam("application") String application, @QueryParam("kind") String kind) {
        return views.trends(figure, hours, pool, application, kind);
    }
}
