package io.poolwatch.web;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.poolwatch.config.PoolSettings;
import io.poolwatch.pool.PoolCounters;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.sampling.PoolSampler;

/**
 * A pool in the shape of the seed guide's {@code GET /api/v1/database/pool/status}, so its clients work unchanged.
 * Counts are since the pool's last reset; connection counts are live.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeedPoolStatus(
        @JsonProperty("pool_class") String poolClass,
        String pool,
        Metrics metrics,
        @JsonProperty("pool_config") Config poolConfig,
        Map<String, SeedPoolStatus> pools) {

    /** The pool_class value: every poolwatch pool is an Agroal pool. */
    public static final String POOL_CLASS = "AgroalConnectionPool";

    public record Metrics(Connections connections, Performance performance, Events events) {
    }

    /**
     * @param overflow open connections above the kept size (the seed's max_overflow in use)
     * @param failed failed acquisitions and failed connection attempts
     */
    public record Connections(long active, long idle, long total, long overflow, long failed) {
    }

    public record Performance(
            @JsonProperty("avg_connection_time_ms") double avgConnectionTimeMs,
            @JsonProperty("avg_query_time_ms") double avgQueryTimeMs,
            @JsonProperty("slow_queries") long slowQueries) {
    }

    public record Events(long checkouts, long checkins, long connects, long disconnects) {
    }

    /**
     * @param size connections kept (DB_POOL_SIZE)
     * @param maxOverflow extra connections allowed (DB_MAX_OVERFLOW)
     * @param timeout acquisition timeout in seconds
     * @param recycle max lifetime in seconds (-1: never)
     * @param prePing validate on borrow
     */
    public record Config(int size, @JsonProperty("max_overflow") int maxOverflow, double timeout, long recycle,
            @JsonProperty("pre_ping") boolean prePing) {
    }

    static SeedPoolStatus of(WorkloadPool pool, PoolSampler sampler, Map<String, SeedPoolStatus> others) {
        PoolSettings s = pool.settings();
        PoolSampler.Baseline base = sampler.baseline(pool.name());
        PoolCounters c = pool.recorder().counters().minus(base.counters());
        long active = pool.recorder().leased();
        long open = pool.recorder().open();
        long statements = pool.statements().statements() - base.statements();
        double avgQueryMs = statements == 0 ? 0 : (pool.statements().totalNanos() - base.statementNanos()) / 1e6 / statements;
        return new SeedPoolStatus(POOL_CLASS, pool.name(),
                new Metrics(
                        new Connections(active, Math.max(0, open - active), open, Math.max(0, open - s.minSize()),
                                c.failures() + c.creationFailures()),
                        new Performance(round(pool.recorder().checkoutMeanSinceReset()), round(avgQueryMs),
                                pool.statements().slowStatements() - base.slowStatements()),
                        new Events(c.acquired(), c.returned(), c.created(), c.destroyed())),
                new Config(s.minSize(), s.maxSize() - s.minSize(), s.acquisitionTimeout().toMillis() / 1000.0,
                        s.maxLifetime().isZero() ? -1 : s.maxLifetime().toSeconds(), s.validateOnBorrow()),
                others);
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
