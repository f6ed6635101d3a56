package io.poolwatch.deployment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * Bad PgBouncer keys stop the host application at start-up, every problem at once, naming key and value, never the password.
 */
class InvalidPgBouncerConfigurationTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("invalid-pgbouncer")
            .overrideConfigKey("poolwatch.pgbouncer.edge.url", "postgresql://edge:6432/appdb")
            .overrideConfigKey("poolwatch.pgbouncer.edge.password", "never-shown-secret")
            .overrideConfigKey("poolwatch.pgbouncer.other.url", "other:99999")
            .overrideConfigKey("poolwatch.pgbouncer.other.username", "stats")
            .assertException(t -> {
                String messages = InvalidConfigurationTest.messages(t);
                assertTrue(messages.contains(
                        "poolwatch.pgbouncer.\"edge\".url='postgresql://edge:6432/appdb': database 'appdb' is not the admin console"),
                        messages);
                assertTrue(messages.contains("poolwatch.pgbouncer.\"edge\".username is missing"), messages);
                assertTrue(
                        messages.contains(
                                "poolwatch.pgbouncer.\"other\".url='other:99999': the port is not a number from 1 to 65535"),
                        messages);
                assertFalse(messages.contains("never-shown-secret"), messages);
            });

    @Test
    void startUpIsRefused() {
        fail("the application must not start");
    }
}
