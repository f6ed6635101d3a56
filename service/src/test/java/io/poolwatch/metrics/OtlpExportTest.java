package io.poolwatch.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.poolwatch.pool.DurationHistogram;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.OtlpReceiver;
import io.poolwatch.testing.OtlpReceiverTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The pool figures sent over OTLP/HTTP to a real receiver on loopback, decoded with OpenTelemetry's protocol classes:
 * all nine db.client.connection.* metrics under their semantic-convention names, units and kinds, one point per pool
 * (and state), the histograms with DurationHistogram's bounds, and values that move with real traffic on the test
 * PostgreSQL. Export is on through the one run-time key quarkus.otel.sdk.disabled=false ({@link OtlpReceiverTestResource}).
 */
@QuarkusTest
@WithTestResource(OtlpReceiverTestResource.class)
class OtlpExportTest {

    static final List<String> NINE = List.of(MetricNames.OTEL_COUNT, MetricNames.OTEL_MAX, MetricNames.OTEL_IDLE_MAX,
            MetricNames.OTEL_IDLE_MIN, MetricNames.OTEL_PENDING_REQUESTS, MetricNames.OTEL_TIMEOUTS,
            MetricNames.OTEL_CREATE_TIME,
            MetricNames.OTEL_WAIT_TIME, MetricNames.OTEL_USE_TIME);
    static final List<String> POOLS = List.of("main", "jobs", "analytics", "financial");
    private static final Pattern OTEL_TROUBLE = Pattern.compile("(?i)(ERROR|WARN).*(opentelemetry|otel|otlp|export)");

    /** Injected by {@link OtlpReceiverTestResource}. */
    OtlpReceiver receiver;

    @Inject
    PoolRegistry registry;

    @Inject
    PoolSampler sampler;

    private static Map<String, String> pool(String name) {
        return Map.of(MetricNames.OTEL_POOL_NAME, name);
    }

    private static Map<String, String> state(String name, String state) {
        return Map.of(MetricNames.OTEL_POOL_NAME, name, MetricNames.OTEL_STATE, state);
    }

    private ExportMetricsServiceRequest newestWithAllNine() throws InterruptedException {
        Await.until("a request with all nine db.client.connection.* metrics",
                () -> OtlpPoints.newestWith(receiver.requests(), NINE).isPresent());
        return OtlpPoints.newestWith(receiver.requests(), NINE).orElseThrow();
    }

    /** Lines of the application's log that say OpenTelemetry or its export had a problem. */
    static List<String> otelTrouble(Path log) throws IOException {
        return otelTrouble(Files.readString(log));
    }

    static List<String> otelTrouble(String log) {
        return log.lines().filter(l -> OTEL_TROUBLE.matcher(l).find()).toList();
    }

    @Test
    void everyFigureArrivesUnderItsSemanticConventionNameWithItsUnitAndKind() throws Exception {
        ExportMetricsServiceRequest request = newestWithAllNine();
        for (String name : NINE) {
            List<OtlpPoints.Found> found = OtlpPoints.metrics(request, name);
            assertEquals(1, found.size(), name + " once");
            assertEquals("io.poolwatch", found.get(0).scope(), name + "'s instrumentation scope");
        }

        Metric count = OtlpPoints.metric(request, MetricNames.OTEL_COUNT).orElseThrow();
        assertUpDownCounter(count, "{connection}");
        for (String p : POOLS) {
            assertTrue(OtlpPoints.number(count, state(p, "used")).isPresent(), p + " used");
            assertTrue(OtlpPoints.number(count, state(p, "idle")).isPresent(), p + " idle");
        }
        assertEquals(POOLS.size() * 2, count.getSum().getDataPointsCount(), "one point per pool and state");

        Metric max = OtlpPoints.metric(request, MetricNames.OTEL_MAX).orElseThrow();
        Metric idleMax = OtlpPoints.metric(request, MetricNames.OTEL_IDLE_MAX).orElseThrow();
        Metric idleMin = OtlpPoints.metric(request, MetricNames.OTEL_IDLE_MIN).orElseThrow();
        Metric pending = OtlpPoints.metric(request, MetricNames.OTEL_PENDING_REQUESTS).orElseThrow();
        assertUpDownCounter(max, "{connection}");
        assertUpDownCounter(idleMax, "{connection}");
        assertUpDownCounter(idleMin, "{connection}");
        assertUpDownCounter(pending, "{request}");
        // PostgresTestResource: jobs 1..3; analytics keeps its built-in 1..5.
        assertEquals(3, OtlpPoints.value(OtlpPoints.number(max, pool("jobs")).orElseThrow()));
        assertEquals(3, OtlpPoints.value(OtlpPoints.number(idleMax, pool("jobs")).orElseThrow()));
        assertEquals(1, OtlpPoints.value(OtlpPoints.number(idleMin, pool("jobs")).orElseThrow()));
        assertEquals(5, OtlpPoints.value(OtlpPoints.number(max, pool("analytics")).orElseThrow()));
        assertEquals(0, OtlpPoints.value(OtlpPoints.number(pending, pool("main")).orElseThrow()));

        Metric timeouts = OtlpPoints.metric(request, MetricNames.OTEL_TIMEOUTS).orElseThrow();
        assertTrue(timeouts.hasSum(), "timeouts is a sum");
        assertTrue(timeouts.getSum().getIsMonotonic(), "timeouts is a counter");
        assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, timeouts.getSum().getAggregationTemporality());
        assertEquals("{timeout}", timeouts.getUnit());
        assertTrue(OtlpPoints.number(timeouts, pool("financial")).isPresent());

        List<Double> bounds = Arrays.stream(DurationHistogram.BOUNDS_SECONDS).boxed().toList();
        for (String name : List.of(MetricNames.OTEL_WAIT_TIME, MetricNames.OTEL_USE_TIME, MetricNames.OTEL_CREATE_TIME)) {
            Metric h = OtlpPoints.metric(request, name).orElseThrow();
            assertTrue(h.hasHistogram(), name + " is a histogram");
            assertEquals("s", h.getUnit(), name + "'s unit");
            assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                    h.getHistogram().getAggregationTemporality());
            assertEquals(POOLS.size(), h.getHistogram().getDataPointsCount(), name + ": one point per pool");
            for (String p : POOLS) {
                HistogramDataPoint point = OtlpPoints.histogram(h, pool(p)).orElseThrow();
                assertEquals(bounds, point.getExplicitBoundsList(), name + " " + p + ": DurationHistogram's bounds");
                assertEquals(bounds.size() + 1, point.getBucketCountsCount(), name + " " + p + ": a bucket per bound and +Inf");
                assertEquals(point.getCount(), point.getBucketCountsList().stream().mapToLong(Long::longValue).sum(),
                        name + " " + p + ": the buckets add up to the count");
                assertTrue(point.getStartTimeUnixNano() > 0 && point.getStartTimeUnixNano() <= point.getTimeUnixNano(),
                        name + " " + p + ": a cumulative series' start");
            }
        }
        // jobs keeps one connection open from the start: its opening was timed.
        Metric create = OtlpPoints.metric(request, MetricNames.OTEL_CREATE_TIME).orElseThrow();
        assertTrue(OtlpPoints.histogram(create, pool("jobs")).orElseThrow().getCount() >= 1);

        assertEquals(0, receiver.undecodable());
        assertEquals(List.of(), otelTrouble(OtlpReceiverTestResource.logFile(true)));
    }

    private static void assertUpDownCounter(Metric m, String unit) {
        assertTrue(m.hasSum(), m.getName() + " is a sum");
        assertFalse(m.getSum().getIsMonotonic(), m.getName() + " is an up-down counter");
        assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, m.getSum().getAggregationTemporality());
        assertEquals(unit, m.getUnit(), m.getName() + "'s unit");
    }

    @Test
    void trafficOnAPoolMovesItsExportedFigures() throws Exception {
        newestWithAllNine();
        sampler.sampleNow();
        awaitFreshExport();
        double timeoutsBefore = newest(MetricNames.OTEL_TIMEOUTS, pool("jobs"));
        long waitsBefore = newestHistogramCount(MetricNames.OTEL_WAIT_TIME);
        long usesBefore = newestHistogramCount(MetricNames.OTEL_USE_TIME);

        DataSource jobs = registry.dataSource("jobs");
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(jobs.getConnection());
            }
            Await.until("3 jobs connections used, exported",
                    () -> newestValue(MetricNames.OTEL_COUNT, state("jobs", "used")) == 3.0);
            // All three out: the next caller gives up after jobs' 300 ms acquisition timeout.
            assertThrows(SQLException.class, jobs::getConnection);
            Await.until("the timeout exported",
                    () -> newestValue(MetricNames.OTEL_TIMEOUTS, pool("jobs")) == timeoutsBefore + 1);
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        Await.until("none used, exported", () -> newestValue(MetricNames.OTEL_COUNT, state("jobs", "used")) == 0.0);

        // Checkout and lease times reach the histograms when the pool is sampled.
        sampler.sampleNow();
        awaitFreshExport();
        Await.until("the checkouts in wait_time", () -> newestHistogramCount(MetricNames.OTEL_WAIT_TIME) >= waitsBefore + 3);
        Await.until("the leases in use_time", () -> newestHistogramCount(MetricNames.OTEL_USE_TIME) >= usesBefore + 3);
        HistogramDataPoint waits = OtlpPoints.newestHistogram(receiver.requests(), MetricNames.OTEL_WAIT_TIME, pool("jobs"))
                .orElseThrow();
        assertTrue(waits.getSum() > 0, "the checkouts took time");
        assertEquals(0, receiver.undecodable());
    }

    /** Waits for two more exports: the newest request was then collected after this call. */
    private void awaitFreshExport() throws InterruptedException {
        int seen = receiver.received();
        Await.until("two more exports", () -> receiver.received() >= seen + 2);
    }

    private double newest(String name, Map<String, String> attributes) {
        return OtlpPoints.newestValue(receiver.requests(), name, attributes).orElseThrow();
    }

    private double newestValue(String name, Map<String, String> attributes) {
        Optional<Double> v = OtlpPoints.newestValue(receiver.requests(), name, attributes);
        return v.orElse(Double.NaN);
    }

    private long newestHistogramCount(String name) {
        return OtlpPoints.newestHistogram(receiver.requests(), name, pool("jobs")).map(HistogramDataPoint::getCount)
                .orElse(-1L);
    }
}
