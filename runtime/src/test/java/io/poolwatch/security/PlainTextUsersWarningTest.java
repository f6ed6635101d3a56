package io.poolwatch.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Embedded users with plain-text passwords are accepted, but outside dev and test mode start-up warns, naming the key
 * and what to do instead, and never the passwords.
 */
class PlainTextUsersWarningTest {

    private static final String PASSWORD = "s3cret-Plain-Password";

    private static Config config(boolean plainText, String algorithm) {
        Map<String, String> c = new HashMap<>();
        c.put("quarkus.security.users.embedded.enabled", "true");
        c.put("quarkus.security.users.embedded.plain-text", Boolean.toString(plainText));
        c.put("quarkus.security.users.embedded.users.alice", PASSWORD);
        c.put("quarkus.security.users.embedded.roles.alice", "admin");
        c.put("quarkus.security.users.embedded.users.bob", PASSWORD + "-2");
        if (algorithm != null) {
            c.put("quarkus.security.users.embedded.algorithm", algorithm);
        }
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(c, "test", 100)).build();
    }

    @Test
    void plainTextUsersInProductionAreWarnedAboutByKeyWithoutTheirPasswords() {
        Optional<String> warning = SecurityMode.plainTextWarning(config(true, null), LaunchMode.NORMAL);
        assertTrue(warning.isPresent(), "no warning in production");
        String w = warning.get();
        assertTrue(w.startsWith("quarkus.security.users.embedded.plain-text=true"), w);
        assertTrue(w.contains("2 embedded user(s)"), w);
        assertTrue(w.contains("HEX(MD5(<user>:Quarkus:<password>))"), "the realm's default format: " + w);
        assertTrue(w.contains("secret store") && w.contains("QUARKUS_CONFIG_LOCATIONS"), w);
        assertFalse(w.contains(PASSWORD), "a password in the warning: " + w);
        assertFalse(w.contains("alice") || w.contains("bob"), "a user name in the warning: " + w);
        assertTrue(SecurityMode.plainTextWarning(config(true, "digest-sha-512"), LaunchMode.NORMAL).orElseThrow()
                .contains("HEX(SHA-512(<user>:Quarkus:<password>))"));
    }

    @Test
    void devAndTestModeAndHashedPasswordsAreNotWarnedAbout() {
        assertEquals(Optional.empty(), SecurityMode.plainTextWarning(config(true, null), LaunchMode.DEVELOPMENT));
        assertEquals(Optional.empty(), SecurityMode.plainTextWarning(config(true, null), LaunchMode.TEST));
        assertEquals(Optional.empty(), SecurityMode.plainTextWarning(config(false, null), LaunchMode.NORMAL));
        Config none = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(
                Map.of("quarkus.security.users.embedded.plain-text", "true"), "test", 100)).build();
        assertEquals(Optional.empty(), SecurityMode.plainTextWarning(none, LaunchMode.NORMAL),
                "no users, nothing kept in plain text");
    }
}
