package io.poolwatch.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * JDBC drivers are the host's choice: a pool whose URL needs one the host lacks (here MariaDB, in an application with
 * only PostgreSQL's) stops start-up naming the pool, the key and the dependency to add, and the password stays hidden.
 */
class MissingDriverTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("missing-driver")
            .overrideConfigKey("poolwatch.pools.jobs.url", "mysql://root:s3cret-pw@127.0.0.1:3306/poolwatch_test")
            .assertException(t -> {
                String messages = InvalidConfigurationTest.messages(t);
                assertTrue(messages.contains("pool jobs"), messages);
                assertTrue(messages.contains("poolwatch.pools.\"jobs\".url"), messages);
                assertTrue(messages.contains("io.quarkus:quarkus-jdbc-mariadb"), messages);
                assertTrue(!messages.contains("s3cret-pw"), "the password must not be shown: " + messages);
            });

    @Test
    void startUpIsRefused() {
        fail("the application must not start");
    }
}
