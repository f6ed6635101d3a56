package io.poolwatch.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.config.ConfigurationCheck;
import io.poolwatch.config.Durations;
import io.poolwatch.config.PoolPlan;

/**
 * The service's part of the start-up validation: the simulator's keys ({@code poolwatch.simulator.*}) and the embedded demo
 * database's ({@code poolwatch.embedded.*}), checked with the rest before the embedded database starts.
 */
@ApplicationScoped
public class SimulatorConfigurationCheck implements ConfigurationCheck {

    /** The most rows the demo's analytics table is generated with. */
    static final int MAX_DEMO_ROWS = 10_000_000;

    private final SimulatorConfig simulator;
    private final EmbeddedConfig embedded;

    SimulatorConfigurationCheck(SimulatorConfig simulator, EmbeddedConfig embedded) {
        this.simulator = simulator;
        this.embedded = embedded;
    }

    @Override
    public List<String> problems(PoolPlan pools) {
        return problems(simulator, embedded, pools.workloads().keySet());
    }

    /** Every problem of the simulator's and the embedded database's keys, against the enabled workloads. */
    static List<String> problems(SimulatorConfig simulator, EmbeddedConfig embedded, Set<String> workloads) {
        List<String> problems = new ArrayList<>(LoadSimulator.validate(simulator, workloads));
        positive(problems, "poolwatch.simulator.think-time", simulator.thinkTime());
        positive(problems, "poolwatch.simulator.demo-cycle-interval", simulator.demoCycleInterval());
        if (embedded.demoRows() < 0 || embedded.demoRows() > MAX_DEMO_ROWS) {
            problems.add("poolwatch.embedded.demo-rows=" + embedded.demoRows() + ": accepted: 0 to " + MAX_DEMO_ROWS);
        }
        return problems;
    }

    private static void positive(List<String> problems, String key, Duration d) {
        if (d.isZero()) {
            problems.add(key + "=0s: must be above zero; accepted: " + Durations.ACCEPTED);
        }
    }
}
