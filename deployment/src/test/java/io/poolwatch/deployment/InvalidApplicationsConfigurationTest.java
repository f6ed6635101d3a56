package io.poolwatch.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** Bad application definitions stop the host application at start-up, every problem at once, each naming its key and value. */
class InvalidApplicationsConfigurationTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("invalid-applications")
            .overrideConfigKey("poolwatch.applications.\"api\".expected-max", "0")
            .overrideConfigKey("poolwatch.applications.\"api\".client-address", "db.internal")
            .overrideConfigKey("poolwatch.applications.\"worker\".client-address", "10.0.0.0/33")
            .assertException(t -> {
                String messages = InvalidConfigurationTest.messages(t);
                assertTrue(
                        messages.contains(
                                "poolwatch.applications.\"api\".expected-max=0: accepted: a whole number from 1 to 1000000"),
                        messages);
                assertTrue(
                        messages.contains("poolwatch.applications.\"api\".client-address=\"db.internal\": not an IP address"),
                        messages);
                assertTrue(messages.contains(
                        "poolwatch.applications.\"worker\".client-address=\"10.0.0.0/33\": prefix length 33 is above 32"),
                        messages);
            });

    @Test
    void startUpIsRefused() {
        fail("the application must not start");
    }
}
