package io.poolwatch.health;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.config.ConfigurationCheck;
import io.poolwatch.config.PoolPlan;
import io.poolwatch.config.PoolwatchConfig;

/** Health's part of the start-up validation: {@code poolwatch.health.*}. */
@ApplicationScoped
public class HealthConfigurationCheck implements ConfigurationCheck {

    private final PoolwatchConfig config;

    public HealthConfigurationCheck(PoolwatchConfig config) {
        this.config = config;
    }

    @Override
    public List<String> problems(PoolPlan pools) {
        return DatabaseValidator.problems(config.health());
    }
}
