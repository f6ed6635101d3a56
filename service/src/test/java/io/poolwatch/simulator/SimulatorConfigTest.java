package io.poolwatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.TestConfigs;

class SimulatorConfigTest {

    private static List<String> problems(Map<String, String> properties) {
        return LoadSimulator.validate(TestConfigs.mapping(SimulatorConfig.class, properties),
                Set.of("main", "jobs", "financial"));
    }

    @Test
    void usersForKnownWorkloadsAreAccepted() {
        assertTrue(problems(Map.of("poolwatch.simulator.users.main", "600", "poolwatch.simulator.users.financial", "0"))
                .isEmpty());
    }

    @Test
    void badUserCountsNameTheKeyAndWhatIsAccepted() {
        List<String> p = problems(Map.of(
                "poolwatch.simulator.users.main", "-5",
                "poolwatch.simulator.users.analytics", "3",
                "poolwatch.simulator.users.reporting", "2"));
        assertEquals(3, p.size(), p.toString());
        assertTrue(p.contains("poolwatch.simulator.users.\"main\"=-5: accepted: 0 to 5000"), p.toString());
        assertTrue(
                p.stream().anyMatch(
                        l -> l.startsWith("poolwatch.simulator.users.\"analytics\"=3: workload 'analytics' is not defined")),
                p.toString());
        assertTrue(
                p.stream().anyMatch(
                        l -> l.startsWith("poolwatch.simulator.users.\"reporting\"=2: the simulator has transactions for")),
                p.toString());
        assertTrue(problems(Map.of("poolwatch.simulator.users.main", "3000", "poolwatch.simulator.users.jobs", "3000")).stream()
                .anyMatch(l -> l.contains("6000 users in all")));
    }

    @Test
    void faultPhasesAreOfferedOnlyWhereTheSimulatorCanRunUnlessSaidOtherwise() {
        assertTrue(LoadSimulator.faultPhasesAvailable(TestConfigs.mapping(SimulatorConfig.class, Map.of()), true),
                "the embedded demo database");
        assertEquals(false, LoadSimulator.faultPhasesAvailable(TestConfigs.mapping(SimulatorConfig.class, Map.of()), false),
                "a real database without the simulator");
        assertTrue(LoadSimulator.faultPhasesAvailable(
                TestConfigs.mapping(SimulatorConfig.class, Map.of("poolwatch.simulator.enabled", "true")),
                false), "a real database the simulator is enabled on");
        assertTrue(LoadSimulator.faultPhasesAvailable(
                TestConfigs.mapping(SimulatorConfig.class, Map.of("poolwatch.simulator.fault-phases", "true")), false),
                "asked for");
        assertEquals(false, LoadSimulator.faultPhasesAvailable(
                TestConfigs.mapping(SimulatorConfig.class, Map.of("poolwatch.simulator.fault-phases", "false")), true),
                "refused");
    }

    @Test
    void transactionsInFlightAreBoundedByHalfTheProcessorsUnlessSaid() {
        assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                LoadSimulator.maxInFlight(TestConfigs.mapping(SimulatorConfig.class, Map.of())));
        assertEquals(0,
                LoadSimulator.maxInFlight(
                        TestConfigs.mapping(SimulatorConfig.class, Map.of("poolwatch.simulator.max-in-flight", "0"))),
                "0: no bound");
        assertEquals(List.of("poolwatch.simulator.max-in-flight=-1: accepted: 0 (no bound) to 5000"),
                problems(Map.of("poolwatch.simulator.max-in-flight", "-1")));
        assertTrue(problems(Map.of("poolwatch.simulator.max-in-flight", "16")).isEmpty());
    }
}
