package io.poolwatch.config;

import java.time.Duration;
import java.util.List;
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

    /** Defaults shared by every pool; the seed guide's defaults where it has one (30s timeout, 1h recycle, pre-ping). */
    static PoolValues base(String name) {
        PoolValues v = new PoolValues();
        v.enabled = Optional.of(true);
        v.minSize = Optional.of(2);
        v.maxSize = Optional.of(10);
        v.acquisitionTimeout = Optional.of(Duration.ofSeconds(30));
        v.connectTimeout = Optional.of(Duration.ofSeconds(10));
        v.maxLifetime = Optional.of(Duration.ofHours(1));
        v.idleRemovalInterval = Optional.of(Duration.ofMinutes(5));
        v.validateOnBorrow = Optional.of(true);
        v.backgroundValidationInterval = Optional.of(Duration.ofMinutes(2));
        v.leakDetectionInterval = Optional.of(Duration.ofMinutes(5));
        v.transactionIsolation = Optional.of(IsolationLevel.READ_COMMITTED.configName());
        v.statementTimeout = Optional.of(Duration.ZERO);
        v.readOnly = Optional.of(false);
        v.applicationName = Optional.of("poolwatch-" + name);
        v.critical = Optional.of(false);
        v.echo = Optional.of(false);
        v.readRouting.strategy = Optional.of(ReadRouting.DEFAULT.strategy().label());
        v.readRouting.maxLag = ReadRouting.DEFAULT.maxLag();
        v.readRouting.fallback = Optional.of(ReadRouting.DEFAULT.fallback().label());
        return v;
    }

    /** The profile of a standard workload; empty values for any other name. */
    static PoolValues profile(String name) {
        PoolValues v = new PoolValues();
        switch (name) {
            case "main" -> {
                // The application's own traffic: the seed's 20 + 10 spread as 5 kept, 30 at most.
                v.minSize = Optional.of(5);
                v.maxSize = Optional.of(30);
                v.statementTimeout = Optional.of(Duration.ofSeconds(30));
                v.critical = Optional.of(true);
            }
            case "jobs" -> {
                // Background workers: their own small pool so a job storm cannot starve requests.
                v.minSize = Optional.of(2);
                v.maxSize = Optional.of(10);
                v.statementTimeout = Optional.of(Duration.ofMinutes(5));
            }
            case "analytics" -> {
                // Long read-only scans: few connections, a long limit, and never a write.
                v.minSize = Optional.of(1);
                v.maxSize = Optional.of(5);
                v.acquisitionTimeout = Optional.of(Duration.ofSeconds(60));
                v.statementTimeout = Optional.of(Duration.ofMinutes(5));
                v.readOnly = Optional.of(true);
            }
            case "financial" -> {
                // Short, strict money movements: serializable, fail fast, and readiness depends on it.
                v.minSize = Optional.of(5);
                v.maxSize = Optional.of(15);
                v.acquisitionTimeout = Optional.of(Duration.ofSeconds(5));
                v.connectTimeout = Optional.of(Duration.ofSeconds(5));
                v.statementTimeout = Optional.of(Duration.ofSeconds(10));
                v.transactionIsolation = Optional.of(IsolationLevel.SERIALIZABLE.configName());
                v.critical = Optional.of(true);
            }
            default -> {
            }
        }
        return v;
    }
}
