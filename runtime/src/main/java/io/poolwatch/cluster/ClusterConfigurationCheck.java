package io.poolwatch.cluster;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.config.ConfigurationCheck;
import io.poolwatch.config.PoolPlan;
import io.poolwatch.config.PoolwatchConfig;

/** The cluster's part of the start-up validation: {@code poolwatch.cluster.*}. */
@ApplicationScoped
public class ClusterConfigurationCheck implements ConfigurationCheck {

    private final PoolwatchConfig config;

    public ClusterConfigurationCheck(PoolwatchConfig config) {
        this.config = config;
    }

    @Override
    public List<String> problems(PoolPlan pools) {
        return ClusterJobs.problems(config.cluster(), config.alerting().outbox().workload());
    }
}
