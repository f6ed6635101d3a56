package io.poolwatch.checks;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.poolwatch.config.ConfigurationCheck;
import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.PoolPlan;
import io.poolwatch.config.PoolwatchConfig;

/** The consistency checks' part of the start-up validation: {@code poolwatch.consistency.*} and every check's keys. */
@ApplicationScoped
public class ChecksConfigurationCheck implements ConfigurationCheck {

    private final PoolwatchConfig.ConsistencyConfig config;
    private final Instance<ProvidedChecks> provided;

    ChecksConfigurationCheck(PoolwatchConfig config, Instance<ProvidedChecks> provided) {
        this.config = config.consistency();
        this.provided = provided;
    }

    @Override
    public List<String> problems(PoolPlan pools) {
        return problems(config, provided, pools);
    }

    /** The problems of {@code poolwatch.consistency.*}, the provided checks (when they apply) and the configured ones. */
    public static List<String> problems(PoolwatchConfig.ConsistencyConfig config, Iterable<? extends ProvidedChecks> provided,
            PoolPlan pools) {
        List<String> problems = new ArrayList<>(CheckDefinitionParser.settingsProblems(config));
        try {
            CheckDefinitionParser.parse(CheckDefinitionParser.sources(config, pools.embedded(), provided, pools.kinds()),
                    pools.kinds());
        } catch (InvalidConfigurationException e) {
            problems.addAll(e.problems());
        }
        return problems;
    }
}
