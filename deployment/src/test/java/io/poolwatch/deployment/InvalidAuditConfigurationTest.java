package io.poolwatch.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A bad audit bound stops the host application at start-up, not at the first audited request, naming each key and value. */
class InvalidAuditConfigurationTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("invalid-audit")
            .overrideConfigKey("poolwatch.alerting.audit.refused-per-window", "0")
            .overrideConfigKey("poolwatch.alerting.audit.max-entries", "-3")
            .assertException(t -> {
                String messages = InvalidConfigurationTest.messages(t);
                assertTrue(messages.contains("poolwatch.alerting.audit.refused-per-window=0: accepted: 1 to 10000"), messages);
                assertTrue(messages.contains("poolwatch.alerting.audit.max-entries=-3: accepted: 1 to 10000000"), messages);
            });

    @Test
    void startUpIsRefused() {
        fail("the application must not start");
    }
}
