package io.poolwatch.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.poolwatch.observed.PgBouncerPool;
import io.poolwatch.observed.PgBouncerReading;
import io.poolwatch.observed.PgBouncerSampler;
import io.poolwatch.observed.PgBouncerSnapshot;

/** Pool meters follow the pools: registered as they appear, bounded, removed once gone for a while, NaN while down. */
class PgBouncerMetricsTest {

    private static PgBouncerPool pool(String db, int waiting) {
        return new PgBouncerPool(db, "u", "transaction", 1, waiting, 1, 0, 0, waiting > 0 ? 0.5 : 0, 0, 0, 0);
    }

    private static PgBouncerSnapshot up(List<PgBouncerPool> pools) {
        return new PgBouncerSnapshot("edge", "h:6432", Instant.now(), true, Optional.empty(), pools, 0, 3, OptionalInt.of(100),
                OptionalInt.of(20), Optional.empty());
    }

    private static Double waiting(SimpleMeterRegistry r, String db) {
        var g = r.find(MetricNames.PGBOUNCER_CLIENTS_WAITING).tag(MetricNames.PGBOUNCER, "edge").tag(MetricNames.DATABASE, db)
                .gauge();
        return g == null ? null : g.value();
    }

    @Test
    void poolMetersComeWithTheirPoolAndGoAfterItHasBeenMissingForAWhile() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PgBouncerMetrics metrics = PgBouncerMetricsAccess.bind(registry,
                new PgBouncerSampler(null, List.of(), Duration.ofSeconds(1)));
        metrics.update(List.of(up(List.of(pool("a", 2), pool("b", 0)))));
        assertEquals(2.0, waiting(registry, "a"));
        assertEquals(0.0, waiting(registry, "b"));

        // b goes: its meters stay (NaN) for a while, then are removed.
        for (int i = 1; i < PgBouncerMetrics.GONE_AFTER_SAMPLES; i++) {
            metrics.update(List.of(up(List.of(pool("a", 0)))));
        }
        assertNotNull(waiting(registry, "b"));
        assertTrue(Double.isNaN(waiting(registry, "b")));
        metrics.update(List.of(up(List.of(pool("a", 0)))));
        assertNull(waiting(registry, "b"), "gone for " + PgBouncerMetrics.GONE_AFTER_SAMPLES + " samples");
        assertEquals(0.0, waiting(registry, "a"));
        assertEquals(1, metrics.poolsWithMeters());

        // Down: a's meters read NaN, and being down does not count as a's absence.
        for (int i = 0; i < PgBouncerMetrics.GONE_AFTER_SAMPLES * 2; i++) {
            metrics.update(List.of(PgBouncerReading.down("edge", "h:6432", Instant.now(), "cannot connect")));
        }
        assertTrue(Double.isNaN(waiting(registry, "a")));
        metrics.update(List.of(up(List.of(pool("a", 1)))));
        assertEquals(1.0, waiting(registry, "a"));
    }

    @Test
    void meteredPoolsAreBoundedPerPgBouncer() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PgBouncerMetrics metrics = PgBouncerMetricsAccess.bind(registry,
                new PgBouncerSampler(null, List.of(), Duration.ofSeconds(1)));
        List<PgBouncerPool> many = new ArrayList<>();
        for (int i = 0; i < PgBouncerMetrics.MAX_POOLS_WITH_METERS + 10; i++) {
            many.add(pool("db" + i, 0));
        }
        metrics.update(List.of(up(many)));
        assertEquals(PgBouncerMetrics.MAX_POOLS_WITH_METERS, metrics.poolsWithMeters());
    }
}
