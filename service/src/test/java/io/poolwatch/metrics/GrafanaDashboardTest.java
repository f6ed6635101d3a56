package io.poolwatch.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.poolwatch.alerting.AlertRule;
import io.poolwatch.testing.PostgresTestResource;
import io.poolwatch.testing.TestDatabases;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The Grafana dashboard in {@code kubernetes/grafana} against a real scrape: every metric its queries use exists in
 * poolwatch's {@code /q/metrics} (with the label values they select), and every threshold line it draws is the
 * default of the built-in rule it names. A renamed metric or a changed default fails here, not on someone's screen.
 */
@QuarkusTest
@TestProfile(GrafanaDashboardTest.WithAReplica.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class GrafanaDashboardTest {

    static final Path DASHBOARD = Path.of("../kubernetes/grafana/poolwatch-dashboard.json");
    static final Path RULES = Path.of("../kubernetes/base/prometheusrule.yaml");
    private static final Pattern METRIC = Pattern.compile("\\b(poolwatch_[a-z0-9_]+)(\\{[^}]*\\})?");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"$]*)\"");
    /** The rule a panel's threshold line stands for, by its title's ending. */
    private static final Pattern RULE_IN_TITLE = Pattern.compile("against the ([a-z-]+) threshold$");
    private static final Pattern COMPARISON = Pattern.compile("(>=|>)\\s*([0-9.]+)\\s*$");

    /** A read replica (the same database) and a check, so the replica and check metrics are in the scrape. */
    public static class WithAReplica implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("DB_READ_REPLICAS", TestDatabases.postgres().seedUrl(),
                    "poolwatch.consistency.checks.grafana.kind", "sql",
                    "poolwatch.consistency.checks.grafana.sql", "SELECT 0",
                    "poolwatch.consistency.checks.grafana.schedule", "1h",
                    "poolwatch.consistency.initial-delay", "0s");
        }
    }

    static List<String> expressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                out.add(t.path("expr").asText());
            }
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                out.add(v.path("query").asText());
            }
        }
        return out;
    }

    @Test
    void everyMetricTheDashboardQueriesIsInARealScrape() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        String scrape = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        List<String> exprs = expressions(dashboard);
        assertTrue(exprs.size() >= 20, "the dashboard's queries were read: " + exprs.size());
        Set<String> observed = ObservedMeters.prometheusNames();
        Set<String> used = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        for (String expr : exprs) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                String name = m.group(1);
                used.add(name);
                if (!Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(scrape).find()) {
                    // Applications, PgBouncers and blocking have no meters in this scrape (none is defined or answers).
                    if (!observed.contains(name)) {
                        missing.add(name + " (in " + expr + ")");
                    }
                    continue;
                }
                if (m.group(2) != null) {
                    Matcher l = LABEL.matcher(m.group(2));
                    while (l.find()) {
                        String sample = "(?m)^" + Pattern.quote(name) + "\\{[^}]*"
                                + Pattern.quote(l.group(1) + "=\"" + l.group(2) + "\"");
                        if (!Pattern.compile(sample).matcher(scrape).find()) {
                            missing.add(name + " with " + l.group(1) + "=\"" + l.group(2) + "\" (in " + expr + ")");
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), missing);
        for (String needed : List.of("poolwatch_pool_utilization_ratio", "poolwatch_pool_checkout_duration_seconds_bucket",
                "poolwatch_pool_lease_duration_seconds_bucket", "poolwatch_pool_statement_duration_seconds_bucket",
                "poolwatch_pool_connection_create_duration_seconds_bucket", "poolwatch_pool_leaks_current",
                "poolwatch_pool_statements_slow_total", "poolwatch_server_sessions_total", "poolwatch_server_max_connections",
                "poolwatch_check_violations", "poolwatch_alerts", "poolwatch_replica_lag_seconds",
                "poolwatch_application_sessions_state",
                "poolwatch_application_utilization_ratio", "poolwatch_application_idle_in_transaction_oldest_seconds",
                "poolwatch_pgbouncer_clients_waiting", "poolwatch_pgbouncer_max_wait_seconds",
                "poolwatch_pgbouncer_transactions_per_second",
                "poolwatch_pgbouncer_client_connection_use_ratio", "poolwatch_pgbouncer_up",
                "poolwatch_blocking_sessions_blocked",
                "poolwatch_blocking_longest_wait_seconds", "poolwatch_deadlocks_total")) {
            assertTrue(used.contains(needed), "the dashboard shows " + needed + ": " + used);
        }
    }

    /**
     * Percentiles are drawn from the histograms, buckets summed over the selected pods before the percentile is taken,
     * never from the per-pod quantile gauges, which cannot be combined across pods.
     */
    @Test
    void percentilesComeFromHistogramBucketsSummedOverThePods() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        Pattern fleet = Pattern.compile("^histogram_quantile\\(0\\.\\d+, sum by \\(le, workload\\) "
                + "\\(rate\\((poolwatch_pool_[a-z_]+_duration_seconds)_bucket\\{[^}]*\\}\\[\\$__rate_interval\\]\\)\\)\\)$");
        Set<String> histograms = new TreeSet<>();
        for (String expr : expressions(dashboard)) {
            assertTrue(!expr.contains("quantile=\""), "a per-pod quantile gauge: " + expr);
            if (expr.contains("histogram_quantile") || expr.contains("_bucket")) {
                Matcher m = fleet.matcher(expr);
                assertTrue(m.matches(), "a percentile over the pods' summed buckets: " + expr);
                histograms.add(m.group(1));
            }
        }
        assertEquals(Set.of(MetricNames.CHECKOUT_DURATION, MetricNames.LEASE_DURATION, MetricNames.STATEMENT_DURATION,
                MetricNames.CONNECTION_CREATE_DURATION), histograms);
    }

    @Test
    void everyThresholdLineIsTheBuiltInRulesDefault() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        Map<String, AlertRule> byTitle = Map.of("against the pool-utilization threshold", AlertRule.POOL_UTILIZATION,
                "against the checkout-time threshold", AlertRule.CHECKOUT_TIME, "against the error-rate threshold",
                AlertRule.ERROR_RATE,
                "against the server-connections threshold", AlertRule.SERVER_CONNECTIONS,
                "against the idle-in-transaction threshold", AlertRule.IDLE_IN_TRANSACTION, "against the replica-lag threshold",
                AlertRule.REPLICA_LAG);
        Map<String, Double> shipped = prometheusRuleThresholds();
        int checked = 0;
        Set<String> named = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            Matcher rule = RULE_IN_TITLE.matcher(title);
            if (!rule.find()) {
                continue;
            }
            String label = rule.group(1);
            named.add(label);
            double line = panel.path("fieldConfig").path("defaults").path("thresholds").path("steps").get(1).path("value")
                    .asDouble();
            // Every line is the shipped PrometheusRule's threshold for the rule it names, which KubernetesManifestsTest
            // holds against the built-in rule's default; where AlertRule has the rule, against that too.
            assertTrue(shipped.containsKey(label),
                    title + ": the PrometheusRule has a rule with poolwatch_rule=" + label + ": " + shipped.keySet());
            assertEquals(shipped.get(label), line, 1e-9, title + " (PrometheusRule)");
            AlertRule.of(label).ifPresent(r -> assertEquals(r.defaultThreshold(), line, 1e-9, title + " (AlertRule)"));
            if (byTitle.entrySet().stream().anyMatch(e -> title.endsWith(e.getKey()) && e.getValue().label().equals(label))) {
                checked++;
            }
        }
        assertEquals(byTitle.size(), checked, "every rule's panel was found");
        for (String observedRule : List.of("application-sessions", "application-idle-in-transaction",
                "pgbouncer-clients-waiting",
                "pgbouncer-max-wait", "blocked-sessions", "deadlocks")) {
            assertTrue(named.contains(observedRule), "a panel draws the " + observedRule + " threshold: " + named);
        }
    }

    /** poolwatch_rule label to the number its expression compares against, from the shipped PrometheusRule. */
    static Map<String, Double> prometheusRuleThresholds() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
        Map<String, Double> out = new TreeMap<>();
        for (JsonNode group : doc.path("spec").path("groups")) {
            for (JsonNode r : group.path("rules")) {
                String label = r.path("labels").path("poolwatch_rule").asText("");
                Matcher m = COMPARISON.matcher(r.path("expr").asText().trim());
                if (!label.isEmpty() && m.find()) {
                    out.put(label, Double.parseDouble(m.group(2)));
                }
            }
        }
        return out;
    }
}
