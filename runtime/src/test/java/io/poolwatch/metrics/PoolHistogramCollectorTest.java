package io.poolwatch.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.pool.DurationHistogram;
import io.poolwatch.pool.PoolFactory;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.testing.TestConfigs;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;

/**
 * The pool histograms as Prometheus reads them, from a real pool (H2 in memory) after known traffic: both text formats
 * (0.0.4 and OpenMetrics) carry every histogram with cumulative buckets, {@code +Inf} equal to {@code _count}, and the
 * counts of what the pool did; the OpenTelemetry-named copies carry the same counts and go with the switch; the names
 * live beside Micrometer's in one registry, and a collision is refused when the collector is registered.
 */
class PoolHistogramCollectorTest {

    private static final int STATEMENTS = 25;
    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{([^}]*)\\} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private static WorkloadPool pool;

    @BeforeAll
    static void traffic() throws SQLException {
        ResolvedConfiguration config = TestConfigs
                .resolve(TestConfigs.only(Map.of("poolwatch.pools.main.url", "jdbc:h2:mem:histograms;DB_CLOSE_DELAY=-1"),
                        "main"), Map.of());
        pool = PoolFactory.create(config.pools().get(0), config.monitoring());
        for (int i = 0; i < STATEMENTS; i++) {
            try (Connection c = pool.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("SELECT " + i);
            }
        }
        // What the sampler does every interval: fold the timed checkouts and leases in, scaled to the exact counts.
        pool.recorder().takeCheckoutInterval(pool.recorder().counters().acquired());
        pool.recorder().takeLeaseInterval(pool.recorder().counters().returned());
        pool.statements().takeInterval(Duration.ofSeconds(1));
    }

    @AfterAll
    static void close() {
        if (pool != null) {
            pool.close();
        }
    }

    private static String scrape(PoolHistograms histograms, String contentType) throws Exception {
        CollectorRegistry registry = new CollectorRegistry(true);
        registry.register(new PoolHistogramCollector(histograms));
        StringWriter out = new StringWriter();
        TextFormat.writeFormat(contentType, out, registry.metricFamilySamples());
        return out.toString();
    }

    /** One series' samples: bucket counts by le in the order written, then count and sum. */
    private record Series(Map<String, Double> buckets, double count, double sum) {
    }

    /** The series of histogram {@code name} whose label {@code label} is {@code value}. */
    private static Series series(String scrape, String name, String label, String value) {
        Map<String, Double> buckets = new LinkedHashMap<>();
        double count = Double.NaN;
        double sum = Double.NaN;
        for (String line : scrape.lines().toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches() || !m.group(2).contains(label + "=\"" + value + "\"")) {
                continue;
            }
            double v = Double.parseDouble(m.group(3));
            if (m.group(1).equals(name + "_bucket")) {
                Matcher l = LABEL.matcher(m.group(2));
                String le = null;
                while (l.find()) {
                    if (l.group(1).equals("le")) {
                        le = l.group(2);
                    }
                }
                buckets.put(le, v);
            } else if (m.group(1).equals(name + "_count")) {
                count = v;
            } else if (m.group(1).equals(name + "_sum")) {
                sum = v;
            }
        }
        return new Series(buckets, count, sum);
    }

    private static void wellFormed(String name, Series s) {
        assertEquals(DurationHistogram.BOUNDS_SECONDS.length + 1, s.buckets().size(),
                name + ": every bucket: " + s.buckets().keySet());
        List<String> le = new ArrayList<>(s.buckets().keySet());
        assertEquals("+Inf", le.get(le.size() - 1), name);
        double prior = 0;
        double priorBound = 0;
        for (Map.Entry<String, Double> b : s.buckets().entrySet()) {
            assertTrue(b.getValue() >= prior, name + ": cumulative buckets never fall: " + s.buckets());
            double bound = b.getKey().equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(b.getKey());
            assertTrue(bound > priorBound, name + ": bounds ascend: " + s.buckets().keySet());
            prior = b.getValue();
            priorBound = bound;
        }
        assertEquals(s.count(), s.buckets().get("+Inf"), name + ": +Inf is _count");
        assertTrue(s.sum() >= 0, name + " _sum " + s.sum());
    }

    @Test
    void theTextFormatHasEveryHistogramWithCumulativeBucketsAndTheCountsOfWhatThePoolDid() throws Exception {
        String scrape = scrape(new PoolHistograms(() -> List.of(pool), true), TextFormat.CONTENT_TYPE_004);
        for (String name : List.of(MetricNames.CHECKOUT_DURATION, MetricNames.LEASE_DURATION, MetricNames.STATEMENT_DURATION,
                MetricNames.CONNECTION_CREATE_DURATION)) {
            assertTrue(scrape.contains("# TYPE " + name + " histogram\n"), name + " in\n" + scrape);
            Series s = series(scrape, name, "pool", "main");
            wellFormed(name, s);
            assertTrue(scrape.contains(name + "_count{pool=\"main\",role=\"primary\",workload=\"main\",} "),
                    "labels pool, role, workload:\n" + scrape);
        }
        long acquired = pool.recorder().counters().acquired();
        assertTrue(acquired >= STATEMENTS, "acquisitions " + acquired);
        assertEquals(acquired, series(scrape, MetricNames.CHECKOUT_DURATION, "pool", "main").count(),
                "every checkout is counted");
        assertEquals(pool.recorder().counters().returned(), series(scrape, MetricNames.LEASE_DURATION, "pool", "main").count());
        long statements = pool.statements().statements();
        assertTrue(statements >= STATEMENTS, "statements " + statements);
        assertEquals(statements, series(scrape, MetricNames.STATEMENT_DURATION, "pool", "main").count(),
                "every statement is counted");
        assertEquals(pool.recorder().counters().created(),
                series(scrape, MetricNames.CONNECTION_CREATE_DURATION, "pool", "main").count(),
                "every connection opened");
        assertTrue(pool.recorder().counters().created() >= 1);
        // The le values are written as Micrometer writes a timer's: 0.0001 as 1.0E-4, 2 as 2.0.
        assertTrue(scrape.contains("le=\"1.0E-4\"") && scrape.contains("le=\"2.0\"") && scrape.contains("le=\"30.0\""), scrape);
    }

    @Test
    void theSemanticConventionCopiesCarryTheSameCountsUnderOpenTelemetrysNames() throws Exception {
        String scrape = scrape(new PoolHistograms(() -> List.of(pool), true), TextFormat.CONTENT_TYPE_004);
        Map<String, String> twins = Map.of("db_client_connection_wait_time_seconds", MetricNames.CHECKOUT_DURATION,
                "db_client_connection_use_time_seconds", MetricNames.LEASE_DURATION, "db_client_connection_create_time_seconds",
                MetricNames.CONNECTION_CREATE_DURATION);
        for (Map.Entry<String, String> twin : twins.entrySet()) {
            assertTrue(scrape.contains("# TYPE " + twin.getKey() + " histogram\n"), twin.getKey());
            Series otel = series(scrape, twin.getKey(), "db_client_connection_pool_name", "main");
            wellFormed(twin.getKey(), otel);
            Series own = series(scrape, twin.getValue(), "pool", "main");
            assertEquals(own.buckets(), otel.buckets(), twin.getKey() + " = " + twin.getValue());
            assertEquals(own.count(), otel.count());
            assertTrue(scrape.contains(twin.getKey() + "_count{db_client_connection_pool_name=\"main\",} "),
                    "its only label:\n" + scrape);
        }

        String without = scrape(new PoolHistograms(() -> List.of(pool), false), TextFormat.CONTENT_TYPE_004);
        assertFalse(without.contains("db_client_connection"), without);
        assertTrue(without.contains(MetricNames.CHECKOUT_DURATION + "_bucket{"), without);
        assertEquals(7, new PoolHistograms(() -> List.of(pool), true).names().size());
        assertEquals(4, new PoolHistograms(() -> List.of(pool), false).names().size());
    }

    @Test
    void openMetricsHasTheSameHistograms() throws Exception {
        String scrape = scrape(new PoolHistograms(() -> List.of(pool), true), TextFormat.CONTENT_TYPE_OPENMETRICS_100);
        assertTrue(scrape.endsWith("# EOF\n"), scrape);
        for (String name : List.of(MetricNames.CHECKOUT_DURATION, MetricNames.LEASE_DURATION, MetricNames.STATEMENT_DURATION,
                MetricNames.CONNECTION_CREATE_DURATION, "db_client_connection_wait_time_seconds")) {
            assertTrue(scrape.contains("# TYPE " + name + " histogram\n"), name + " in\n" + scrape);
        }
        Series statements = series(scrape, MetricNames.STATEMENT_DURATION, "pool", "main");
        wellFormed(MetricNames.STATEMENT_DURATION, statements);
        assertEquals(pool.statements().statements(), statements.count());
    }

    @Test
    void theHistogramsLiveBesideMicrometersMetersInOneRegistry() throws Exception {
        CollectorRegistry registry = new CollectorRegistry(true);
        PrometheusMeterRegistry micrometer = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, registry, Clock.SYSTEM);
        Tags tags = Tags.of(MetricNames.POOL, "main", MetricNames.WORKLOAD, "main", MetricNames.ROLE, "primary");
        // The meters whose names come nearest: the quantile gauges and the statement-time counter.
        Gauge.builder(MetricNames.CHECKOUT, () -> 0.1).tags(tags.and(MetricNames.QUANTILE, "0.95")).register(micrometer);
        Gauge.builder(MetricNames.CHECKOUT_MAX, () -> 0.2).tags(tags).register(micrometer);
        FunctionCounter.builder(MetricNames.STATEMENT_SECONDS, pool, p -> 1.5).tags(tags).baseUnit("seconds")
                .register(micrometer);
        registry.register(new PoolHistogramCollector(new PoolHistograms(() -> List.of(pool), true)));
        // A meter registered after the collector: Micrometer's lazily created collectors are checked against it too.
        Gauge.builder(MetricNames.LEASE, () -> 0.3).tags(tags.and(MetricNames.QUANTILE, "0.95")).register(micrometer);
        String scrape = micrometer.scrape();
        for (String line : List.of("poolwatch_pool_checkout_seconds{", "poolwatch_pool_checkout_max_seconds{",
                "poolwatch_pool_statement_seconds_total{",
                "poolwatch_pool_lease_seconds{", "poolwatch_pool_checkout_duration_seconds_bucket{",
                "poolwatch_pool_statement_duration_seconds_sum{")) {
            assertTrue(scrape.contains("\n" + line), line + " in\n" + scrape);
        }

        // A Micrometer timer under the semantic-convention name takes it first: the collector is refused as a whole.
        CollectorRegistry taken = new CollectorRegistry(true);
        PrometheusMeterRegistry other = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, taken, Clock.SYSTEM);
        Timer.builder(MetricNames.OTEL_WAIT_TIME).tag(MetricNames.OTEL_POOL_NAME, "main").register(other);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> taken.register(new PoolHistogramCollector(new PoolHistograms(() -> List.of(pool), true))));
        assertTrue(refused.getMessage().contains("db_client_connection_wait_time_seconds"), refused.getMessage());
        taken.register(new PoolHistogramCollector(new PoolHistograms(() -> List.of(pool), false)));
    }

    @Test
    void eachSeriesBucketLabelValuesAreMadeOnceAndAScrapeReadsTheSameTextTwice() throws Exception {
        PoolHistograms histograms = new PoolHistograms(() -> List.of(pool), true);
        PoolHistogramCollector collector = new PoolHistogramCollector(histograms);
        List<String> labels = List.of("main", "primary", "main");
        List<List<String>> first = collector.bucketValues(labels);
        assertEquals(DurationHistogram.BOUNDS_SECONDS.length + 1, first.size());
        assertEquals(List.of("main", "primary", "main", "+Inf"), first.get(first.size() - 1));
        assertEquals(List.of("main", "primary", "main", "1.0E-4"), first.get(0));
        assertTrue(first == collector.bucketValues(List.of("main", "primary", "main")),
                "the second reading reuses the first's lists");
        for (int i = 0; i < PoolHistogramCollector.MAX_CACHED_SERIES + 5; i++) {
            collector.bucketValues(List.of("p" + i));
        }
        assertEquals(List.of("p1", "+Inf"), collector.bucketValues(List.of("p1")).get(DurationHistogram.BOUNDS_SECONDS.length));

        String once = scrape(histograms, TextFormat.CONTENT_TYPE_004);
        assertEquals(once, scrape(histograms, TextFormat.CONTENT_TYPE_004), "nothing of one scrape leaks into the next");
    }
}
