package io.poolwatch.deployment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.builder.Version;
import io.quarkus.maven.dependency.Dependency;
import io.quarkus.test.QuarkusProdModeTest;

/**
 * A packaged application (prod mode) whose embedded users keep plain-text passwords starts, and warns at start-up,
 * naming the key and what to do instead, without any password in its log.
 */
class PlainTextUsersWarningTest {

    private static final String PASSWORD = "alice-Plain-Pw-61c2";

    @RegisterExtension
    static final QuarkusProdModeTest APP = new QuarkusProdModeTest()
            .withApplicationRoot(jar -> jar.addClasses(TestApps.class))
            .setApplicationName("plain-text-users").setApplicationVersion("0.1")
            .setRun(true)
            // The driver and Quarkus's embedded realm, as an application that uses them depends on them.
            .setForcedDependencies(List.of(
                    Dependency.of("io.quarkus", "quarkus-jdbc-postgresql",
                            Version.getVersion()),
                    Dependency.of("io.quarkus", "quarkus-elytron-security-properties-file",
                            Version.getVersion())))
            .overrideConfigKey("DATABASE_URL", TestApps.DATABASE_URL)
            .overrideConfigKey("poolwatch.defaults.min-size", "0")
            .overrideConfigKey("poolwatch.defaults.max-size", "2")
            .overrideConfigKey("poolwatch.alerting.outbox.path", "target/outbox-plain-text-users")
            .overrideConfigKey("quarkus.http.host", "127.0.0.1")
            .overrideConfigKey("quarkus.http.port", Integer.toString(freePort()))
            .overrideConfigKey("quarkus.http.auth.basic", "true")
            .overrideConfigKey("quarkus.security.users.embedded.enabled", "true")
            .overrideConfigKey("quarkus.security.users.embedded.plain-text", "true")
            .overrideConfigKey("quarkus.security.users.embedded.users.alice", PASSWORD)
            .overrideConfigKey("quarkus.security.users.embedded.roles.alice", "admin");

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void startUpWarnsNamingTheKeyAndNoPassword() {
        String log = APP.getStartupConsoleOutput();
        assertTrue(log.lines().anyMatch(l -> l.contains("WARN") && l.contains("quarkus.security.users.embedded.plain-text=true")
                && l.contains("HEX(") && l.contains("(<user>:Quarkus:<password>))")), log);
        assertFalse(log.contains(PASSWORD), "a password in the log");
    }
}
