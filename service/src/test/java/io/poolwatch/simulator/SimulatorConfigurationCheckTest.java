package io.poolwatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.UnconvertibleValues;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The simulator's and the embedded database's keys are checked with the rest, values not of their type included. */
class SimulatorConfigurationCheckTest {

    @Test
    void everyProblemOnceWithItsKey() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().withInterceptors(new UnconvertibleValues())
                .withMapping(SimulatorConfig.class).withMapping(EmbeddedConfig.class)
                .withSources(new PropertiesConfigSource(Map.of(
                        "poolwatch.simulator.users.main", "abc",
                        "poolwatch.simulator.users.jobs", "-2",
                        "poolwatch.simulator.think-time", "0s",
                        "poolwatch.simulator.demo-cycle-interval", "soon",
                        "poolwatch.embedded.kind", "oracle",
                        "poolwatch.embedded.demo-rows", "-1"), "test", 100))
                .build();
        List<String> problems = new ArrayList<>(UnconvertibleValues.problems(config));
        problems.addAll(SimulatorConfigurationCheck.problems(config.getConfigMapping(SimulatorConfig.class),
                config.getConfigMapping(EmbeddedConfig.class), Set.of("main", "jobs")));
        for (String named : List.of("poolwatch.simulator.users.main=abc: ", "poolwatch.simulator.users.\"jobs\"=-2: ",
                "poolwatch.simulator.think-time=0s: ", "poolwatch.simulator.demo-cycle-interval=soon: ",
                "poolwatch.embedded.kind=oracle: ",
                "poolwatch.embedded.demo-rows=-1: ")) {
            assertEquals(1, problems.stream().filter(p -> p.startsWith(named)).count(),
                    named + " in\n" + String.join("\n", problems));
        }
        assertEquals(6, problems.size(), String.join("\n", problems));
    }
}
