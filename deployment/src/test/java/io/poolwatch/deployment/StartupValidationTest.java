package io.poolwatch.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.poolwatch.pool.FallbackDatabase;
import io.poolwatch.testing.BadConfiguration;
import io.quarkus.test.QuarkusUnitTest;

/**
 * One bad value in every part of the configuration, and one value that is not even of its type: start-up is refused
 * with every problem listed once, each naming its key, before any database is started or any pool opened.
 */
class StartupValidationTest {

    /** Set by the fallback database when it is started: a system property, as the application has a class loader of its own. */
    static final String STARTED = "poolwatch.test.startup-validation.fallback-started";

    /** One bad value in every part of the configuration, the same as the configuration check's own test. */
    static final Map<String, String> BAD = BadConfiguration.ONE_PER_PART;

    /** For each part, what its one problem is found by: every fragment must be in it. */
    static final List<List<String>> EXPECTED = List.of(
            List.of("poolwatch.pools.\"main\".max-size=-5"),
            List.of("analytics", "max-size", "abc"),
            List.of("DB_MAX_OVERFLOW=-3"),
            List.of("poolwatch.consistency.checks.\"nightly\".schedule", "every tuesday"),
            List.of("poolwatch.consistency.max-concurrent=0"),
            List.of("poolwatch.alerting.receivers.\"Bad Name\""),
            List.of("poolwatch.alerting.rules.\"pool-utilization\".threshold=-1"),
            List.of("poolwatch.alerting.outbox.max-attempts=0"),
            List.of("poolwatch.sampling.interval=0s"),
            List.of("poolwatch.cluster.lock-at-most-for=1s"),
            List.of("poolwatch.security.metrics=sometimes"),
            List.of("poolwatch.transactions.max-retries=-1"),
            List.of("poolwatch.health.validation-timeout=0s"));

    @RegisterExtension
    static final QuarkusUnitTest APP = app();

    private static QuarkusUnitTest app() {
        System.clearProperty(STARTED);
        QuarkusUnitTest test = new QuarkusUnitTest().withApplicationRoot(jar -> jar.addClasses(RecordingFallback.class));
        test.overrideConfigKey("quarkus.http.test-port", "0");
        test.overrideConfigKey("quarkus.devservices.enabled", "false");
        test.overrideConfigKey("poolwatch.alerting.outbox.path", "target/outbox-startup-validation");
        BAD.forEach(test::overrideConfigKey);
        return test.assertException(StartupValidationTest::assertEveryProblemOnce);
    }

    static void assertEveryProblemOnce(Throwable t) {
        String all = InvalidConfigurationTest.messages(t);
        assertNull(System.getProperty(STARTED),
                "the fallback database was started before the configuration was refused:\n" + all);
        List<String> problems = StartupValidationTest.problems(t);
        for (List<String> fragments : EXPECTED) {
            long n = problems.stream().filter(p -> fragments.stream().allMatch(p::contains)).count();
            assertEquals(1, n, fragments + " must be in exactly one problem of:\n" + String.join("\n", problems));
        }
        assertTrue(problems.stream().noneMatch(p -> p.contains("evaluation-interval")),
                "poolwatch.alerting.evaluation-interval is not set, and must not be named:\n" + String.join("\n", problems));
        assertTrue(all.contains("the configuration has " + problems.size() + " problems"), all);
    }

    /**
     * The problems of the refusal, one per line of its message: the exception's class is the application's own (it has
     * a class loader of its own), so it is found by its name.
     */
    static List<String> problems(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getClass().getName().equals("io.poolwatch.config.InvalidConfigurationException")) {
                return c.getMessage().lines().filter(l -> l.startsWith("  - ")).map(l -> l.substring(4)).toList();
            }
        }
        throw new AssertionError("not refused as an invalid configuration:\n" + InvalidConfigurationTest.messages(t));
    }

    @Test
    void startUpIsRefused() {
        fail("the application must not start");
    }

    /** A fallback database that only records that it was asked to start. */
    @ApplicationScoped
    public static class RecordingFallback implements FallbackDatabase {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public String enabledKey() {
            return "test.fallback.enabled";
        }

        @Override
        public String start() {
            String flag = ConfigProvider.getConfig()
                    .getOptionalValue("test.startup-validation.fallback-flag",
                            String.class)
                    .orElse(STARTED);
            System.setProperty(flag, "true");
            return "jdbc:h2:mem:startup-validation;DB_CLOSE_DELAY=-1";
        }

        @Override
        public String label() {
            return "test fallback database";
        }

        @Override
        public void close() {
        }
    }
}
