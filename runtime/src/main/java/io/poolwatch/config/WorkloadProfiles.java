package io.poolwatch.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in values: a base every pool starts from, and a profile per standard workload that suits it.
 * These are the lowest layers; the seed variables and the {@code poolwatch.*} keys override them.
 */
public final class WorkloadProfiles {

    /** The standard workloads, present unless disabled. */
    public static final List<String> STANDARD = List.of("main", "jobs", "analytics", "financial");

    /**
     * How far the built-in socket-timeout of main and financial lies above their statement-timeout. The server cancels a
     * statement at its next interrupt check after the limit and then sends the error; 15s covers that, a busy server and a
     * slow network, so only a server that has stopped answering reaches the socket timeout, and a frozen one holds a
     * request for well under a minute (main 45s, financial 25s).
     */
    static final Duration SOCKET_TIMEOUT_MARGIN = Duration.ofSeconds(15);

    private WorkloadProfiles() {
    }

    /**
     * The built-in socket-timeout of a workload with this statement-timeout: above it by {@link #SOCKET_TIMEOUT_MARGIN} for
     * main and financial, which serve requests; none for the others (their long statements are expected), nor where
     * statements have no time limit (a socket timeout would cut off a legitimate one).
     */
    static Optional<Duration> socketTimeout(String name, Optional<Duration> statementTimeout) {
        if (!name.equals("main") && !name.equals("financial")) {
            return Optional.empty();
        }
        return statementTimeout.filter(t -> !t.isZero()).map(t -> t.plus(SOCKET_TIMEOUT_MARGIN));
    }

    /**
     * Defaults shared by every pool, written as the keys {@code poolwatch.pools."<name>".*} would give them and read through
     * the same mapping and converters ({@link LowerLayers}); the seed guide's defaults where it has one (30s timeout, 1h
     * recycle, pre-ping). Two are the pool's own: the initial-size is its min-size, the application-name
     * {@code poolwatch-<name>}.
     */
    static final Map<String, String> BASE = Map.ofEntries(
            Map.entry("enabled", "true"),
            Map.entry("min-size", "2"),
            Map.entry("max-size", "10"),
            Map.entry("acquisition-timeout", "30s"),
            Map.entry("connect-timeout", "10s"),
            Map.entry("max-lifetime", "1h"),
            Map.entry("idle-removal-interval", "5m"),
            Map.entry("validate-on-borrow", "true"),
            Map.entry("background-validation-interval", "2m"),
            Map.entry("validation-query-timeout", "5s"),
            Map.entry("leak-detection-interval", "5m"),
            Map.entry("autosize.mode", AutosizeMode.OFF.label()),
            Map.entry("autosize.step", "2"),
            Map.entry("autosize.wait-target", "100ms"),
            Map.entry("autosize.raise-cooldown", "15s"),
            Map.entry("autosize.lower-after", "5m"),
            Map.entry("transaction-isolation", IsolationLevel.READ_COMMITTED.configName()),
            Map.entry("statement-timeout", "0"),
            Map.entry("read-only", "false"),
            Map.entry("critical", "false"),
            Map.entry("echo", "false"),
            Map.entry("read-routing.strategy", ReadRouting.DEFAULT.strategy().label()),
            Map.entry("read-routing.max-lag", ReadRouting.DEFAULT.maxLag().orElse(Duration.ZERO).toString()),
            Map.entry("read-routing.fallback", ReadRouting.DEFAULT.fallback().label()));

    /** The profile of a standard workload, over the base; nothing for any other name. */
    static Map<String, String> profile(String name) {
        return switch (name) {
            // The application's own traffic: the seed's 20 + 10 spread as 5 kept, 30 at most.
            case "main" -> Map.of("min-size", "5", "max-size", "30", "statement-timeout", "30s", "critical", "true");
            // Background workers: their own small pool so a job storm cannot starve requests.
            case "jobs" -> Map.of("min-size", "2", "max-size", "10", "statement-timeout", "5m");
            // Long read-only scans: few connections, a long limit, and never a write.
            case "analytics" -> Map.of("min-size", "1", "max-size", "5", "acquisition-timeout", "60s",
                    "statement-timeout", "5m", "read-only", "true");
            // Short, strict money movements: serializable, fail fast, and readiness depends on it.
            case "financial" -> Map.of("min-size", "5", "max-size", "15", "acquisition-timeout", "5s", "connect-timeout", "5s",
                    "statement-timeout", "10s", "transaction-isolation", IsolationLevel.SERIALIZABLE.configName(),
                    "critical", "true");
            default -> Map.of();
        };
    }
}
