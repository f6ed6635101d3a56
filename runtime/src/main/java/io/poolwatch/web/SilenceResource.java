package io.poolwatch.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.poolwatch.alerting.Alerting;
import io.poolwatch.alerting.Silence;
import io.poolwatch.alerting.Silencer;
import io.poolwatch.config.Durations;
import io.poolwatch.config.Limits;

/** Silences (admin actions): alerts matching one are still shown but not notified. */
@Singleton
@RootedPath("/api/v1/silences")
@Produces(MediaType.APPLICATION_JSON)
public class SilenceResource {

    private final Alerting alerting;

    SilenceResource(Alerting alerting) {
        this.alerting = alerting;
    }

    /**
     * A silence to create, as Alertmanager's API takes one (its {@code startsAt} is now).
     *
     * @param matchers labels to match, all of them: {@code {"name": "pool", "value": "jobs", "isRegex": false, "isEqual":
     *        true}}
     * @param endsAt when it ends (ISO-8601), or
     * @param duration how long it lasts (2h, 30m)
     * @param createdBy who
     * @param comment why
     */
    public record NewSilence(List<Silence.Matcher> matchers, String endsAt, String duration, String createdBy, String comment) {
    }

    /**
     * The silences, newest first: {@code ?limit=} of them (default {@value Limits#API_SILENCES_DEFAULT}, at most
     * {@value Limits#API_SILENCES_MAX}) from {@code ?offset=}; {@code X-Total-Count} and {@code Link: rel="next"} page on.
     */
    @GET
    @APIResponse(responseCode = "200", description = "One page of the silences", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = Silence.class)))
    public Response list(@QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        Paging paging = Paging.of(limit, offset, Limits.API_SILENCES_DEFAULT, Limits.API_SILENCES_MAX);
        List<Silence> all = alerting.silences().all();
        return paging.ok(paging.slice(all), all.size(), "/api/v1/silences", "");
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "The silence created", content = @Content(schema = @Schema(implementation = Silence.class)))
    @APIResponse(responseCode = "409", description = "As many silences are kept as may be", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "The silences could not be stored", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response create(NewSilence request) {
        if (request == null) {
            return badRequest(
                    "body: missing; accepted: {\"matchers\": [...], \"duration\": \"2h\" or \"endsAt\": \"...\", \"comment\": \"...\"}");
        }
        List<Silence.Matcher> matchers = request.matchers() == null ? List.of() : request.matchers();
        try {
            // Every field against its limit first: nothing is computed from, or stored of, a request with one over.
            Silencer.validate(matchers, request.createdBy(), request.comment());
            Limits.require("duration", request.duration(), Limits.TIME_TEXT);
            Limits.require("endsAt", request.endsAt(), Limits.TIME_TEXT);
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
        Instant endsAt;
        try {
            if (request.endsAt() != null && request.duration() != null) {
                return badRequest("endsAt and duration: both given; accepted: one of them");
            }
            if (request.duration() != null) {
                endsAt = Instant.now().plus(Durations.parse(request.duration()));
            } else if (request.endsAt() != null) {
                endsAt = Instant.parse(request.endsAt());
            } else {
                return badRequest("endsAt or duration: missing; accepted: an ISO-8601 time, or a duration such as 2h");
            }
        } catch (DateTimeParseException e) {
            return badRequest(
                    "endsAt=" + Limits.quote(request.endsAt()) + ": not an ISO-8601 time such as 2026-11-22T18:00:00Z");
        } catch (IllegalArgumentException e) {
            return badRequest("duration: " + e.getMessage());
        }
        try {
            Silence s = alerting.silences().create(matchers, endsAt, request.createdBy(), request.comment());
            return Response.status(Response.Status.CREATED).entity(s).build();
        } catch (Silencer.FullException e) {
            return Response.status(Response.Status.CONFLICT).type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError(e.getMessage(), 409)).build();
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError(e.getMessage(), 503)).build();
        }
    }

    /** Ends a silence now. */
    @DELETE
    @Path("{id}")
    @APIResponse(responseCode = "200", description = "The silence, ended", content = @Content(schema = @Schema(implementation = Silence.class)))
    public Response expire(@PathParam("id") String id) {
        return alerting.silences().expire(id).map(s -> Response.ok(s).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                        .entity(new ApiError("no silence with id '" + Limits.quote(id) + "'", 404))
                        .build());
    }

    private static Response badRequest(String message) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON).entity(new ApiError(message, 400))
                .build();
    }
}
