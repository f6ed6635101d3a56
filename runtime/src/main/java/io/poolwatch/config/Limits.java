package io.poolwatch.config;

/**
 * Every bound on what users store and what lists show, in one place, so a page or an API answer has a size known in
 * advance whatever was stored.
 * <p>
 * <b>Stored fields.</b> A silence is the only free text users store (check runs, metric resets and simulator faults
 * take names checked against the configured ones, and durations with their own maxima). Each of its fields has a
 * length limit; a request over one is refused with a 400 naming the field, the limit and the length given, and nothing
 * is stored. The store refuses to write a silence over a limit too, and reads back one written by an older version
 * cut to the limits (see {@link #cut}), so no row can make a page unbounded.
 * <p>
 * <b>Lists.</b> Every list the API returns that can grow with use takes {@code ?limit=} (default and maximum below)
 * and {@code ?offset=}, and answers with {@code X-Total-Count} and, when more follow, {@code Link: <...>; rel="next"}.
 * The JSON shapes are unchanged. The dashboard shows at most {@link #PAGE_SILENCES} silences per page, with a link to
 * the next ones.
 */
public final class Limits {

    /** Characters of a silence's {@code createdBy} (the store's column holds 200). */
    public static final int SILENCE_CREATED_BY = 200;
    /** Characters of a silence's {@code comment} (the store's column holds 600). */
    public static final int SILENCE_COMMENT = 500;
    /** Matchers in one silence. */
    public static final int SILENCE_MATCHERS = 10;
    /** Characters of a matcher's {@code name} (a label name). */
    public static final int MATCHER_NAME = 100;
    /** Characters of a matcher's {@code value} (a label value, or an RE2 expression). */
    public static final int MATCHER_VALUE = 512;
    /**
     * Characters of a silence's {@code duration} or {@code endsAt} as sent (parsed, not stored; bounded so errors quote
     * little).
     */
    public static final int TIME_TEXT = 64;
    /**
     * Silences kept at once, active or ended within the last day (ended ones are listed for a day, then dropped). A new
     * silence beyond it is refused with a 409 until one ends and ages out.
     */
    public static final int SILENCES = 1000;

    /** {@code GET /api/v1/silences}: silences per answer unless {@code ?limit=} says otherwise. */
    public static final int API_SILENCES_DEFAULT = 100;
    /** {@code GET /api/v1/silences}: most silences per answer. */
    public static final int API_SILENCES_MAX = 500;
    /** {@code GET /api/v1/alerts}: alerts per answer unless {@code ?limit=} says otherwise. */
    public static final int API_ALERTS_DEFAULT = 500;
    /** {@code GET /api/v1/alerts}: most alerts per answer. */
    public static final int API_ALERTS_MAX = 1000;
    /** {@code GET /api/v1/checks}: checks per answer unless {@code ?limit=} says otherwise. */
    public static final int API_CHECKS_DEFAULT = 200;
    /** {@code GET /api/v1/checks}: most checks per answer. */
    public static final int API_CHECKS_MAX = 1000;
    /** {@code GET /api/v1/checks/{name}}: results of its history per answer unless {@code ?limit=} says otherwise. */
    public static final int API_CHECK_HISTORY_DEFAULT = 50;
    /** {@code GET /api/v1/checks/{name}}: most results of its history per answer. */
    public static final int API_CHECK_HISTORY_MAX = 500;

    /**
     * Simulator faults kept for {@code GET /api/v1/simulator/faults} and the overview: the newest, ended ones beyond are
     * dropped.
     */
    public static final int FAULTS_KEPT = 100;

    /** Highest autosize.ceiling accepted: far above any server's max_connections, so that a typo is refused. */
    public static final int AUTOSIZE_CEILING = 10_000;

    /** Autosize changes (applied or recommended) kept per pool for the API and the pool page, newest first. */
    public static final int AUTOSIZE_EVENTS = 50;

    /** The alerts page: silences shown per page ({@code ?silences-from=} for the next ones). */
    public static final int PAGE_SILENCES = 50;
    /** The dashboard: silence ids shown with one silenced alert (the rest are counted). */
    public static final int PAGE_SILENCED_BY = 5;
    /** The checks page: results shown per check. */
    public static final int PAGE_CHECK_HISTORY = 20;

    /** How much of a refused value an error message quotes. */
    public static final int QUOTED = 60;

    private Limits() {
    }

    /**
     * Refuses a value longer than {@code limit}: {@link IllegalArgumentException} naming the field, the limit and the
     * length given. Null passes (whether it is required is the caller's rule).
     */
    public static void require(String field, String value, int limit) {
        if (value != null && value.length() > limit) {
            throw new IllegalArgumentException(field + ": " + value.length() + " characters given; accepted: at most " + limit
                    + " (" + quote(value) + ")");
        }
    }

    /** A value to quote in an error message: at most {@link #QUOTED} characters, marked when cut. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() > QUOTED ? value.substring(0, QUOTED) + "..." : value;
    }

    /** A value cut to {@code limit} characters (a stored value from before the limit, shown within it). */
    public static String cut(String value, int limit) {
        return value == null || value.length() <= limit ? value : value.substring(0, limit);
    }
}
