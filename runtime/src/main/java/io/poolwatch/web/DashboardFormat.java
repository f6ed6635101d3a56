package io.poolwatch.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import io.quarkus.qute.TemplateExtension;

/**
 * How the dashboard writes numbers and times, in one place: {@code {fmt:percent(x)}}, {@code {fmt:ms(x)}} ... A value
 * that is missing (NaN, null) reads as an en dash, never as 0 or "NaN". Times are UTC, as in the logs and the API.
 */
@TemplateExtension(namespace = "fmt")
public final class DashboardFormat {

    /** What a missing value reads as. */
    public static final String NONE = "–";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private DashboardFormat() {
    }

    /** A ratio as a percentage: 42%, 4.2%, 0.42%. */
    public static String percent(double ratio) {
        if (!Double.isFinite(ratio)) {
            return NONE;
        }
        double p = ratio * 100;
        if (p == 0 || Math.abs(p) >= 10) {
            return String.format(Locale.ROOT, "%.0f%%", p);
        }
        return Math.abs(p) >= 1 ? String.format(Locale.ROOT, "%.1f%%", p) : String.format(Locale.ROOT, "%.2f%%", p);
    }

    /** Milliseconds: 0.4 ms, 12 ms, 2.35 s. */
    public static String ms(double ms) {
        if (!Double.isFinite(ms)) {
            return NONE;
        }
        if (ms >= 1000) {
            return String.format(Locale.ROOT, "%.2f s", ms / 1000);
        }
        return ms >= 10 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    /** Seconds as {@link #ms(double)} does. */
    public static String seconds(double s) {
        return ms(s * 1000);
    }

    /** A plain number: 5, 0.25, 1.2k. */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            return NONE;
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** An alert's value or threshold in its rule's unit. */
    public static String value(double v, String unit) {
        return switch (unit == null ? "" : unit) {
            case "ratio" -> percent(v);
            case "seconds" -> seconds(v);
            case "ms" -> ms(v);
            default -> number(v);
        };
    }

    /** A time of day, UTC: 14:03:12. */
    public static String clock(Instant at) {
        return at == null ? NONE : CLOCK.format(at);
    }

    /** A full time, UTC: 2026-11-22 14:03:12 UTC. */
    public static String dateTime(Instant at) {
        return at == null ? NONE : DATE_TIME.format(at);
    }

    /** The machine-readable form for {@code <time datetime>}. */
    public static String iso(Instant at) {
        return at == null ? "" : at.toString();
    }

    /** How long ago, from {@code now}: 12s, 3m 5s, 2h 10m; "in ..." for a time ahead. */
    public static String ago(Instant at, Instant now) {
        if (at == null || now == null) {
            return NONE;
        }
        Duration d = Duration.between(at, now);
        return d.isNegative() ? "in " + span(d.negated()) : span(d) + " ago";
    }

    /** A span in the two largest units: 45s, 3m 5s, 2h 10m, 3d 4h. */
    public static String span(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        if (s < 86400) {
            return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        }
        return (s / 86400) + "d " + (s % 86400 / 3600) + "h";
    }

    /** Where a pool's bar is marked critical, as a percentage. */
    public static String criticalUtilization() {
        return percent(DashboardModel.CRITICAL_UTILIZATION);
    }

    /** The lengths the silence form offers. */
    public static List<String> silenceDurations() {
        return List.of("15m", "1h", "2h", "4h", "8h", "1d", "7d");
    }

    /** The state of a health, alert or check, in words with a symbol, so state never rests on colour alone. */
    public static String symbol(String state) {
        return switch (state == null ? "" : state) {
            case "up", "ok", "pass" -> "✓";
            case "degraded", "warning", "pending", "fail" -> "▲";
            case "down", "critical", "firing", "error", "timeout" -> "✕";
            case "resolved", "finished" -> "○";
            case "running" -> "▶";
            case "failed", "interrupted" -> "✕";
            default -> "?";
        };
    }
}
