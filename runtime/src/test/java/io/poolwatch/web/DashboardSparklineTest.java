package io.poolwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.poolwatch.web.DashboardModel.Gauge;

/** The geometry of the server-drawn lines and bars: gaps, scale, thresholds, and values that are missing or out of range. */
class DashboardSparklineTest {

    static final Instant T0 = Instant.parse("2026-11-22T13:00:00Z");
    static final Duration GAP = Duration.ofSeconds(15);

    record Point(long second, double value) {
    }

    static Sparkline draw(List<Point> points, double floor, double threshold) {
        return draw(points, floor, threshold, GAP);
    }

    static Sparkline draw(List<Point> points, double floor, double threshold, Duration gap) {
        return Sparkline.of(points, p -> T0.plusSeconds(p.second()), Point::value, T0, T0.plusSeconds(100), 100, 24, floor,
                threshold, gap);
    }

    @Test
    void aSeriesIsDrawnAcrossTheTimeAxisWithTheScaleFromZeroToItsTop() {
        Sparkline s = draw(List.of(new Point(0, 0), new Point(50, 0.5), new Point(100, 1)), 1, 0.8, Duration.ofMinutes(1));
        assertEquals("M0.0 22.0 L50.0 12.0 L100.0 2.0", s.path());
        assertEquals(3, s.points());
        assertEquals(1.0, s.last());
        assertEquals(0.0, s.min());
        assertEquals(1.0, s.max());
        assertEquals("6.0", s.thresholdYText(), "0.8 of a 20-unit high plot, 2 units of padding");
        assertEquals("100.0", s.lastXText());
    }

    @Test
    void samplesDenserThanTheWidthMergeIntoOneVertexEachKeepingThePeak() {
        List<Point> dense = new ArrayList<>();
        for (int ms = 0; ms < 100_000; ms += 100) {
            dense.add(new Point(ms, ms == 42_300 ? 1.0 : 0.0));
        }
        Sparkline s = Sparkline.of(dense, p -> T0.plusMillis(p.second()), Point::value, T0, T0.plusSeconds(100), 100, 24, 1,
                Double.NaN, GAP);
        assertEquals(1000, s.points(), "every sample counts");
        assertEquals(100, s.path().split("[ML]").length - 1, "one vertex per unit of width");
        assertTrue(s.path().contains("L42.9 2.0"), "the one-sample peak survives: " + s.path());
    }

    @Test
    void aMissingValueOrAPauseInSamplingBreaksTheLineInsteadOfDrawingZero() {
        Sparkline nan = draw(List.of(new Point(0, 1), new Point(10, Double.NaN), new Point(20, 1)), 1, Double.NaN);
        assertEquals("M0.0 2.0 M20.0 2.0", nan.path());
        assertEquals(2, nan.points());
        Sparkline pause = draw(List.of(new Point(0, 1), new Point(5, 1), new Point(60, 1)), 1, Double.NaN);
        assertEquals("M0.0 2.0 L5.0 2.0 M60.0 2.0", pause.path(), "a minute without samples is not a flat line");
    }

    @Test
    void nothingToDrawIsEmptyAndNeverNaN() {
        assertTrue(draw(List.of(), 1, 0.8).empty());
        Sparkline allNaN = draw(List.of(new Point(0, Double.NaN), new Point(10, Double.POSITIVE_INFINITY)), 1, 0.8);
        assertTrue(allNaN.empty());
        assertEquals("", allNaN.path());
        assertFalse(allNaN.hasThreshold());
        assertTrue(draw(List.of(new Point(-10, 1), new Point(200, 1)), 1, 0.8).empty(),
                "samples outside the window are left out");
    }

    @Test
    void aQuietSeriesKeepsItsFloorAndALoudOneRaisesTheTopAboveTheThreshold() {
        Sparkline quiet = draw(List.of(new Point(0, 0.2), new Point(10, 0.3)), 5, 2000);
        assertEquals(5, quiet.top());
        assertFalse(quiet.hasThreshold(), "a threshold far above the values is off the scale");
        Sparkline loud = draw(List.of(new Point(0, 100), new Point(10, 4000)), 5, 2000);
        assertEquals(4000, loud.top());
        assertTrue(loud.hasThreshold());
        assertEquals("12.0", loud.thresholdYText());
        Sparkline negative = draw(List.of(new Point(0, -3)), 1, Double.NaN);
        assertEquals("M0.0 22.0", negative.path(), "a negative value sits on the axis, not below the chart");
    }

    @Test
    void coordinatesHaveOneDecimalInEveryLocale() {
        assertEquals("12.5", Sparkline.num(12.46));
        assertEquals("0.0", Sparkline.num(0.04));
        assertEquals("-3.0", Sparkline.num(-2.96));
        assertEquals("100.0", Sparkline.num(99.99));
        assertEquals("0.0", Sparkline.num(Double.NaN));
    }

    @Test
    void aGaugeSaysItsLevelInWordsAndKeepsItsBarInsideTheTrack() {
        assertEquals("ok", new Gauge(0.8, 0.8, 0.95, "").level(), "ratios breach above the threshold, as the rule does");
        assertEquals("warning", new Gauge(0.81, 0.8, 0.95, "").level());
        assertEquals("critical", new Gauge(0.95, 0.8, 0.95, "").level());
        assertEquals("unknown", new Gauge(Double.NaN, 0.8, 0.95, "").level());
        assertEquals("100.0", new Gauge(1.7, 0.8, 0.95, "").widthText());
        assertEquals("0.0", new Gauge(Double.NaN, 0.8, 0.95, "").widthText());
        assertEquals("0.0", new Gauge(-1, 0.8, 0.95, "").widthText());
    }

    @Test
    void numbersAndTimesReadTheSameEverywhereAndMissingOnesAsADash() {
        assertEquals("42%", DashboardFormat.percent(0.42));
        assertEquals("4.2%", DashboardFormat.percent(0.042));
        assertEquals("0.42%", DashboardFormat.percent(0.0042));
        assertEquals("0%", DashboardFormat.percent(0));
        assertEquals("–", DashboardFormat.percent(Double.NaN));
        assertEquals("2.5 ms", DashboardFormat.ms(2.5));
        assertEquals("250 ms", DashboardFormat.ms(250));
        assertEquals("2.35 s", DashboardFormat.ms(2350));
        assertEquals("–", DashboardFormat.ms(Double.POSITIVE_INFINITY));
        assertEquals("2.00 s", DashboardFormat.value(2, "seconds"));
        assertEquals("5", DashboardFormat.value(5, "connections"));
        assertEquals("14:03:12", DashboardFormat.clock(Instant.parse("2026-11-22T14:03:12.999Z")));
        assertEquals("–", DashboardFormat.clock(null));
        assertEquals("3m 5s ago", DashboardFormat.ago(T0, T0.plusSeconds(185)));
        assertEquals("in 2h 0m", DashboardFormat.ago(T0.plusSeconds(7200), T0));
        assertEquals("1d 1h", DashboardFormat.span(Duration.ofHours(25)));
        assertEquals("✓", DashboardFormat.symbol("up"));
        assertEquals("✕", DashboardFormat.symbol("firing"));
        assertEquals("?", DashboardFormat.symbol(null));
    }
}
