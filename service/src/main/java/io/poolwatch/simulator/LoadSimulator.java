package io.poolwatch.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.poolwatch.config.Durations;
import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.pool.FaultPhases;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.work.BackgroundWork;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The built-in load simulator: runs the demo workloads against the pools, from start-up on the embedded demo
 * database (or when poolwatch.simulator.enabled=true), and on request from the admin API.
 */
@ApplicationScoped
public class LoadSimulator implements FaultPhases {

    private static final Logger LOG = Logger.getLogger(LoadSimulator.class);
    /** Users per standard workload when poolwatch.simulator.users does not say. */
    static final Map<String, Integer> DEFAULT_USERS = Map.of("main", 6, "jobs", 2, "analytics", 1, "financial", 4);

    private final PoolRegistry registry;
    private final SimulatorConfig config;
    private final FaultInjector faults;
    private Simulation current;

    LoadSimulator(PoolRegistry registry, SimulatorConfig config) {
        List<String> problems = validate(config, registry.names());
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        this.registry = registry;
        this.config = config;
        this.faults = new FaultInjector(registry.configuration().monitoring().slowQueryThreshold());
    }

    /** The demo cycle's steps: fault kind, workload, duration. */
    private static final List<String[]> DEMO_STEPS = List.of(
            new String[] { "leak", "jobs", "" },
            new String[] { "slow", "main", "30s" },
            new String[] { "saturate", "jobs", "20s" },
            new String[] { "inconsistency", "financial", "" });
    private int demoStep;
    /** The most faults the demo cycle keeps running at once. */
    static final int DEMO_RUNNING = FaultInjector.MAX_RUNNING / 2;

    /** The demo cycle's first fault comes this long after start-up, once the dashboard has figures to show it against. */
    private static final Duration DEMO_CYCLE_DELAY = Duration.ofSeconds(30);

    void demoCycle() {
        if (!config.demoCycle().orElse(registry.embedded()) || current == null || !current.running()) {
            return;
        }
        try {
            nextDemoFault();
        } catch (RuntimeException e) {
            LOG.infof("demo cycle: %s", e.getMessage());
        }
    }

    /**
     * Starts the cycle's next fault; the unbalanced ledger entry only once per process. The cycle takes at most half of
     * the injector's places ({@link FaultInjector#MAX_RUNNING}): a person on the dashboard or the API can always start one
     * more, however short the cycle's interval and however long its faults run.
     */
    synchronized Optional<Fault> nextDemoFault() {
        if (faults.running() >= DEMO_RUNNING) {
            LOG.debugf("demo cycle: %d faults running, leaving the rest for people", faults.running());
            return Optional.empty();
        }
        for (int tries = 0; tries < DEMO_STEPS.size(); tries++) {
            String[] step = DEMO_STEPS.get(demoStep++ % DEMO_STEPS.size());
            if (!registry.names().contains(step[1])) {
                continue;
            }
            return Optional
                    .of(fault(step[0], step[1], step[2].isEmpty() ? Optional.empty() : Optional.of(Durations.parse(step[2]))));
        }
        return Optional.empty();
    }

    /** Whether the dashboard offers the fault phases: see {@link SimulatorConfig#faultPhases()}. */
    @Override
    public boolean available() {
        return faultPhasesAvailable(config, registry.embedded());
    }

    /**
     * {@code poolwatch.simulator.fault-phases}, or where the simulator can run: on the embedded demo database, or where
     * {@code poolwatch.simulator.enabled} says it runs (the operator has given it the demo schema).
     */
    static boolean faultPhasesAvailable(SimulatorConfig config, boolean embedded) {
        return config.faultPhases().orElse(config.enabled().orElse(embedded));
    }

    @Override
    public List<String> kinds() {
        return Arrays.stream(FaultInjector.Kind.values()).map(k -> k.name().toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public Fault start(String kind, String workload, Optional<Duration> duration) {
        return fault(kind, workload, duration);
    }

    /** Starts a fault on a workload's pool (see {@link FaultInjector}). */
    public Fault fault(String kind, String workload, Optional<Duration> duration) {
        return faults.start(kind, registry.pool(workload), duration);
    }

    /** Every fault started, newest first. */
    @Override
    public List<Fault> faults() {
        return faults.faults();
    }

    void onStart(@Observes StartupEvent event, BackgroundWork work) {
        if (config.enabled().orElse(registry.embedded())) {
            start();
        }
        work.every("simulator demo cycle", DEMO_CYCLE_DELAY, config.demoCycleInterval(), work.lane("simulator-demo-cycle", 1),
                this::demoCycle);
    }

    /** Runs before the registry drains and closes the pools (observers without a priority run at 2500). */
    void onStop(@Observes @Priority(1000) ShutdownEvent event) {
        stop();
    }

    /** Starts a run unless one is running; returns its state. */
    public synchronized Optional<Simulation> start() {
        if (current != null && current.running()) {
            return Optional.of(current);
        }
        List<Simulation.Workload> workloads = new ArrayList<>();
        for (String name : registry.names()) {
            Simulation.Transaction tx = transaction(name);
            int users = config.users().getOrDefault(name, DEFAULT_USERS.getOrDefault(name, 0));
            if (tx != null && users > 0) {
                workloads.add(new Simulation.Workload(name, registry.dataSource(name), users, tx,
                        concurrency(registry.pool(name).settings().maxSize())));
            }
        }
        if (workloads.isEmpty()) {
            LOG.info("simulator: no standard workload to run against");
            return Optional.empty();
        }
        current = new Simulation(workloads, config.thinkTime(), config.duration(), config.virtualThreads(),
                maxInFlight(config));
        current.start();
        return Optional.of(current);
    }

    /**
     * Transactions of one workload in flight at once where users share workers: twice its pool's max-size, so an
     * exhausted pool has as many callers waiting as it has connections, as it would with one thread per user.
     */
    static int concurrency(int maxSize) {
        return Math.max(2, 2 * maxSize);
    }

    /** Stops the current run, if any. */
    public synchronized void stop() {
        if (current != null) {
            current.stop(Duration.ofSeconds(10));
        }
    }

    /** The latest run, running or finished. */
    public synchronized Optional<Simulation> current() {
        return Optional.ofNullable(current);
    }

    /** Problems with the simulator's keys, each naming the key, the value and what is accepted. */
    static List<String> validate(SimulatorConfig config, Set<String> workloads) {
        List<String> problems = new ArrayList<>();
        config.users().forEach((name, users) -> {
            String key = "poolwatch.simulator.users.\"" + name + "\"=" + users;
            if (transaction(name) == null) {
                problems.add(key + ": the simulator has transactions for main, jobs, analytics and financial only");
            } else if (!workloads.contains(name)) {
                problems.add(key + ": workload '" + name + "' is not defined or is disabled; accepted: one of " + workloads);
            } else if (users < 0 || users > Simulation.MAX_USERS) {
                problems.add(key + ": accepted: 0 to " + Simulation.MAX_USERS);
            }
        });
        int total = config.users().values().stream().mapToInt(Integer::intValue).sum();
        if (total > Simulation.MAX_USERS) {
            problems.add("poolwatch.simulator.users: " + total + " users in all; accepted: at most " + Simulation.MAX_USERS);
        }
        config.maxInFlight().filter(n -> n < 0 || n > Simulation.MAX_USERS).ifPresent(n -> problems.add(
                "poolwatch.simulator.max-in-flight=" + n + ": accepted: 0 (no bound) to " + Simulation.MAX_USERS));
        return problems;
    }

    /**
     * The bound on transactions in flight: the configured one, or half the available processors (at least one). One
     * synchronous transaction keeps at most one processor busy at a time, its thread or its database backend taking
     * turns, so the built-in bound leaves the simulator half the machine at most (docs/PERFORMANCE.md, "Probes and the
     * API under the process's own load").
     */
    static int maxInFlight(SimulatorConfig config) {
        return config.maxInFlight().orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    /** The demo transaction of a standard workload; none for other workloads. */
    static Simulation.Transaction transaction(String workload) {
        return switch (workload) {
            case "financial" -> DemoTransactions::transfer;
            case "jobs" -> DemoTransactions::backgroundTask;
            case "analytics" -> DemoTransactions::analyticsScan;
            case "main" -> DemoTransactions::balanceRead;
            default -> null;
        };
    }
}
