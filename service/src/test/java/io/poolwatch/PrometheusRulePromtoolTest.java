package io.poolwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The shipped PrometheusRule ({@code kubernetes/base/prometheusrule.yaml}) through Prometheus's own {@code promtool}:
 * its expressions and templates parse ({@code check rules}), and the unit tests in
 * {@code prometheus/poolwatch-rules.test.yaml} fire each rule past its threshold and {@code for}, and not before
 * ({@code test rules}). Skipped where promtool is not installed (Debian's {@code prometheus} package has it).
 */
class PrometheusRulePromtoolTest {

    private static final Path RULES = Path.of("../kubernetes/base/prometheusrule.yaml");
    private static final String UNIT_TESTS = "prometheus/poolwatch-rules.test.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The groups whose every alert must have a case in the unit tests. */
    private static final Set<String> TESTED_GROUPS = Set.of("poolwatch.pgbouncers", "poolwatch.applications",
            "poolwatch.blocking");
    /** Alerts computed from histograms across pods, each with a promtool case of histogram series. */
    private static final Set<String> HISTOGRAM_ALERTS = Set.of("PoolwatchCheckoutTime");

    private static Path promtool;

    @BeforeAll
    static void promtoolIsThere() {
        promtool = Stream
                .concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)),
                        Stream.of("/usr/bin"))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, "promtool")).filter(Files::isExecutable).findFirst()
                .orElse(null);
        Assumptions.assumeTrue(promtool != null, "promtool is not installed (Debian: apt-get install prometheus)");
    }

    /** Runs promtool in {@code dir}; its exit code and output, bounded at 60 s. */
    private static String run(Path dir, String... args) throws IOException, InterruptedException {
        String[] command = Stream.concat(Stream.of(promtool.toString()), Stream.of(args)).toArray(String[]::new);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("promtool " + String.join(" ", args) + " did not finish within 60 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.exitValue() + "\n" + out;
        } finally {
            p.destroyForcibly();
        }
    }

    private static JsonNode rule(JsonNode spec, String alert) {
        for (JsonNode group : spec.path("groups")) {
            for (JsonNode r : group.path("rules")) {
                if (r.path("alert").asText().equals(alert)) {
                    return r;
                }
            }
        }
        throw new AssertionError("no rule " + alert);
    }

    @Test
    void theRulesParseAndTheirUnitTestsPass() throws Exception {
        JsonNode spec = YAML.readTree(RULES.toFile()).path("spec");
        Path dir = Files.createTempDirectory("promtool");
        try {
            // promtool reads plain rule files: the PrometheusRule's spec is one.
            YAML.writeValue(dir.resolve("rules.yaml").toFile(), spec);
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(UNIT_TESTS)) {
                Files.copy(in, dir.resolve("tests.yaml"), StandardCopyOption.REPLACE_EXISTING);
            }
            String check = run(dir, "check", "rules", "rules.yaml");
            assertTrue(check.startsWith("0\n"), check);
            String test = run(dir, "test", "rules", "tests.yaml");
            assertTrue(test.startsWith("0\n") && test.contains("SUCCESS"), test);

            Set<String> alerts = new TreeSet<>();
            for (JsonNode group : spec.path("groups")) {
                if (TESTED_GROUPS.contains(group.path("name").asText())) {
                    group.path("rules").forEach(r -> alerts.add(r.path("alert").asText()));
                }
            }
            assertEquals(7, alerts.size(), "the observed groups' alerts: " + alerts);
            Set<String> tested = new TreeSet<>();
            for (JsonNode t : YAML.readTree(dir.resolve("tests.yaml").toFile()).path("tests")) {
                t.path("alert_rule_test").forEach(a -> tested.add(a.path("alertname").asText()));
            }
            Set<String> untested = new TreeSet<>(alerts);
            untested.removeAll(tested);
            assertEquals(Set.of(), untested, "alerts without a promtool case");
            // The rules on histograms: fed histogram series of several pods, they must fire on the buckets summed over them.
            untested = new TreeSet<>(HISTOGRAM_ALERTS);
            untested.removeAll(tested);
            assertEquals(Set.of(), untested, "histogram alerts without a promtool case");
            for (String alert : HISTOGRAM_ALERTS) {
                String expr = rule(spec, alert).path("expr").asText();
                assertTrue(expr.contains("histogram_quantile(") && expr.contains("_bucket[") && expr.contains("sum by (le,"),
                        alert + ": " + expr);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
