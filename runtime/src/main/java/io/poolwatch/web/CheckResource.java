package io.poolwatch.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Singleton;
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

import io.poolwatch.checks.CheckDefinition;
import io.poolwatch.checks.CheckResult;
import io.poolwatch.checks.ConsistencyChecks;
import io.poolwatch.config.Durations;
import io.poolwatch.config.Limits;
import io.poolwatch.config.RootPath;

/** The consistency checks as JSON: definitions, latest results and history; a run on request. */
@Singleton
@RootedPath("/api/v1/checks")
@Produces(MediaType.APPLICATION_JSON)
public class CheckResource {

    /** How long a request for a run waits beyond the check's own timeout (connection wait, a queue of other checks). */
    static final long RUN_GRACE_SECONDS = 30;

    private final ConsistencyChecks checks;

    CheckResource(ConsistencyChecks checks) {
        this.checks = checks;
    }

    /**
     * A check and where it stands.
     *
     * @param name its name
     * @param description what it guards
     * @param kind orphans, ledger-balance, account-balance, range, duplicates, not-valid-constraints or sql
     * @param workload the pool it runs on
     * @param mode full, chunked or sampled
     * @param schedule interval, cron expression, or off
     * @param timeout the server cancels it after this
     * @param severity of the alert a failing run raises
     * @param allowedViolations violations tolerated
     * @param source configuration or demo
     * @param running whether a run is queued or in progress
     * @param nextRun its next scheduled run
     * @param last its latest result
     */
    public record CheckView(String name, String description, String kind, String workload, String mode, String schedule,
            String timeout,
            String severity, long allowedViolations, String source, boolean running, Instant nextRun, CheckResult last) {

        static CheckView of(CheckDefinition d, ConsistencyChecks checks) {
            return new CheckView(d.name(), d.description(), d.kind().label(), d.workload(), d.mode().label(),
                    d.schedule().toString(),
                    Durations.format(d.timeout()), d.severity().label(), d.allowedViolations(), d.source(),
                    checks.running(d.name()),
                    checks.nextRun(d.name()).map(z -> z.toInstant()).orElse(null), checks.latest(d.name()).orElse(null));
        }
    }

    /**
     * One check in full.
     *
     * @param check the check and its latest result
     * @param parameters its kind's parameters as configured
     * @param watermark chunked mode: the highest key covered so far
     * @param skippedRuns scheduled runs skipped because the previous one was still running
     * @param history its results, newest first
     */
    public record CheckDetail(CheckView check, Map<String, String> parameters, Long watermark, long skippedRuns,
            List<CheckResult> history) {
    }

    /**
     * The checks: {@code ?limit=} of them (default {@value Limits#API_CHECKS_DEFAULT}, at most {@value Limits#API_CHECKS_MAX})
     * from {@code ?offset=}; {@code X-Total-Count} and {@code Link: rel="next"} page on.
     */
    @GET
    @APIResponse(responseCode = "200", description = "One page of the checks", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = CheckView.class)))
    public Response list(@QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        Paging paging = Paging.of(limit, offset, Limits.API_CHECKS_DEFAULT, Limits.API_CHECKS_MAX);
        List<CheckDefinition> all = checks.definitions();
        return paging.ok(paging.slice(all).stream().map(d -> CheckView.of(d, checks)).toList(), all.size(), "/api/v1/checks",
                "");
    }

    /**
     * One check, with {@code ?limit=} results of its history (default {@value Limits#API_CHECK_HISTORY_DEFAULT}, at most
     * {@value Limits#API_CHECK_HISTORY_MAX}) from {@code ?offset=}; {@code X-Total-Count} counts the history.
     */
    @GET
    @Path("{name}")
    @APIResponse(responseCode = "200", description = "The check, with one page of its history", content = @Content(schema = @Schema(implementation = CheckDetail.class)))
    public Response get(@PathParam("name") String name, @QueryParam("limit") String limit,
            @QueryParam("offset") String offset) {
        CheckDefinition d = checks.definition(name);
        Paging paging = Paging.of(limit, offset, Limits.API_CHECK_HISTORY_DEFAULT, Limits.API_CHECK_HISTORY_MAX);
        var mark = checks.watermark(name);
        List<CheckResult> history = checks.history(name);
        return paging.ok(new CheckDetail(CheckView.of(d, checks), d.parameters(), mark.isPresent() ? mark.getAsLong() : null,
                checks.skipped(name), paging.slice(history)), history.size(), "/api/v1/checks/" + enc(name), "");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Runs a check now and answers with its result (admin action). A run already in progress is joined, not doubled. */
    @POST
    @Path("{name}/run")
    @APIResponse(responseCode = "200", description = "The run's result", content = @Content(schema = @Schema(implementation = CheckResult.class)))
    @APIResponse(responseCode = "202", description = "Still running after the check's timeout and a grace; the result will be at the check", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "500", description = "The run failed", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "Interrupted", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response run(@PathParam("name") String name) {
        CheckDefinition d = checks.definition(name);
        try {
            CheckResult result = checks.runNow(name).get(d.timeout().toSeconds() + RUN_GRACE_SECONDS, TimeUnit.SECONDS);
            return Response.ok(result).build();
        } catch (TimeoutException e) {
            return Response.status(Response.Status.ACCEPTED)
                    .entity(new ApiError("check '" + name + "' is still running; its result "
                            + "will be at GET " + RootPath.link("/api/v1/checks/") + name, 202))
                    .build();
        } catch (ExecutionException e) {
            return Response.serverError()
                    .entity(new ApiError("check '" + name + "' could not run: " + e.getCause().getMessage(), 500))
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).entity(new ApiError("interrupted", 503)).build();
        }
    }
}
