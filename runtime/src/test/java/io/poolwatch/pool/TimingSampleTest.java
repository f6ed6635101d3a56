package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How many events {@link TimingSample} times at a given rate: all while quiet, then about a thousand a second. */
class TimingSampleTest {

    @Test
    void aQuietPoolTimesEveryEvent() {
        assertEquals(0, TimingSample.mask(0));
        assertEquals(0, TimingSample.mask(999.9));
        assertEquals(0, TimingSample.mask(1_000));
        assertEquals(0, TimingSample.mask(Double.NaN));
    }

    @Test
    void aBusyPoolTimesTheSmallestPowerOfTwoThatKeepsItNearAThousandASecond() {
        assertEquals(1, TimingSample.mask(1_001)); // one in 2
        assertEquals(1, TimingSample.mask(2_000));
        assertEquals(3, TimingSample.mask(2_001)); // one in 4
        assertEquals(31, TimingSample.mask(20_000)); // one in 32: 625 timed a second
        assertEquals(63, TimingSample.mask(40_000));
        assertEquals(127, TimingSample.mask(100_000));
        for (double rate = 1_001; rate < 4_000_000; rate *= 1.37) {
            double timedPerSecond = rate / (TimingSample.mask(rate) + 1);
            assertEquals(750, timedPerSecond, 250.001, "at " + rate + " a second");
        }
    }

    @Test
    void neverFewerThanOneIn4096() {
        assertEquals(4095, TimingSample.mask(4_096_001));
        assertEquals(4095, TimingSample.mask(1e12));
        assertEquals(4095, TimingSample.mask(Double.POSITIVE_INFINITY));
    }
}
