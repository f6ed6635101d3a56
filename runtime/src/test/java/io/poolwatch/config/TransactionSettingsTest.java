package io.poolwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.TestConfigs;

/** poolwatch.transactions.*: defaults, validation naming key, value and range, and the backoff's bounds. */
class TransactionSettingsTest {

    private static TransactionSettings of(Map<String, String> keys) {
        return TransactionSettings.of(TestConfigs.mapping(keys).transactions());
    }

    @Test
    void defaults() {
        assertEquals(TransactionSettings.DEFAULTS, of(Map.of()));
        assertEquals(new TransactionSettings(0, Duration.ofMillis(5), Duration.ofSeconds(1)), of(Map.of(
                "poolwatch.transactions.max-retries", "0", "poolwatch.transactions.initial-backoff", "5ms",
                "poolwatch.transactions.max-backoff", "1s")));
    }

    @Test
    void badValuesAreNamedWithWhatIsAccepted() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> of(Map.of(
                "poolwatch.transactions.max-retries", "-1", "poolwatch.transactions.initial-backoff", "50ms",
                "poolwatch.transactions.max-backoff", "20ms")));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.problems().contains("poolwatch.transactions.max-retries=-1: accepted: 0 to 100"), e.getMessage());
        assertTrue(e.problems().get(1).startsWith("poolwatch.transactions.max-backoff=20ms: below initial-backoff=50ms"),
                e.getMessage());
        InvalidConfigurationException zero = assertThrows(InvalidConfigurationException.class, () -> of(Map.of(
                "poolwatch.transactions.initial-backoff", "0s", "poolwatch.transactions.max-backoff", "2m")));
        assertTrue(zero.getMessage().contains("poolwatch.transactions.initial-backoff=0s: accepted: above 0s"),
                zero.getMessage());
        assertTrue(zero.getMessage().contains("poolwatch.transactions.max-backoff=2m: accepted"), zero.getMessage());
    }

    @Test
    void backoffDoublesUpToTheCapWithHalfOfItJittered() {
        TransactionSettings s = new TransactionSettings(10, Duration.ofMillis(10), Duration.ofMillis(200));
        assertEquals(Duration.ofMillis(5), s.backoff(1, 0.0));
        assertTrue(s.backoff(1, 0.999999).compareTo(Duration.ofMillis(10)) < 0
                && s.backoff(1, 0.999999).compareTo(Duration.ofMillis(9)) > 0);
        assertEquals(Duration.ofMillis(10), s.backoff(2, 0.0));
        assertEquals(Duration.ofMillis(20), s.backoff(3, 0.0));
        assertEquals(Duration.ofMillis(100), s.backoff(6, 0.0), "10ms doubled five times is over the 200ms cap");
        assertEquals(Duration.ofMillis(100), s.backoff(60, 0.0), "no overflow far past the cap");
    }
}
