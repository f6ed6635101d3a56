package io.poolwatch.web;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.poolwatch.config.Limits;
import io.poolwatch.observed.PgBouncerDefinition;
import io.poolwatch.observed.PgBouncerPool;
import io.poolwatch.observed.PgBouncerSampler;
import io.poolwatch.observed.PgBouncerSnapshot;

/**
 * {@code GET /api/v1/pgbouncers} and {@code GET /api/v1/pgbouncers/{name}}: each configured PgBouncer as its console
 * was last read, from the latest sample only (no request reaches a PgBouncer). The console's address is shown, never
 * its credentials.
 */
@Singleton
@RootedPath("/api/v1/pgbouncers")
@Produces(MediaType.APPLICATION_JSON)
public class PgBouncerResource {

    private final PgBouncerSampler sampler;

    PgBouncerResource(PgBouncerSampler sampler) {
        this.sampler = sampler;
    }

    /** Every configured PgBouncer, in name order. */
    @GET
    public List<PgBouncerView> list() {
        return sampler.definitions().stream().map(d -> view(d, sampler)).toList();
    }

    /** One PgBouncer; 404 with a JSON body naming the configured ones for a name that is not. */
    @GET
    @Path("{name}")
    @APIResponse(responseCode = "200", description = "The PgBouncer", content = @Content(schema = @Schema(implementation = PgBouncerView.class)))
    public Response get(@PathParam("name") String name) {
        return sampler.definitions().stream().filter(d -> d.name().equals(name)).findFirst()
                .map(d -> Response.ok(view(d, sampler)).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                        .entity(new ApiError("no PgBouncer named '" + Limits.quote(name) + "'; configured: "
                                + (sampler.definitions().isEmpty() ? "none (poolwatch.pgbouncer.\"<name>\".url)"
                                        : String.join(", ",
                                                sampler.definitions().stream().map(PgBouncerDefinition::name).toList())),
                                404))
                        .build());
    }

    /** The view of one configured PgBouncer: {@code state} pending until its console was first read. */
    static PgBouncerView view(PgBouncerDefinition d, PgBouncerSampler sampler) {
        PgBouncerSnapshot s = sampler.latest(d.name()).orElse(null);
        String address = d.address().label();
        if (s == null) {
            return new PgBouncerView(d.name(), address, "pending", null, null, null, null, null, null, null, null, null, null,
                    null, null);
        }
        if (!s.up()) {
            return new PgBouncerView(d.name(), address, "down", false, s.downReason().orElse(null), s.takenAt(), null, null,
                    null, null, null,
                    null, null, null, null);
        }
        return new PgBouncerView(d.name(), address, "up", true, null, s.takenAt(), s.version().orElse(null),
                s.clientConnections(),
                s.maxClientConnections().isPresent() ? s.maxClientConnections().getAsInt() : null,
                s.clientConnectionUse().isPresent() ? s.clientConnectionUse().getAsDouble() : null,
                s.defaultPoolSize().isPresent() ? s.defaultPoolSize().getAsInt() : null, s.clientsWaiting(), s.maxWaitSeconds(),
                s.pools(),
                s.poolsLeftOut());
    }

    /**
     * One PgBouncer. A PgBouncer that is down has no figures (absent, not zeros).
     *
     * @param address {@code host:port} of its admin console
     * @param state up, down, or pending (not read yet)
     * @param downReason why it could not be read
     * @param clientConnections client connections over every pool ({@code cl_*} of {@code SHOW POOLS})
     * @param clientConnectionUse client connections / {@code max_client_conn}
     * @param clientsWaiting clients waiting for a server connection, in every pool
     * @param maxWaitSeconds the longest any client has waited, in any pool
     * @param pools its pools, those with clients waiting first, at most 200
     * @param poolsLeftOut pools beyond that bound
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PgBouncerView(String name, String address, String state, Boolean up, String downReason, Instant takenAt,
            String version,
            Integer clientConnections, Integer maxClientConnections, Double clientConnectionUse, Integer defaultPoolSize,
            Integer clientsWaiting,
            Double maxWaitSeconds, List<PgBouncerPool> pools, Integer poolsLeftOut) {
    }
}
