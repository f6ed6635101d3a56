package io.poolwatch.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.poolwatch.config.Limits;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.sampling.Trends;

/**
 * The trends the API answers, checked and cut to the window asked for: a figure of every pool (or of one pool, or of
 * applications) over the last hours, at {@link Trends#BUCKET} resolution, from memory only; for {@link TrendResource} and
 * {@link PoolResource}. A bad query is answered with a 400 (or a 404 for an unknown name) that names the value and what
 * is accepted.
 */
@Singleton
public class TrendViews {

    /** Most application names an error message lists. */
    static final int NAMES_LISTED = 20;

    private final Trends trends;
    private final PoolRegistry registry;
    private final PoolwatchConfig config;

    TrendViews(Trends trends, PoolRegistry registry, PoolwatchConfig config) {
        this.trends = trends;
        this.registry = registry;
        this.config = config;
    }

    /**
     * Trends over a window.
     *
     * @param figure the figure asked for; absent when every figure of one pool is answered
     * @param hours the window, in hours back from {@code to}
     * @param bucketSeconds the width of a point
     * @param from the start of the window
     * @param to the end of the window (now)
     * @param series one per subject (and figure), by name; a pool without values yet has no points
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrendsView(String figure, int hours, long bucketSeconds, Instant from, Instant to,
            List<Trends.Series> series) {
    }

    /**
     * {@code figure} (required) of every pool, by default; {@code ?pool=<name>} for one pool, {@code ?application=<name>}
     * for one application, {@code ?kind=application} for every application. {@code ?hours=} from 1 to 24 (default 24).
     */
    public TrendsView trends(String figure, String hours, String pool, String application, String kind) {
        int h = hours(hours);
        if (pool != null && application != null) {
            throw bad("pool=" + Limits.quote(pool) + ", application=" + Limits.quote(application)
                    + ": accepted: one of pool and application, or neither (every pool)");
        }
        String k = kind(kind, pool, application);
        if (figure == null || figure.isBlank()) {
            throw bad("figure: missing; accepted for " + k + ": " + figureNames(k));
        }
        if (Trends.figures(k).stream().noneMatch(f -> f.name().equals(figure))) {
            throw bad("figure=" + Limits.quote(figure) + ": accepted for " + k + ": " + figureNames(k));
        }
        Duration window = Duration.ofHours(h);
        List<Trends.Series> out = new ArrayList<>();
        if (pool != null) {
            registry.pool(pool); // an unknown pool: 404 naming the ones there are
            out.add(seriesOrEmpty(Trends.POOL, pool, figure, window));
        } else if (application != null) {
            Set<String> defined = config.applications().keySet();
            if (!defined.contains(application)) {
                throw new WebApplicationException(Response.status(404).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(new ApiError("application=" + Limits.quote(application) + ": not defined; accepted: "
                                + (defined.isEmpty() ? "none is (poolwatch.applications.\"<name>\".*)" : listed(defined)), 404))
                        .build());
            }
            out.add(seriesOrEmpty(Trends.APPLICATION, application, figure, window));
        } else if (k.equals(Trends.POOL)) {
            // Every pool, those without values yet too: a client sees which pools there are.
            for (String name : registry.names()) {
                out.add(seriesOrEmpty(Trends.POOL, name, figure, window));
            }
        } else {
            out.addAll(trends.series(Trends.APPLICATION, figure, window));
        }
        return view(figure, h, out);
    }

    /** Every figure of one pool, or one ({@code figure}); {@code hours} from 1 to 24. For {@link PoolResource}. */
    public TrendsView pool(String name, String figure, String hours) {
        int h = hours(hours);
        registry.pool(name);
        Duration window = Duration.ofHours(h);
        List<Trends.Series> out = new ArrayList<>();
        if (figure == null || figure.isBlank()) {
            for (Trends.Figure f : Trends.figures(Trends.POOL)) {
                out.add(seriesOrEmpty(Trends.POOL, name, f.name(), window));
            }
            return view(null, h, out);
        }
        if (Trends.figures(Trends.POOL).stream().noneMatch(f -> f.name().equals(figure))) {
            throw bad(
                    "figure=" + Limits.quote(figure) + ": accepted: " + figureNames(Trends.POOL) + ", or none for all of them");
        }
        out.add(seriesOrEmpty(Trends.POOL, name, figure, window));
        return view(figure, h, out);
    }

    private TrendsView view(String figure, int hours, List<Trends.Series> series) {
        Instant to = trends.now();
        return new TrendsView(figure, hours, Trends.BUCKET.toSeconds(), to.minus(Duration.ofHours(hours)), to, series);
    }

    private Trends.Series seriesOrEmpty(String kind, String name, String figure, Duration window) {
        return trends.series(kind, name, figure, window).orElseGet(() -> new Trends.Series(kind, name, figure,
                Trends.figures(kind).stream().filter(f -> f.name().equals(figure)).findFirst().map(Trends.Figure::unit)
                        .orElse(""),
                List.of()));
    }

    /**
     * {@code ?hours=}: a whole number from 1 to 24, 24 when absent; otherwise a 400 naming the parameter, the value and what is
     * accepted.
     */
    static int hours(String hours) {
        if (hours == null || hours.isBlank()) {
            return (int) Trends.SPAN.toHours();
        }
        int h;
        try {
            h = Integer.parseInt(hours.trim());
        } catch (NumberFormatException e) {
            h = -1;
        }
        if (h < 1 || h > Trends.SPAN.toHours()) {
            throw bad("hours=" + Limits.quote(hours) + ": accepted: a whole number from 1 to " + Trends.SPAN.toHours()
                    + " (trends are kept for " + Trends.SPAN.toHours() + " hours at " + Trends.BUCKET.toMinutes()
                    + "-minute resolution)");
        }
        return h;
    }

    private static String kind(String kind, String pool, String application) {
        if (kind == null || kind.isBlank()) {
            return application != null ? Trends.APPLICATION : Trends.POOL;
        }
        if (!Trends.FIGURES.containsKey(kind)) {
            throw bad("kind=" + Limits.quote(kind) + ": accepted: " + String.join(", ", Trends.FIGURES.keySet()));
        }
        if ((pool != null && !kind.equals(Trends.POOL)) || (application != null && !kind.equals(Trends.APPLICATION))) {
            throw bad("kind=" + Limits.quote(kind) + ": accepted with "
                    + (pool != null ? "pool=: pool" : "application=: application"));
        }
        return kind;
    }

    private static String figureNames(String kind) {
        return String.join(", ", Trends.figures(kind).stream().map(Trends.Figure::name).toList());
    }

    private static String listed(Set<String> names) {
        List<String> sorted = names.stream().sorted().toList();
        return sorted.size() <= NAMES_LISTED ? String.join(", ", sorted)
                : String.join(", ", sorted.subList(0, NAMES_LISTED)) + " and " + (sorted.size() - NAMES_LISTED) + " more";
    }

    private static WebApplicationException bad(String message) {
        return new WebApplicationException(
                Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(message, 400)).build());
    }
}
