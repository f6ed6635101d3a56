package io.poolwatch.observed;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.config.ConfigurationCheck;
import io.poolwatch.config.PoolPlan;
import io.poolwatch.config.PoolwatchConfig;

/** Blocking's part of the start-up validation: {@code poolwatch.blocking.*}. */
@ApplicationScoped
public class BlockingConfigurationCheck implements ConfigurationCheck {

    static final String PREFIX = "poolwatch.blocking.";
    /**
     * The most sessions a blocking tree may list: each is a row read on every sample and a line on the page, and the
     * JSON nests one level per waiting session.
     */
    public static final int MAX_SESSIONS = 1000;

    private final PoolwatchConfig config;

    public BlockingConfigurationCheck(PoolwatchConfig config) {
        this.config = config;
    }

    @Override
    public List<String> problems(PoolPlan pools) {
        return problems(config.blocking());
    }

    /** The problems of the blocking keys, each with its key, value and what is accepted. */
    static List<String> problems(PoolwatchConfig.BlockingConfig blocking) {
        List<String> problems = new ArrayList<>();
        if (blocking.maxSessions() < 1 || blocking.maxSessions() > MAX_SESSIONS) {
            problems.add(PREFIX + "max-sessions=" + blocking.maxSessions() + ": accepted: 1 to " + MAX_SESSIONS);
        }
        return problems;
    }
}
