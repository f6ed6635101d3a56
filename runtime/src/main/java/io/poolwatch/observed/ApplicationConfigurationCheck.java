package io.poolwatch.observed;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.config.ConfigurationCheck;
import io.poolwatch.config.PoolPlan;
import io.poolwatch.config.PoolwatchConfig;

/**
 * The applications' part of the start-up validation: {@code poolwatch.applications."<name>".*} (the match, the
 * client network, expected-max and the limits). Its {@code alerts} keys are left to the alert rules' own check.
 */
@ApplicationScoped
public class ApplicationConfigurationCheck implements ConfigurationCheck {

    private final PoolwatchConfig config;

    public ApplicationConfigurationCheck(PoolwatchConfig config) {
        this.config = config;
    }

    @Override
    public List<String> problems(PoolPlan pools) {
        return ApplicationDefinitions.parse(config.applications()).problems();
    }
}
