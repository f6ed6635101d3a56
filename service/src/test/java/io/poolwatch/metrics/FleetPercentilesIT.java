package io.poolwatch.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.poolwatch.testing.PoolwatchProcess;
import io.poolwatch.testing.PrometheusServer;
import io.poolwatch.testing.TestDatabases;

/**
 * What the pool histograms are for: two packaged poolwatch processes on the test PostgreSQL, each with work on its
 * {@code main} pool (consistency checks every second), scraped every second by a real Prometheus, which then answers the
 * fleet's p95 checkout time, {@code histogram_quantile(0.95, sum by (le, workload) (rate(..._bucket[1m])))}, from both
 * processes' buckets at once. The fleet's p95 lies between the two processes' own, as a percentile of the two together
 * must; per-pod quantile gauges could not give it.
 */
class FleetPercentilesIT {

    private static final Duration START = Duration.ofSeconds(90);
    /** Start-up of both, the first samples and enough scrapes for rate() over 1m to see a rise. */
    private static final Duration ANSWER = Duration.ofSeconds(90);
    private static final String FLEET_P95 = "histogram_quantile(0.95, sum by (le, workload) "
            + "(rate(poolwatch_pool_checkout_duration_seconds_bucket{workload=\"main\"}[1m])))";
    private static final String POD_P95 = "histogram_quantile(0.95, sum by (le, instance) "
            + "(rate(poolwatch_pool_checkout_duration_seconds_bucket{workload=\"main\"}[1m])))";

    private static Map<String, String> properties(Path outbox) {
        Map<String, String> p = new HashMap<>();
        // Work on the main pool: checks that borrow a connection every second, in each process (their local outboxes
        // do not coordinate, so both run them).
        for (String check : List.of("one", "two", "three")) {
            p.put("poolwatch.consistency.checks." + check + ".kind", "sql");
            p.put("poolwatch.consistency.checks." + check + ".workload", "main");
            p.put("poolwatch.consistency.checks." + check + ".schedule", "1s");
            p.put("poolwatch.consistency.checks." + check + ".sql", "SELECT 0");
        }
        p.put("poolwatch.consistency.initial-delay", "0s");
        p.put("poolwatch.sampling.interval", "1s");
        p.put("poolwatch.alerting.outbox.path", outbox.toString());
        return p;
    }

    private static double value(JsonNode sample) {
        return Double.parseDouble(sample.path("value").get(1).asText());
    }

    @Test
    void prometheusAnswersTheP95CheckoutTimeOfTwoProcessesTogether() throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        Map<String, String> env = Map.of("DATABASE_URL", pg.seedUrl(), "DB_POOL_SIZE", "1", "DB_MAX_OVERFLOW", "2");
        Path outboxA = Files.createTempDirectory("fleet-a-");
        Path outboxB = Files.createTempDirectory("fleet-b-");
        try (PoolwatchProcess a = PoolwatchProcess.start(env, properties(outboxA));
                PoolwatchProcess b = PoolwatchProcess.start(env, properties(outboxB))) {
            a.startedWithin(START);
            b.startedWithin(START);
            String instanceA = "127.0.0.1:" + a.port();
            String instanceB = "127.0.0.1:" + b.port();
            try (PrometheusServer prometheus = PrometheusServer.builder().target(instanceA).target(instanceB).start()) {
                long deadline = System.nanoTime() + ANSWER.toNanos();
                JsonNode fleet = prometheus.query(FLEET_P95);
                JsonNode pods = prometheus.query(POD_P95);
                Instant at = Instant.now();
                // Both processes' checkouts in the window, so the fleet's answer is made of both.
                while (!(answered(fleet) && answered(pods) && pods.size() == 2)) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError(
                                "no p95 for both processes within " + ANSWER + ": fleet " + fleet + ", per process " + pods
                                        + "; targets: " + prometheus.targetErrors() + "\nprometheus: " + prometheus.log()
                                        + "\na: " + a.outputTail()
                                        + "\nb: " + b.outputTail());
                    }
                    Thread.sleep(500);
                    // Every query of one round is evaluated at the same instant, on the same samples.
                    at = Instant.now().minusSeconds(1);
                    fleet = prometheus.query(FLEET_P95, at);
                    pods = prometheus.query(POD_P95, at);
                }

                assertEquals(1, fleet.size(), "one series for workload main: " + fleet);
                assertEquals("main", fleet.get(0).path("metric").path("workload").asText());
                assertTrue(fleet.get(0).path("metric").path("instance").isMissingNode(), "summed over the instances: " + fleet);
                double p95 = value(fleet.get(0));
                assertTrue(Double.isFinite(p95) && p95 > 0 && p95 <= 30, "fleet p95 " + p95);

                List<Double> perPod = new ArrayList<>();
                List<String> instances = new ArrayList<>();
                for (JsonNode pod : pods) {
                    perPod.add(value(pod));
                    instances.add(pod.path("metric").path("instance").asText());
                }
                assertEquals(Set.of(instanceA, instanceB), Set.copyOf(instances), "one p95 per process: " + pods);
                // A percentile of two processes' checkouts together lies between each process's own.
                double low = perPod.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                double high = perPod.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                assertTrue(p95 >= low - 1e-12 && p95 <= high + 1e-12, "fleet p95 " + p95 + " between the processes' " + perPod);
                System.out.printf("fleet p95 checkout time of main: %.6f s; per process: %s%n", p95, perPod);

                JsonNode spanned = prometheus
                        .query("count(count by (instance) (poolwatch_pool_checkout_duration_seconds_count))", at);
                assertEquals(2, (int) value(spanned.get(0)), "both processes' histograms are in Prometheus: " + spanned);
                // The fleet's checkout rate is the two processes' together: the buckets were summed, not one of them taken.
                double fleetRate = value(prometheus
                        .query("sum(rate(poolwatch_pool_checkout_duration_seconds_count{workload=\"main\"}[1m]))", at).get(0));
                JsonNode podRates = prometheus.query(
                        "sum by (instance) (rate(poolwatch_pool_checkout_duration_seconds_count{workload=\"main\"}[1m]))", at);
                assertEquals(2, podRates.size(), podRates.toString());
                double sum = value(podRates.get(0)) + value(podRates.get(1));
                assertTrue(value(podRates.get(0)) > 0 && value(podRates.get(1)) > 0, "checkouts in both: " + podRates);
                assertEquals(sum, fleetRate, 1e-9 * Math.max(1, sum));
                // The OpenTelemetry-named copy answers the same.
                JsonNode otel = prometheus
                        .query("histogram_quantile(0.95, sum by (le) (rate(db_client_connection_wait_time_seconds_bucket"
                                + "{db_client_connection_pool_name=\"main\"}[1m])))", at);
                assertEquals(p95, value(otel.get(0)), 1e-9, "db_client_connection_wait_time_seconds: " + otel);
            }
            a.terminate(Duration.ofSeconds(30));
            b.terminate(Duration.ofSeconds(30));
        } finally {
            delete(outboxA);
            delete(outboxB);
        }
    }

    private static boolean answered(JsonNode result) {
        if (!result.isArray() || result.isEmpty()) {
            return false;
        }
        for (JsonNode r : result) {
            if (!Double.isFinite(value(r))) {
                return false;
            }
        }
        return true;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
