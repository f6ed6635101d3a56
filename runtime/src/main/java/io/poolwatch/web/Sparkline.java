package io.poolwatch.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import io.quarkus.qute.TemplateData;

/**
 * A line chart of one series drawn server-side as inline SVG geometry: the path's {@code d}, the scale, an optional
 * threshold line and a sentence describing it for people who cannot see it. Missing values (NaN) break the line
 * instead of being drawn as zero; a series with no value at all is {@link #empty()}.
 *
 * @param width the SVG user-space width
 * @param height the SVG user-space height
 * @param path the line, as an SVG path ({@code M x y L x y ...}); empty when there is nothing to draw
 * @param lastX x of the newest point (a dot marks it), or -1
 * @param lastY y of the newest point, or -1
 * @param thresholdY y of the threshold line, or -1 when it is off the scale or there is none
 * @param top the value at the top of the scale
 * @param min the smallest value drawn, NaN when none
 * @param max the largest value drawn, NaN when none
 * @param last the newest value, NaN when none
 * @param points how many values were drawn
 * @param from the start of the time axis
 * @param to the end of the time axis
 * @param marks events drawn as vertical lines across the chart (autosizing's changes), oldest first
 */
@TemplateData
public record Sparkline(int width, int height, String path, double lastX, double lastY, double thresholdY, double top,
        double min,
        double max, double last, int points, Instant from, Instant to, List<Mark> marks) {

    public Sparkline {
        marks = List.copyOf(marks);
    }

    /**
     * An event on the time axis.
     *
     * @param x where it is drawn, in user units
     * @param label what happened, for its tooltip and the accessible name
     */
    @TemplateData
    public record Mark(double x, String label) {

        /** {@link #x()} for the SVG attribute. */
        public String xText() {
            return num(x);
        }
    }

    /** An event to mark on the chart: when it happened and what. */
    public record Event(Instant at, String label) {
    }

    /** This chart with these events marked; those outside its time axis are left out. */
    public Sparkline marked(List<Event> events) {
        double span = Math.max(1, Duration.between(from, to).toMillis());
        List<Mark> out = new ArrayList<>(marks);
        for (Event e : events) {
            if (!e.at().isBefore(from) && !e.at().isAfter(to)) {
                out.add(new Mark(Duration.between(from, e.at()).toMillis() / span * width, e.label()));
            }
        }
        return new Sparkline(width, height, path, lastX, lastY, thresholdY, top, min, max, last, points, from, to, out);
    }

    /** Padding above and below the line, in user units, so a flat line at the top or bottom stays visible. */
    static final double PAD = 2;

    /** Whether there was no value to draw. */
    public boolean empty() {
        return points == 0;
    }

    /** Whether a threshold line is on the scale. */
    public boolean hasThreshold() {
        return thresholdY >= 0;
    }

    /** Nothing to draw, over the given time axis. */
    public static Sparkline none(int width, int height, Instant from, Instant to) {
        return new Sparkline(width, height, "", -1, -1, -1, 0, Double.NaN, Double.NaN, Double.NaN, 0, from, to, List.of());
    }

    /**
     * Draws {@code value} of every item taken between {@code from} and {@code to}.
     *
     * @param items oldest first
     * @param at when an item was taken
     * @param value its value; NaN or infinite for a gap
     * @param floor the top of the scale is at least this (so a quiet series does not fill the chart with noise)
     * @param threshold a threshold line to draw when it is on the scale; NaN for none
     * @param gap a pause between two items longer than this breaks the line (a restart, a missed sample)
     */
    public static <T> Sparkline of(List<T> items, Function<T, Instant> at, ToDoubleFunction<T> value, Instant from,
            Instant to, int width, int height, double floor, double threshold, Duration gap) {
        List<Instant> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (T item : items) {
            Instant t = at.apply(item);
            if (t == null || t.isBefore(from) || t.isAfter(to)) {
                continue;
            }
            double v = value.applyAsDouble(item);
            times.add(t);
            values.add(v);
            if (Double.isFinite(v)) {
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
        }
        if (min == Double.POSITIVE_INFINITY) {
            return none(width, height, from, to);
        }
        double top = Math.max(max, floor);
        if (!(top > 0)) {
            top = 1;
        }
        double span = Math.max(1, Duration.between(from, to).toMillis());
        // One vertex per unit of width, the highest value of the samples that fall on it: an hour of 5 s samples is
        // 720 values for a 120-unit sparkline, and the peaks are what a person looks for.
        Path path = new Path(top, height);
        Instant previous = null;
        double last = Double.NaN;
        int points = 0;
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            Instant t = times.get(i);
            if (!Double.isFinite(v)) {
                path.breakLine();
                previous = t;
                continue;
            }
            if (previous != null && gap != null && Duration.between(previous, t).compareTo(gap) > 0) {
                path.breakLine();
            }
            path.add(Duration.between(from, t).toMillis() / span * width, Math.max(0, v));
            previous = t;
            last = v;
            points++;
        }
        path.flush();
        double thresholdY = Double.isFinite(threshold) && threshold <= top && threshold >= 0 ? y(threshold, top, height) : -1;
        return new Sparkline(width, height, path.d.toString(), path.lastX, path.lastY, thresholdY, top, min, max, last, points,
                from, to, List.of());
    }

    /** The SVG path being drawn: vertices merged per unit of width, lines broken at gaps. */
    private static final class Path {
        final StringBuilder d = new StringBuilder();
        final double top;
        final int height;
        boolean open;
        boolean pending;
        int bucket;
        double x;
        double value;
        double lastX = -1;
        double lastY = -1;

        Path(double top, int height) {
            this.top = top;
            this.height = height;
        }

        void add(double px, double v) {
            int b = (int) Math.floor(px);
            if (pending && b == bucket) {
                value = Math.max(value, v);
                x = px;
                return;
            }
            flush();
            bucket = b;
            x = px;
            value = v;
            pending = true;
        }

        void breakLine() {
            flush();
            open = false;
        }

        void flush() {
            if (!pending) {
                return;
            }
            double y = y(value, top, height);
            d.append(open ? " L" : (d.length() == 0 ? "M" : " M")).append(num(x)).append(' ').append(num(y));
            open = true;
            pending = false;
            lastX = x;
            lastY = y;
        }
    }

    private static double y(double v, double top, int height) {
        return PAD + (1 - Math.min(v, top) / top) * (height - 2 * PAD);
    }

    /** A coordinate with at most one decimal, never in a locale's notation: SVG wants {@code 12.5}. */
    static String num(double v) {
        // By hand: String.format builds a Formatter and locale symbols per call, and a 25-pool overview writes
        // thousands of coordinates (it was the largest cost of rendering one).
        long tenths = Double.isFinite(v) ? Math.round(v * 10) : 0;
        long abs = Math.abs(tenths);
        return (tenths < 0 ? "-" : "") + (abs / 10) + "." + (abs % 10);
    }

    /** {@link #lastX()} for the SVG attribute. */
    public String lastXText() {
        return num(lastX);
    }

    /** {@link #lastY()} for the SVG attribute. */
    public String lastYText() {
        return num(lastY);
    }

    /** {@link #thresholdY()} for the SVG attribute. */
    public String thresholdYText() {
        return num(thresholdY);
    }

    /** The SVG viewBox. */
    public String viewBox() {
        return "0 0 " + width + " " + height;
    }
}
