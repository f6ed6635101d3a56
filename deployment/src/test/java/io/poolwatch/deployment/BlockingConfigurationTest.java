package io.poolwatch.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A blocking tree bound out of range stops start-up, naming the key, the value and the range, with the other problems. */
class BlockingConfigurationTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("blocking-invalid")
            .overrideConfigKey("poolwatch.blocking.max-sessions", "0")
            .overrideConfigKey("poolwatch.pools.financial.max-size", "0")
            .assertException(t -> {
                String messages = InvalidConfigurationTest.messages(t);
                assertTrue(messages.contains("poolwatch.blocking.max-sessions=0: accepted: 1 to 1000"), messages);
                assertTrue(messages.contains("poolwatch.pools.\"financial\".max-size=0"), "every problem at once: " + messages);
            });

    @Test
    void startUpIsRefused() {
        fail("the application must not start");
    }
}
