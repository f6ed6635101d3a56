package io.poolwatch.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A bad value stops the host application at start-up, naming the key, the value and what is accepted. */
class InvalidConfigurationTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("invalid")
            .overrideConfigKey("poolwatch.pools.financial.max-size", "0")
            .assertException(t -> {
                String messages = messages(t);
                assertTrue(messages.contains("poolwatch.pools.\"financial\".max-size=0"), messages);
                assertTrue(messages.contains("at least 1"), messages);
            });

    static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getMessage()).append('\n');
        }
        return b.toString();
    }

    @Test
    void startUpIsRefused() {
        fail("the application must not start");
    }
}
