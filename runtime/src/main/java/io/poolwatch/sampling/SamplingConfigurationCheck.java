package io.poolwatch.sampling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.config.ConfigurationCheck;
import io.poolwatch.config.Durations;
import io.poolwatch.config.PoolPlan;
import io.poolwatch.config.PoolwatchConfig;

/**
 * Sampling's part of the start-up validation: {@code poolwatch.sampling.*}, {@code poolwatch.shutdown.*} and
 * {@code poolwatch.reconnect.*}.
 */
@ApplicationScoped
public class SamplingConfigurationCheck implements ConfigurationCheck {

    static final String PREFIX = "poolwatch.sampling.";
    /** The most replicas of poolwatch the capacity advice plans for. */
    static final int MAX_EXPECTED_REPLICAS = 1000;

    private final PoolwatchConfig config;

    public SamplingConfigurationCheck(PoolwatchConfig config) {
        this.config = config;
    }

    @Override
    public List<String> problems(PoolPlan pools) {
        return problems(config);
    }

    /** The problems of the sampling and shutdown keys, each with its key, value and what is accepted. */
    static List<String> problems(PoolwatchConfig config) {
        PoolwatchConfig.SamplingConfig s = config.sampling();
        List<String> problems = new ArrayList<>();
        positive(problems, PREFIX + "interval", s.interval());
        positive(problems, PREFIX + "server-interval", s.serverInterval());
        positive(problems, PREFIX + "error-rate-window", s.errorRateWindow());
        positive(problems, PREFIX + "server-query-timeout", s.serverQueryTimeout());
        if (!s.interval().isZero() && s.history().compareTo(s.interval()) < 0) {
            problems.add(PREFIX + "history=" + Durations.format(s.history()) + ": below " + PREFIX + "interval="
                    + Durations.format(s.interval()) + "; accepted: at least the sampling interval");
        }
        if (s.monitorPassword().isPresent() && s.monitorUsername().isEmpty()) {
            problems.add(PREFIX + "monitor-password is set without " + PREFIX
                    + "monitor-username; accepted: both, the username alone "
                    + "(a server that needs no password), or neither (each workload's own user)");
        }
        if (s.monitorUsername().isPresent() && s.monitorUsername().get().isBlank()) {
            problems.add(PREFIX + "monitor-username=\"" + s.monitorUsername().get()
                    + "\": blank; accepted: a user name, or the key left out");
        }
        if (s.expectedReplicas() < 1 || s.expectedReplicas() > MAX_EXPECTED_REPLICAS) {
            problems.add(PREFIX + "expected-replicas=" + s.expectedReplicas() + ": accepted: 1 to " + MAX_EXPECTED_REPLICAS);
        }
        if (s.spareConnections() < 0 || s.spareConnections() > 10_000) {
            problems.add(PREFIX + "spare-connections=" + s.spareConnections() + ": accepted: 0 to 10000");
        }
        PoolwatchConfig.ReconnectConfig r = config.reconnect();
        if (r.maxConcurrentOpens() < 0 || r.maxConcurrentOpens() > 1000) {
            problems.add("poolwatch.reconnect.max-concurrent-opens=" + r.maxConcurrentOpens()
                    + ": accepted: 0 (no cap) to 1000");
        }
        if (r.jitter().compareTo(Duration.ofMinutes(1)) > 0) {
            problems.add("poolwatch.reconnect.jitter=" + Durations.format(r.jitter()) + ": accepted: 0 (none) to 1m");
        }
        return problems;
    }

    private static void positive(List<String> problems, String key, Duration d) {
        if (d.isZero()) {
            problems.add(key + "=0s: must be above zero; accepted: " + Durations.ACCEPTED);
        }
    }
}
