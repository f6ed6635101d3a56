package io.poolwatch.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.poolwatch.health.PoolHealth;
import io.poolwatch.observed.ObservedReadiness;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.sampling.PoolSnapshot;

/**
 * The seed guide's {@code GET /api/v1/health}, in its shape, mirroring readiness: healthy, degraded (a pool exhausted
 * or a non-critical database down) or unhealthy (a critical database down: HTTP 503). Answers from cached state only.
 */
@Singleton
@RootedPath("/api/v1/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    private final PoolHealth health;
    private final PoolRegistry registry;
    private final PoolSampler sampler;
    private final ObservedReadiness observed;
    /** At most this many problems of what poolwatch observes are listed. */
    static final int OBSERVED_PROBLEMS = 50;

    HealthResource(PoolHealth health, PoolRegistry registry, PoolSampler sampler, ObservedReadiness observed) {
        this.observed = observed;
        this.health = health;
        this.registry = registry;
        this.sampler = sampler;
    }

    public record Health(String status, Map<String, Component> components) {
    }

    public record Component(String status, String message, Metadata metadata) {
    }

    public record Metadata(@JsonProperty("query_time_ms") double queryTimeMs,
            @JsonProperty("pool_health") PoolHealthView poolHealth,
            Map<String, String> pools) {
    }

    public record PoolHealthView(String status, Map<String, Map<String, Object>> checks) {
    }

    @GET
    @APIResponse(responseCode = "200", description = "Healthy or degraded", content = @Content(schema = @Schema(implementation = Health.class)))
    @APIResponse(responseCode = "503", description = "Unhealthy: a critical workload cannot reach its database", content = @Content(schema = @Schema(implementation = Health.class)))
    public Response get() {
        List<PoolHealth.PoolState> pools = health.pools();
        boolean ready = health.ready(pools);
        boolean allUp = pools.stream().allMatch(p -> p.state() == PoolHealth.State.UP);
        String status = !ready ? "unhealthy" : allUp ? "healthy" : "degraded";
        boolean connected = pools.stream().noneMatch(p -> p.state() == PoolHealth.State.DOWN);
        double queryMs = pools.stream().mapToDouble(PoolHealth.PoolState::validationMs).max().orElse(0);
        double utilization = pools.stream().mapToDouble(PoolHealth.PoolState::utilization).max().orElse(0);

        long statements = 0;
        long slow = 0;
        for (WorkloadPool p : registry.pools()) {
            List<PoolSnapshot> history = sampler.newest(p.name(), 2);
            if (history.size() >= 2) {
                PoolSnapshot last = history.get(history.size() - 1);
                PoolSnapshot before = history.get(history.size() - 2);
                statements += last.statements() - before.statements();
                slow += last.slowStatements() - before.slowStatements();
            }
        }
        double slowRate = statements == 0 ? 0 : 100.0 * slow / statements;

        Map<String, Map<String, Object>> checks = new LinkedHashMap<>();
        checks.put("connection", Map.of("status", connected ? "pass" : "fail", "time_ms", round(queryMs)));
        checks.put("pool_saturation",
                Map.of("status", utilization >= 0.8 ? "warn" : "pass", "utilization", round(utilization * 100)));
        checks.put("slow_queries", Map.of("status", slowRate > 5 ? "warn" : "pass", "rate", round(slowRate)));
        // Saturated: a server that refuses connections for lack of slots answers; shown beside, never as a failed connection.
        Map<String, String> saturated = new LinkedHashMap<>();
        pools.forEach(p -> p.saturation().ifPresent(r -> saturated.put(p.pool(), r)));
        checks.put("server_slots", Map.of("status", saturated.isEmpty() ? "pass" : "warn", "saturated", saturated));
        // What poolwatch observes but does not own: shown, never turning this answer unhealthy.
        List<String> observedProblems = observed.problems();
        checks.put("observed", Map.of("status", observedProblems.isEmpty() ? "pass" : "warn", "problems",
                List.copyOf(observedProblems.subList(0, Math.min(observedProblems.size(), OBSERVED_PROBLEMS)))));
        Map<String, String> perPool = new LinkedHashMap<>();
        pools.forEach(p -> perPool.put(p.pool(), p.state() + ": " + p.detail()));
        String message = switch (status) {
            case "healthy" -> "Database is healthy";
            case "degraded" -> "Database is degraded: " + pools.stream().filter(p -> p.state() != PoolHealth.State.UP)
                    .map(p -> p.pool() + " " + p.state()).toList();
            default -> health.shuttingDown() ? "Shutting down"
                    : "A critical workload cannot reach its database: "
                            + pools.stream().filter(p -> p.critical() && p.state() == PoolHealth.State.DOWN)
                                    .map(PoolHealth.PoolState::pool).toList();
        };
        Component database = new Component(status, message,
                new Metadata(round(queryMs), new PoolHealthView(status, checks), perPool));
        return Response.status(ready ? 200 : 503).entity(new Health(status, Map.of("database", database))).build();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
