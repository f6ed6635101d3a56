package io.poolwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
            "30, 30000",
            "30.0, 30000",
            "2.5, 2500",
            "500ms, 500",
            "10s, 10000",
            "5m, 300000",
            "1h, 3600000",
            "2d, 172800000",
            "PT10S, 10000",
            "pt1m, 60000",
            "0, 0" })
    void parsesEveryAcceptedForm(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = { "abc", "10x", "-5s", "-1", "P-1D", "", "1.2.3", "PTXS" })
    void rejectsWithTheValueAndTheAcceptedForms(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("accepted: " + Durations.ACCEPTED), e.getMessage());
        if (!text.isEmpty()) {
            assertTrue(e.getMessage().contains(text), e.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource({ "0, 0s", "500, 500ms", "30000, 30s", "300000, 5m", "3600000, 1h", "86400000, 1d", "1500, 1500ms" })
    void formatsAsOperatorsWrite(long millis, String text) {
        assertEquals(text, Durations.format(Duration.ofMillis(millis)));
    }
}
