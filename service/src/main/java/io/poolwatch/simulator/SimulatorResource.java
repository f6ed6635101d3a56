package io.poolwatch.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.poolwatch.config.Durations;
import io.poolwatch.pool.FaultPhases;
import io.poolwatch.pool.UnknownWorkloadException;
import io.poolwatch.web.ApiError;
import io.poolwatch.web.RootedPath;

/** The load simulator: its state, and start and stop (admin actions). */
@Singleton
@RootedPath("/api/v1/simulator")
@Produces(MediaType.APPLICATION_JSON)
public class SimulatorResource {

    private final LoadSimulator simulator;

    SimulatorResource(LoadSimulator simulator) {
        this.simulator = simulator;
    }

    /**
     * @param running whether users are running now
     * @param startedAt when the latest run started
     * @param workloads per workload: users and transactions committed, rolled back and failed
     */
    public record SimulatorState(boolean running, Instant startedAt, List<Simulation.WorkloadStats> workloads) {
    }

    @GET
    public SimulatorState state() {
        return simulator.current().map(s -> new SimulatorState(s.running(), s.startedAt(), s.stats()))
                .orElse(new SimulatorState(false, null, List.of()));
    }

    @POST
    @Path("start")
    public SimulatorState start() {
        simulator.start();
        return state();
    }

    /** Faults started so far, newest first. */
    @GET
    @Path("faults")
    public List<FaultPhases.Fault> faults() {
        return simulator.faults();
    }

    /**
     * Starts a fault: leak, slow, saturate or inconsistency, on a workload (default main; inconsistency: financial),
     * for a duration (default per kind, at most 10 minutes). Admin action.
     */
    @POST
    @Path("faults/{kind}")
    @APIResponse(responseCode = "202", description = "The fault, started", content = @Content(schema = @Schema(implementation = FaultPhases.Fault.class)))
    public Response fault(@PathParam("kind") String kind, @QueryParam("workload") String workload,
            @QueryParam("duration") String duration) {
        String pool = workload != null ? workload : kind.equalsIgnoreCase("inconsistency") ? "financial" : "main";
        try {
            Optional<Duration> length = duration == null ? Optional.empty() : Optional.of(parseDuration(duration));
            return Response.status(Response.Status.ACCEPTED).entity(simulator.fault(kind, pool, length)).build();
        } catch (UnknownWorkloadException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            return Response.status(Response.Status.BAD_REQUEST).entity(new ApiError(e.getMessage(), 400)).build();
        }
    }

    private static Duration parseDuration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("duration=" + text + ": " + e.getMessage());
        }
    }

    @POST
    @Path("stop")
    public SimulatorState stop() {
        simulator.stop();
        return state();
    }
}
