package io.poolwatch.deployment;

import java.util.Map;

import io.quarkus.test.QuarkusUnitTest;

/** The configuration every test application shares: the local PostgreSQL, small pools, an outbox file of its own. */
final class TestApps {

    /** The PostgreSQL the tests talk to: .ci/run makes sure it runs on 127.0.0.1:5432 with this database. */
    static final String DATABASE_URL = System.getProperty("poolwatch.test.database-url",
            "postgresql://postgres@127.0.0.1:5432/poolwatch_test");

    private TestApps() {
    }

    /** A host application with the extension, watching the test database; {@code name} keeps its outbox apart. */
    static QuarkusUnitTest host(String name, Class<?>... classes) {
        QuarkusUnitTest test = new QuarkusUnitTest()
                .withApplicationRoot(jar -> jar.addClasses(classes).addClasses(TestApps.class, Links.class));
        Map.of("DATABASE_URL", DATABASE_URL,
                "poolwatch.defaults.min-size", "0",
                "poolwatch.defaults.max-size", "3",
                "poolwatch.alerting.outbox.path", "target/outbox-" + name,
                "quarkus.http.test-port", "0",
                "quarkus.devservices.enabled", "false")
                .forEach(test::overrideConfigKey);
        return test;
    }
}
