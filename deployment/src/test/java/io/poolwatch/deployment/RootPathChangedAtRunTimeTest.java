package io.poolwatch.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** The root is fixed when the application is built: another one at run time stops start-up, naming the key and both values. */
class RootPathChangedAtRunTimeTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("root-changed")
            .overrideRuntimeConfigKey("poolwatch.http.root-path", "/elsewhere")
            .assertException(t -> {
                String messages = InvalidConfigurationTest.messages(t);
                assertTrue(messages.contains("poolwatch.http.root-path=/elsewhere"), messages);
                assertTrue(messages.contains("/q/poolwatch"), messages);
            });

    @Test
    void startUpIsRefused() {
        fail("the application must not start");
    }
}
