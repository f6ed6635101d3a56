package io.poolwatch.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.testing.TestConfigs;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** A shared CSRF key shorter than 32 characters stops start-up, with its length and not its text. */
class CsrfKeyConfigTest {

    private static SecurityMode.Decision decide(Map<String, String> poolwatch) {
        return SecurityMode.decide(
                new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(Map.of("quarkus.http.host", "127.0.0.1"),
                        "test", 100)).build(),
                TestConfigs.mapping(poolwatch).security());
    }

    @Test
    void aShortKeyIsRefusedWithoutShowingItAndALongOneIsTaken() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> decide(Map.of("poolwatch.security.csrf-key", "short-key-1234")));
        assertTrue(
                e.getMessage()
                        .contains("poolwatch.security.csrf-key=(14 characters, not shown): accepted: at least 32 characters"),
                e.getMessage());
        assertFalse(e.getMessage().contains("short-key-1234"), e.getMessage());
        decide(Map.of("poolwatch.security.csrf-key", "a-key-long-enough-for-hmac-sha256-0123"));
        decide(Map.of());
    }
}
