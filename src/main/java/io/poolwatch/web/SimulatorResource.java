package io.poolwatch.web;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.poolwatch.simulator.LoadSimulator;
import io.poolwatch.simulator.Simulation;

/** The load simulator: its state, and start and stop (admin actions). */
@Path("/api/v1/simulator")
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

    @POST
    @Path("stop")
    public SimulatorState stop() {
        simulator.stop();
        return state();
    }
}
