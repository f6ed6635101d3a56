package io.poolwatch.observed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.PoolwatchConfig;

class BlockingConfigurationCheckTest {

    private static PoolwatchConfig.BlockingConfig maxSessions(int max) {
        return new PoolwatchConfig.BlockingConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public int maxSessions() {
                return max;
            }
        };
    }

    @Test
    void maxSessionsOutsideItsRangeIsRefusedNamingKeyValueAndRange() {
        for (int bad : new int[] { 0, -5, BlockingConfigurationCheck.MAX_SESSIONS + 1 }) {
            List<String> problems = BlockingConfigurationCheck.problems(maxSessions(bad));
            assertEquals(
                    List.of("poolwatch.blocking.max-sessions=" + bad + ": accepted: 1 to "
                            + BlockingConfigurationCheck.MAX_SESSIONS),
                    problems);
        }
        assertTrue(BlockingConfigurationCheck.problems(maxSessions(200)).isEmpty());
        assertTrue(BlockingConfigurationCheck.problems(maxSessions(1)).isEmpty());
    }
}
