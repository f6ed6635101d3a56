package io.poolwatch.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.poolwatch.pool.DurationHistogram;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The pool histograms in the service's real {@code /q/metrics}, on the test PostgreSQL: after N statements and N
 * checkouts on one pool, {@code _count} rose by N; in both of Prometheus's text formats every series has every bucket,
 * cumulative and never falling, with {@code +Inf} equal to {@code _count}; and the histograms take no name from any of
 * Micrometer's meters (each of which is still in the scrape).
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class PoolHistogramsScrapeTest {

    private static final int N = 40;
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";
    /** A sample line of either format: name, labels (0.0.4 ends them with a comma), value. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)\\} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final List<String> HISTOGRAMS = List.of(MetricNames.CHECKOUT_DURATION, MetricNames.LEASE_DURATION,
            MetricNames.STATEMENT_DURATION, MetricNames.CONNECTION_CREATE_DURATION, "db_client_connection_wait_time_seconds",
            "db_client_connection_use_time_seconds", "db_client_connection_create_time_seconds");

    @Inject
    PoolRegistry registry;

    @Inject
    PoolSampler sampler;

    @Inject
    MeterRegistry meters;

    @Inject
    PrometheusHistograms prometheus;

    private static String scrape(String accept) {
        return given().accept(accept).when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** One series: its labels without le, its buckets by le in the order written, its count and sum. */
    private record Series(Map<String, Double> buckets, double count, double sum) {
    }

    /** Every series of histogram {@code name}, by its labels other than le. */
    private static Map<Map<String, String>, Series> histogram(String scrape, String name) {
        Map<Map<String, String>, Map<String, Double>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new HashMap<>();
        Map<Map<String, String>, Double> sums = new HashMap<>();
        for (String line : scrape.lines().toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches() || !m.group(1).startsWith(name + "_")) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            Matcher l = LABEL.matcher(m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            double value = Double.parseDouble(m.group(3));
            String suffix = m.group(1).substring(name.length());
            if (suffix.equals("_bucket")) {
                String le = labels.remove("le");
                buckets.computeIfAbsent(labels, k -> new LinkedHashMap<>()).put(le, value);
            } else if (suffix.equals("_count")) {
                counts.put(labels, value);
            } else if (suffix.equals("_sum")) {
                sums.put(labels, value);
            }
        }
        Map<Map<String, String>, Series> out = new LinkedHashMap<>();
        buckets.forEach((labels, b) -> out.put(labels,
                new Series(b, counts.getOrDefault(labels, Double.NaN), sums.getOrDefault(labels, Double.NaN))));
        return out;
    }

    private static double count(String scrape, String name, String pool) {
        return histogram(scrape, name).get(Map.of("pool", pool, "role", "primary", "workload", pool)).count();
    }

    @Test
    void nStatementsAndNCheckoutsRaiseTheirCountsByN() throws Exception {
        DataSource analytics = registry.dataSource("analytics");
        // A connection open before counting, so no connection's own set-up statements fall into the count.
        try (Connection c = analytics.getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT 1");
        }
        sampler.sampleNow();
        String before = scrape(OPENMETRICS);
        try (Connection c = analytics.getConnection(); Statement st = c.createStatement()) {
            for (int i = 0; i < N; i++) {
                try (ResultSet rs = st.executeQuery("SELECT " + i)) {
                    rs.next();
                }
            }
        }
        for (int i = 1; i < N; i++) {
            analytics.getConnection().close();
        }
        // Checkouts, leases and statements reach their histograms at the next sample.
        sampler.sampleNow();
        String after = scrape(OPENMETRICS);
        assertEquals(count(before, MetricNames.STATEMENT_DURATION, "analytics") + N,
                count(after, MetricNames.STATEMENT_DURATION, "analytics"));
        assertEquals(count(before, MetricNames.CHECKOUT_DURATION, "analytics") + N,
                count(after, MetricNames.CHECKOUT_DURATION, "analytics"));
        assertEquals(count(before, MetricNames.LEASE_DURATION, "analytics") + N,
                count(after, MetricNames.LEASE_DURATION, "analytics"));
        // The checkout count is the pool's acquisition counter, exactly (every checkout counted, not only the timed ones).
        Matcher acquired = Pattern.compile(
                "(?m)^poolwatch_pool_acquisitions_total\\{pool=\"analytics\",role=\"primary\",workload=\"analytics\"\\} (\\S+)$")
                .matcher(after);
        assertTrue(acquired.find(), "poolwatch_pool_acquisitions_total of analytics");
        assertEquals(Double.parseDouble(acquired.group(1)), count(after, MetricNames.CHECKOUT_DURATION, "analytics"));
        // The OpenTelemetry-named copy has the same count.
        assertEquals(count(after, MetricNames.CHECKOUT_DURATION, "analytics"),
                histogram(after, "db_client_connection_wait_time_seconds")
                        .get(Map.of("db_client_connection_pool_name", "analytics")).count());
    }

    @Test
    void bothTextFormatsCarryEveryHistogramWithCumulativeBuckets() {
        int pools = registry.pools().size();
        for (String accept : List.of(OPENMETRICS, TEXT_004)) {
            String scrape = scrape(accept);
            for (String name : HISTOGRAMS) {
                assertTrue(scrape.contains("# TYPE " + name + " histogram\n"), accept + ": " + name);
                Map<Map<String, String>, Series> series = histogram(scrape, name);
                assertEquals(pools, series.size(), accept + ": one series per pool of " + name + ": " + series.keySet());
                series.forEach((labels, s) -> {
                    String what = accept + " " + name + labels;
                    List<String> le = new ArrayList<>(s.buckets().keySet());
                    assertEquals(DurationHistogram.BOUNDS_SECONDS.length + 1, le.size(), what + " buckets " + le);
                    assertEquals("+Inf", le.get(le.size() - 1), what);
                    double prior = 0;
                    for (double v : s.buckets().values()) {
                        assertTrue(v >= prior, what + ": cumulative counts never fall: " + s.buckets());
                        prior = v;
                    }
                    assertEquals(s.count(), s.buckets().get("+Inf"), what + ": +Inf = _count");
                    assertTrue(s.sum() >= 0, what + " _sum");
                });
            }
            // Opened connections are in the creation histogram (every pool keeps at least one open here).
            assertTrue(count(scrape, MetricNames.CONNECTION_CREATE_DURATION, "main") >= 1, accept);
        }
        assertEquals(1, prometheus.joined().size(), "the collector joined the one Prometheus registry");
    }

    @Test
    void theHistogramsTakeNoNameFromMicrometersMeters() {
        String scrape = scrape(OPENMETRICS);
        Set<String> families = new TreeSet<>();
        List<String> twice = new ArrayList<>();
        for (String line : scrape.lines().toList()) {
            if (line.startsWith("# TYPE ")) {
                String family = line.split(" ")[2];
                if (!families.add(family)) {
                    twice.add(family);
                }
            }
        }
        assertEquals(List.of(), twice, "families written twice");
        // Every poolwatch meter Micrometer holds is in the scrape: none lost its name to a histogram.
        List<String> missing = new ArrayList<>();
        for (Meter m : meters.getMeters()) {
            String name = m.getId().getName();
            if (!name.startsWith("poolwatch.")) {
                continue;
            }
            String prometheusName = name.replace('.', '_');
            if (!Pattern.compile("(?m)^" + Pattern.quote(prometheusName) + "(_total|_seconds)?[{ ]").matcher(scrape).find()) {
                missing.add(prometheusName);
            }
        }
        assertEquals(List.of(), missing, "meters not in the scrape");
        for (String name : HISTOGRAMS) {
            for (String family : families) {
                assertTrue(family.equals(name) || !(family.startsWith(name + "_") || name.startsWith(family + "_")),
                        "a family whose samples could be taken for " + name + "'s: " + family);
            }
        }
    }

    @Test
    void theSamplingReportsItsOwnCpuTimeAndSnapshots() {
        double cpuBefore = unlabelled(scrape(TEXT_004), "poolwatch_sampling_cpu_seconds_total");
        double snapshotsBefore = unlabelled(scrape(TEXT_004), "poolwatch_sampling_snapshots_total");
        for (int i = 0; i < 5; i++) {
            sampler.sampleNow();
        }
        String after = scrape(TEXT_004);
        int pools = registry.pools().size();
        assertTrue(unlabelled(after, "poolwatch_sampling_snapshots_total") >= snapshotsBefore + 5 * pools,
                "five runs took a snapshot of each of the " + pools + " pools");
        double cpu = unlabelled(after, "poolwatch_sampling_cpu_seconds_total");
        assertTrue(cpu > cpuBefore, "sampling took CPU time: " + cpuBefore + " -> " + cpu);
        assertTrue(cpu - cpuBefore < 5, "five runs of " + pools + " pools do not take seconds of CPU: " + (cpu - cpuBefore));
    }

    /** The value of a sample without labels ("name value"). */
    private static double unlabelled(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " "))
                .map(l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
                .findFirst().orElseThrow(() -> new AssertionError(name + " is not in the scrape"));
    }
}
