package io.poolwatch.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.poolwatch.config.Converters;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * The load simulator of the standalone service ({@code poolwatch.simulator.*}): off by default, on by default on the embedded
 * demo database.
 */
@ConfigMapping(prefix = "poolwatch.simulator")
public interface SimulatorConfig {

    /** Run the simulator from start-up. Built-in: true on the embedded demo database, false otherwise. */
    @WithConverter(Converters.StrictBooleanConverter.class)
    Optional<Boolean> enabled();

    /** Virtual users per workload; a workload not listed gets its built-in count (main 6, jobs 2, analytics 1, financial 4). */
    Map<String, Integer> users();

    /** Pause between one user's transactions (each pause varies by up to half of it). */
    @WithDefault("200ms")
    @WithConverter(Converters.DurationConverter.class)
    Duration thinkTime();

    /** How long a run lasts; 0 runs until stopped. */
    @WithDefault("0s")
    @WithConverter(Converters.DurationConverter.class)
    Duration duration();

    /**
     * Start a fault now and then while the simulator runs (leak, slow, saturate, and once an unbalanced ledger
     * entry), so the demo shows every problem. Built-in: true on the embedded demo database, false otherwise.
     */
    @WithConverter(Converters.StrictBooleanConverter.class)
    Optional<Boolean> demoCycle();

    /**
     * Offer the fault phases on the dashboard's overview (and take its form). Built-in: where the simulator can run, that
     * is on the embedded demo database or with {@code poolwatch.simulator.enabled=true}; pointed at a real database the
     * overview has no fault phases. {@code POST /api/v1/simulator/faults/{kind}} is not affected.
     */
    @WithConverter(Converters.StrictBooleanConverter.class)
    Optional<Boolean> faultPhases();

    /**
     * Run each user as a virtual thread where the runtime has them (Java 21+); false, or on Java 17, users share a
     * bounded set of worker threads per workload (twice its pool's max-size), think times being delayed tasks on them.
     */
    @WithDefault("true")
    @WithConverter(Converters.StrictBooleanConverter.class)
    boolean virtualThreads();

    /**
     * The most transactions in flight at once across all workloads; a user past it waits for a slot without using the
     * CPU, so that thousands of users do not take the machine from the process's own probes and pages. 0: no bound (the
     * users' think time alone sets the load). Built-in: half the available processors, at least one (a synchronous
     * transaction keeps one processor busy at most: its thread or its database backend, taking turns).
     */
    Optional<Integer> maxInFlight();

    /** How often the demo cycle starts its next fault. */
    @WithDefault("90s")
    @WithConverter(Converters.DurationConverter.class)
    Duration demoCycleInterval();
}
