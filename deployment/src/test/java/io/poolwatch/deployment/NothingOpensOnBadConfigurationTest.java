package io.poolwatch.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * A bad check and a bad receiver, with pools that are fine: start-up is refused with both problems before the database
 * is started and before any pool is opened (the check and receiver used to be found only after that).
 */
class NothingOpensOnBadConfigurationTest {

    static final String STARTED = StartupValidationTest.STARTED + ".nothing-opens";

    @RegisterExtension
    static final QuarkusUnitTest APP = app();

    private static QuarkusUnitTest app() {
        System.clearProperty(STARTED);
        QuarkusUnitTest test = new QuarkusUnitTest().withApplicationRoot(jar -> jar.addClasses(StartupValidationTest.class,
                StartupValidationTest.RecordingFallback.class, InvalidConfigurationTest.class, TestApps.class, Links.class));
        test.overrideConfigKey("quarkus.http.test-port", "0");
        test.overrideConfigKey("quarkus.devservices.enabled", "false");
        test.overrideConfigKey("poolwatch.alerting.outbox.path", "target/outbox-nothing-opens");
        test.overrideConfigKey("test.startup-validation.fallback-flag", STARTED);
        test.overrideConfigKey("poolwatch.consistency.checks.nightly.kind", "sql");
        test.overrideConfigKey("poolwatch.consistency.checks.nightly.sql", "select 1");
        test.overrideConfigKey("poolwatch.consistency.checks.nightly.schedule", "every tuesday");
        test.overrideConfigKey("poolwatch.alerting.receivers.\"Bad Name\".url", "https://hooks.example/alerts");
        return test.assertException(t -> {
            String all = InvalidConfigurationTest.messages(t);
            assertNull(System.getProperty(STARTED), "the database was started before the configuration was refused:\n" + all);
            List<String> problems = StartupValidationTest.problems(t);
            assertEquals(2, problems.size(), String.join("\n", problems));
            assertTrue(problems.stream().anyMatch(p -> p.startsWith("poolwatch.consistency.checks.\"nightly\".schedule")), all);
            assertTrue(problems.stream().anyMatch(p -> p.startsWith("poolwatch.alerting.receivers.\"Bad Name\"")), all);
        });
    }

    @Test
    void startUpIsRefused() {
        fail("the application must not start");
    }
}
