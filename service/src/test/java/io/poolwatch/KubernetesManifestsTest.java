package io.poolwatch;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.poolwatch.alerting.AlertRule;
import io.poolwatch.config.Durations;
import io.poolwatch.config.PoolSettingsResolver;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.SeedSource;
import io.poolwatch.metrics.ObservedMeters;
import io.poolwatch.testing.PostgresTestResource;
import io.poolwatch.testing.TestConfigs;
import io.poolwatch.testing.TestDatabases;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Every manifest under {@code kubernetes/}, parsed and held against the running application: probes and the
 * scrape path answer on the port the manifests name, every environment variable named is one poolwatch reads (and
 * its value is accepted), the PrometheusRule mirrors the built-in alert rules and uses only metrics a real
 * {@code /q/metrics} scrape has, and the kustomizations name files that exist.
 */
@QuarkusTest
@TestProfile(KubernetesManifestsTest.ScrapeProfile.class)
@WithTestResource(PostgresTestResource.class)
class KubernetesManifestsTest {

    /** A read replica (the primary itself, for its meters) and a check, so every family of metrics is exported. */
    public static class ScrapeProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            TestDatabases.Server pg = TestDatabases.postgres();
            Map<String, String> config = new HashMap<>();
            config.put("poolwatch.pools.main.replicas.1.url", pg.seedUrl());
            config.put("poolwatch.consistency.checks.manifest.kind", "sql");
            config.put("poolwatch.consistency.checks.manifest.sql", "SELECT 0");
            config.put("poolwatch.consistency.checks.manifest.schedule", "off");
            return config;
        }
    }

    private static final Path ROOT = Path.of("../kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern METRIC = Pattern.compile("\\bpoolwatch_[a-z0-9_]+");
    private static final Set<String> PROBES = Set.of("/q/health/live", "/q/health/ready", "/q/health/started");

    /** One YAML document and the file it came from. */
    record Manifest(Path file, JsonNode doc) {
        String kind() {
            return doc.path("kind").asText();
        }

        String name() {
            return doc.path("metadata").path("name").asText();
        }
    }

    private static List<Manifest> manifests;

    @BeforeAll
    static void parse() throws IOException {
        List<Manifest> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ROOT)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        for (Path file : files) {
            try (JsonParser parser = YAML.getFactory().createParser(file.toFile())) {
                for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext();) {
                    JsonNode doc = it.next();
                    if (doc != null && !doc.isNull()) {
                        out.add(new Manifest(file, doc));
                    }
                }
            }
        }
        manifests = out;
        assertFalse(manifests.isEmpty(), "no manifest under " + ROOT.toAbsolutePath());
    }

    private static List<Manifest> ofKind(String kind) {
        return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
    }

    private static List<JsonNode> containers() {
        return ofKind("Deployment").stream()
                .flatMap(m -> stream(m.doc().path("spec").path("template").path("spec").path("containers")))
                .toList();
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }

    @Test
    void everyDocumentHasAKindAndEveryKustomizationNamesFilesThatExist() {
        for (Manifest m : manifests) {
            assertTrue(m.doc().hasNonNull("apiVersion") && m.doc().hasNonNull("kind"), m.file() + ": apiVersion and kind");
        }
        Set<Path> listed = new TreeSet<>();
        for (Manifest k : ofKind("Kustomization")) {
            Path dir = k.file().getParent();
            List<String> entries = new ArrayList<>();
            stream(k.doc().path("resources")).map(JsonNode::asText).forEach(entries::add);
            stream(k.doc().path("patches")).map(p -> p.path("path").asText()).forEach(entries::add);
            for (String entry : entries) {
                Path p = dir.resolve(entry).normalize();
                assertTrue(Files.isRegularFile(p) || Files.isRegularFile(p.resolve("kustomization.yaml")),
                        k.file() + " names " + entry);
                listed.add(p);
            }
        }
        // Nothing in the base is left out of it but the example Secret, which must never be applied.
        try (Stream<Path> base = Files.list(ROOT.resolve("base"))) {
            List<Path> unlisted = base
                    .filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml"))
                    .map(Path::normalize).filter(p -> !listed.contains(p)).toList();
            assertEquals(List.of(ROOT.resolve("base/secret.example.yaml")), unlisted);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The port poolwatch listens on when deployed: the test run listens elsewhere, so it is read from the packaged
     * configuration (Quarkus's default 8080 unless set), as the images' EXPOSE says.
     */
    private static int productionPort() {
        Properties props = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            props.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Integer.parseInt(props.getProperty("%prod.quarkus.http.port", props.getProperty("quarkus.http.port", "8080")));
    }

    @Test
    void probesAndTheScrapePathAnswerOnThePortTheManifestsName() {
        int appPort = productionPort();
        List<JsonNode> containers = containers();
        assertFalse(containers.isEmpty());
        Map<String, Integer> namedPorts = new HashMap<>();
        for (JsonNode c : containers) {
            stream(c.path("ports")).forEach(p -> namedPorts.put(p.path("name").asText(), p.path("containerPort").asInt()));
        }
        assertEquals(Map.of("http", appPort), namedPorts, "the container port is the one poolwatch listens on");
        Set<String> probed = new TreeSet<>();
        for (JsonNode c : containers) {
            if (!c.has("image")) {
                continue; // an overlay's patch of the container
            }
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                JsonNode get = c.path(probe).path("httpGet");
                String path = get.path("path").asText();
                probed.add(probe + " " + path);
                assertTrue(PROBES.contains(path), probe + " " + path);
                assertTrue(namedPorts.containsKey(get.path("port").asText()), probe + " port " + get.path("port"));
                int status = given().when().get(path).then().extract().statusCode();
                assertTrue(status == 200 || status == 503, probe + " " + path + " answered " + status);
                // Health answers from the latest sample, never waiting on a database: a short timeout is enough.
                assertTrue(c.path(probe).path("timeoutSeconds").asInt(1) >= 1, probe + " timeoutSeconds");
            }
        }
        assertEquals(Set.of("livenessProbe /q/health/live", "readinessProbe /q/health/ready", "startupProbe /q/health/started"),
                probed);

        for (Manifest service : ofKind("Service")) {
            for (JsonNode p : service.doc().path("spec").path("ports")) {
                assertTrue(namedPorts.containsKey(p.path("targetPort").asText()),
                        service.file() + " targetPort " + p.path("targetPort"));
            }
            assertEquals("/q/metrics", service.doc().path("metadata").path("annotations").path("prometheus.io/path").asText());
        }
        Set<String> servicePorts = ofKind("Service").stream().flatMap(s -> stream(s.doc().path("spec").path("ports")))
                .map(p -> p.path("name").asText()).collect(Collectors.toSet());
        for (Manifest monitor : ofKind("ServiceMonitor")) {
            for (JsonNode e : monitor.doc().path("spec").path("endpoints")) {
                assertTrue(servicePorts.contains(e.path("port").asText()), monitor.file() + " port " + e.path("port"));
                given().when().get(e.path("path").asText()).then().statusCode(200);
            }
        }
    }

    @Test
    void theShutdownBudgetFitsTheGracePeriod() {
        Duration httpDrain = ConfigProvider.getConfig().getValue("quarkus.shutdown.timeout", Duration.class);
        Duration poolDrain = ConfigProvider.getConfig().getOptionalValue("poolwatch.shutdown.drain-timeout", String.class)
                .map(Durations::parse)
                .orElseThrow();
        for (Manifest d : ofKind("Deployment")) {
            JsonNode pod = d.doc().path("spec").path("template").path("spec");
            if (!pod.has("terminationGracePeriodSeconds")) {
                continue; // a patch
            }
            long preStop = stream(pod.path("containers"))
                    .mapToLong(c -> c.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong())
                    .max().orElse(0);
            long budget = preStop + httpDrain.toSeconds() + poolDrain.toSeconds();
            long grace = pod.path("terminationGracePeriodSeconds").asLong();
            assertTrue(grace > budget, d.file() + ": terminationGracePeriodSeconds " + grace + " must exceed preStop " + preStop
                    + " + quarkus.shutdown.timeout " + httpDrain.toSeconds() + " + drain-timeout " + poolDrain.toSeconds());
        }
    }

    /** Quarkus's own settings the manifests may set: where the users' file is mounted. */
    static final Set<String> QUARKUS_VARIABLES = Set.of("QUARKUS_CONFIG_LOCATIONS");

    /** Every environment variable the manifests set: container env, and the keys of the ConfigMaps read through envFrom. */
    private static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode c : containers()) {
            for (JsonNode e : c.path("env")) {
                env.put(e.path("name").asText(),
                        e.has("value") ? e.path("value").asText() : "postgresql://user:secret@db:5432/app");
            }
        }
        for (Manifest m : ofKind("ConfigMap")) {
            m.doc().path("data").fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
        }
        return env;
    }

    /** The seed variables poolwatch asks for, recorded while it reads a seed environment with replicas. */
    private static Set<String> seedVariables() {
        Set<String> asked = new TreeSet<>();
        SeedSource recording = new SeedSource() {
            final Map<String, String> values = Map.of("DATABASE_URL", "postgresql://db/app", "DB_READ_REPLICAS",
                    "postgresql://r1/app");

            @Override
            public Optional<String> get(String name) {
                asked.add(name);
                return Optional.ofNullable(values.get(name));
            }

            @Override
            public Set<String> names() {
                return values.keySet();
            }
        };
        PoolSettingsResolver.resolve(TestConfigs.mapping(Map.of()), recording, TestConfigs.NO_EMBEDDED);
        return asked;
    }

    /** The environment form of every poolwatch key (pools."x".max-size is POOLWATCH_POOLS_<X>_MAX_SIZE), as patterns. */
    private static List<Pattern> keyVariables() {
        return ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(PoolwatchConfig.class, "poolwatch")).keySet()
                .stream()
                .map(key -> Pattern.compile(Stream.of(key.split("\\*", -1))
                        .map(part -> Pattern.quote(part.replaceAll("[^A-Za-z0-9]", "_")
                                .toUpperCase(Locale.ROOT)))
                        .collect(Collectors.joining("[A-Z0-9_]+"))))
                .toList();
    }

    @Test
    void everyEnvironmentVariableIsOnePoolwatchReadsWithAValueItAccepts() {
        assertTrue(environment().containsKey("QUARKUS_CONFIG_LOCATIONS"), "the users' file is named to Quarkus");
        Set<String> seed = seedVariables();
        assertTrue(seed.containsAll(Set.of("DATABASE_URL", "DB_POOL_SIZE", "DB_SLOW_QUERY_THRESHOLD", "DB_READ_REPLICAS")),
                seed.toString());
        List<Pattern> keys = keyVariables();
        Map<String, String> env = environment();
        Map<String, String> seedEnv = new HashMap<>();
        Map<String, String> keyEnv = new HashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (QUARKUS_VARIABLES.contains(name)) {
                continue;
            }
            if (seed.contains(name) || name.matches("DB_REPLICA_\\d+_WEIGHT")) {
                seedEnv.put(name, e.getValue());
            } else if (keys.stream().anyMatch(p -> p.matcher(name).matches())) {
                keyEnv.put(name, e.getValue());
            } else {
                throw new AssertionError(name + " is not a variable poolwatch reads; seed variables: " + seed);
            }
        }
        assertTrue(keyEnv.containsKey("POOLWATCH_ALERTING_OUTBOX_WORKLOAD"), "the production overlay's outbox: " + keyEnv);
        // The values convert, and the seed values resolve to pools without a problem.
        PoolwatchConfig config = new SmallRyeConfigBuilder().withMapping(PoolwatchConfig.class)
                .withSources(new EnvConfigSource(keyEnv, 300)).build().getConfigMapping(PoolwatchConfig.class);
        assertEquals("main", config.alerting().outbox().workload().orElseThrow());
        assertEquals(Duration.ofSeconds(30), config.cluster().lockAtMostFor());
        PoolSettingsResolver.resolve(TestConfigs.mapping(Map.of()), SeedSource.of(seedEnv), TestConfigs.NO_EMBEDDED);
    }

    private static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    @Test
    void thePrometheusRuleMirrorsTheBuiltInRulesOnMetricsARealScrapeHas() {
        String scrape = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> exported = scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> l.split("[{ ]", 2)[0])
                .collect(Collectors.toCollection(TreeSet::new));
        List<Manifest> ruleFiles = ofKind("PrometheusRule");
        assertEquals(1, ruleFiles.size());
        List<JsonNode> rules = stream(ruleFiles.get(0).doc().path("spec").path("groups")).flatMap(g -> stream(g.path("rules")))
                .toList();
        Set<String> used = new TreeSet<>();
        for (JsonNode r : rules) {
            Matcher m = METRIC.matcher(r.path("expr").asText());
            while (m.find()) {
                used.add(m.group());
            }
        }
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exported);
        // Applications, PgBouncers and blocking have no meters in this scrape (none is defined or answers): their
        // rules' metrics are held against MetricNames instead.
        missing.removeAll(ObservedMeters.prometheusNames());
        assertEquals(Set.of(), missing, "metrics the rules use that /q/metrics does not have; it has "
                + exported.stream().filter(n -> n.startsWith("poolwatch_")).toList());

        for (AlertRule rule : AlertRule.values()) {
            List<JsonNode> mirrors = rules.stream()
                    .filter(r -> r.path("labels").path("poolwatch_rule").asText().equals(rule.label())).toList();
            assertEquals(1, mirrors.size(), "one Prometheus rule for " + rule.label());
            JsonNode r = mirrors.get(0);
            String expr = r.path("expr").asText().trim();
            String comparison = (rule.atOrAbove() ? ">=" : ">") + " " + number(rule.defaultThreshold());
            assertTrue(expr.endsWith(comparison), rule.label() + ": " + expr + " should end with " + comparison);
            assertEquals(Durations.parse(r.path("for").asText("0s")), rule.defaultFor(), rule.label() + " for");
            rule.defaultSeverity()
                    .ifPresent(s -> assertEquals(s.label(), r.path("labels").path("severity").asText(), rule.label()));
        }
    }
}
