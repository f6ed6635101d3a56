package io.poolwatch.sampling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.poolwatch.config.Limits;

/**
 * The last 24 hours of each pool's and each application's figures at 5-minute resolution, in memory that never grows
 * with uptime: the seed guide's {@code get_performance_trends('checkout_time', hours=24)}.
 * <p>
 * A <em>subject</em> is a kind ({@value #POOL} or {@value #APPLICATION}) and a name; each kind has a fixed list of
 * figures ({@link #FIGURES}). Each subject and figure keeps one series: {@value #BUCKETS} buckets of
 * {@link #BUCKET} (the minimum, the sum, the maximum and the count of the values recorded in them), in primitive
 * arrays indexed by time ({@code bucket number % BUCKETS}), so a bucket 24 hours old is reused by the new one. A
 * series is allocated when its first value is recorded: <strong>5,872 bytes per subject and figure</strong>, and about 300
 * more per subject (measured with JOL on a 64-bit JVM with compressed references, {@code TrendsTest}), so a pool's eight
 * figures take 47,312 bytes whatever the uptime, and an application's four about 23.8 KB. At most {@link #MAX_SUBJECTS}
 * subjects are kept: the bound on the whole store is 2,000 × 8 × 5,872 bytes (94 MB), reached only with thousands of
 * applications defined; ten pools and a hundred applications take 2.9 MB.
 * <p>
 * Thread-safe: the samplers record, the web reads.
 */
@Singleton
public class Trends {

    private static final Logger LOG = Logger.getLogger(Trends.class);

    /** The kind of poolwatch's own pools. */
    public static final String POOL = "pool";
    /** The kind of applications poolwatch observes but does not own ({@code poolwatch.applications}). */
    public static final String APPLICATION = "application";
    /** One bucket's width: the resolution of a trend. */
    public static final Duration BUCKET = Duration.ofMinutes(5);
    /** How far back a trend goes. */
    public static final Duration SPAN = Duration.ofHours(24);
    /** Buckets per series: {@link #SPAN} / {@link #BUCKET}. */
    public static final int BUCKETS = 288;
    /** Most subjects kept (pools and applications together): a subject beyond is not kept, and counted. */
    public static final int MAX_SUBJECTS = 2000;
    /** Longest subject name accepted (pool and application names are configuration keys, far shorter). */
    public static final int MAX_NAME = 200;

    /** A figure of a kind: its name as the API takes it, and the unit its values are in. */
    public record Figure(String name, String unit) {
    }

    /** The figures of each kind, in the order the API lists them. */
    public static final Map<String, List<Figure>> FIGURES = figures();

    private static Map<String, List<Figure>> figures() {
        Map<String, List<Figure>> m = new LinkedHashMap<>();
        m.put(POOL, List.of(
                new Figure("checkout_time", "seconds (p95 of each sample)"),
                new Figure("lease_time", "seconds (p95 of each sample)"),
                new Figure("utilization", "ratio (active / max-size)"),
                new Figure("active", "connections"),
                new Figure("idle", "connections"),
                new Figure("awaiting", "callers"),
                new Figure("error_rate", "ratio (failed / attempted acquisitions)"),
                new Figure("slow_queries", "statements (slow ones completed in each sample's interval)")));
        m.put(APPLICATION, List.of(
                new Figure("sessions", "sessions"),
                new Figure("utilization", "ratio (sessions / expected-max)"),
                new Figure("idle_in_transaction", "sessions"),
                new Figure("longest_transaction", "seconds")));
        return Collections.unmodifiableMap(m);
    }

    /**
     * One bucket of a trend.
     *
     * @param at the start of the bucket
     * @param value the mean of the values recorded in it (the guide's {@code point['value']})
     * @param min the smallest
     * @param max the largest
     * @param samples how many values were recorded in it
     */
    public record Point(Instant at, double value, double min, double max, int samples) {
    }

    /**
     * A subject's figure over a window.
     *
     * @param kind pool or application
     * @param name the pool's or application's name
     * @param figure the figure
     * @param unit what its values are in
     * @param points the buckets that hold values, oldest first; a bucket without values is left out (a gap)
     */
    public record Series(String kind, String name, String figure, String unit, List<Point> points) {
    }

    private final Clock clock;
    private final int maxSubjects;
    private final Map<String, Subject> subjects = new ConcurrentHashMap<>();
    private final AtomicLong refusedSubjects = new AtomicLong();

    /** The store the application uses: the system clock, {@link #MAX_SUBJECTS} subjects. */
    public Trends() {
        this(Clock.systemUTC(), MAX_SUBJECTS);
    }

    /** A store with its own clock (for the windows of reads) and subject bound. */
    public Trends(Clock clock, int maxSubjects) {
        if (maxSubjects < 1) {
            throw new IllegalArgumentException("maxSubjects must be at least 1: " + maxSubjects);
        }
        this.clock = clock;
        this.maxSubjects = maxSubjects;
    }

    /**
     * Records one value of a subject's figure, taken at {@code at}. A value that is not finite is a gap (nothing was
     * measured) and is not recorded; so is one older than the span kept. A new subject beyond the bound is not kept
     * ({@link #refusedSubjects()}).
     *
     * @throws IllegalArgumentException for an unknown kind or figure, or an empty or overlong name, naming what is accepted
     */
    public void record(String kind, String name, String figure, Instant at, double value) {
        int index = figureIndex(kind, figure);
        checkName(name);
        if (!Double.isFinite(value) || at == null) {
            return;
        }
        String key = key(kind, name);
        Subject subject = subjects.get(key);
        if (subject == null) {
            synchronized (subjects) {
                subject = subjects.get(key);
                if (subject == null) {
                    if (subjects.size() >= maxSubjects) {
                        if (refusedSubjects.getAndIncrement() == 0) {
                            LOG.warnf(
                                    "trends: %d subjects kept, the most there may be; %s '%s' and any further ones get no trend",
                                    maxSubjects,
                                    kind, Limits.quote(name));
                        }
                        return;
                    }
                    subject = new Subject(kind, name, FIGURES.get(kind).size());
                    subjects.put(key, subject);
                }
            }
        }
        subject.series(index).add(bucketOf(at), (float) value);
    }

    /** Forgets a subject (a pool or an application no longer watched); nothing if unknown. */
    public void forget(String kind, String name) {
        subjects.remove(key(kind, name));
    }

    /**
     * Every subject of {@code kind} that has values of {@code figure} in the last {@code window} (at most {@link #SPAN}),
     * by name.
     *
     * @throws IllegalArgumentException for an unknown kind or figure
     */
    public List<Series> series(String kind, String figure, Duration window) {
        int index = figureIndex(kind, figure);
        List<Series> out = new ArrayList<>();
        for (Subject s : subjects.values()) {
            if (s.kind.equals(kind) && s.has(index)) {
                out.add(read(s, index, window));
            }
        }
        out.sort(Comparator.comparing(Series::name));
        return out;
    }

    /**
     * One subject's figure over the last {@code window} (at most {@link #SPAN}); empty when nothing of it was recorded.
     *
     * @throws IllegalArgumentException for an unknown kind or figure
     */
    public Optional<Series> series(String kind, String name, String figure, Duration window) {
        int index = figureIndex(kind, figure);
        Subject s = subjects.get(key(kind, name));
        return s == null || !s.has(index) ? Optional.empty() : Optional.of(read(s, index, window));
    }

    /** The figures of a kind (empty for an unknown kind). */
    public static List<Figure> figures(String kind) {
        return FIGURES.getOrDefault(kind, List.of());
    }

    /** Subjects kept now. */
    public int subjects() {
        return subjects.size();
    }

    /** The subject bound. */
    public int maxSubjects() {
        return maxSubjects;
    }

    /** How many times a new subject was not kept because the bound was reached. */
    public long refusedSubjects() {
        return refusedSubjects.get();
    }

    /** The clock the windows of reads end at. */
    public Instant now() {
        return clock.instant();
    }

    private Series read(Subject s, int index, Duration window) {
        Duration w = window == null || window.compareTo(SPAN) > 0 ? SPAN : window;
        long newest = bucketOf(clock.instant());
        long oldest = newest - Math.max(1, (w.toMillis() + BUCKET.toMillis() - 1) / BUCKET.toMillis()) + 1;
        Figure f = FIGURES.get(s.kind).get(index);
        return new Series(s.kind, s.name, f.name(), f.unit(), s.series(index).points(oldest, newest));
    }

    static long bucketOf(Instant at) {
        return Math.floorDiv(at.toEpochMilli(), BUCKET.toMillis());
    }

    /** The position of a kind's figure, or an error naming what is accepted. */
    static int figureIndex(String kind, String figure) {
        List<Figure> figures = FIGURES.get(kind);
        if (figures == null) {
            throw new IllegalArgumentException(
                    "kind=" + Limits.quote(String.valueOf(kind)) + ": accepted: " + String.join(", ", FIGURES.keySet()));
        }
        for (int i = 0; i < figures.size(); i++) {
            if (figures.get(i).name().equals(figure)) {
                return i;
            }
        }
        throw new IllegalArgumentException("figure=" + Limits.quote(String.valueOf(figure)) + ": accepted for " + kind + ": "
                + String.join(", ", figures.stream().map(Figure::name).toList()));
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException(
                    "name=" + Limits.quote(String.valueOf(name)) + ": accepted: 1 to " + MAX_NAME + " characters");
        }
    }

    private static String key(String kind, String name) {
        return kind + '\u0000' + name;
    }

    /** A pool or application, with a series per figure allocated at its first value. */
    private static final class Subject {
        final String kind;
        final String name;
        final Ring[] series;

        Subject(String kind, String name, int figures) {
            this.kind = kind;
            this.name = name;
            this.series = new Ring[figures];
        }

        synchronized Ring series(int index) {
            if (series[index] == null) {
                series[index] = new Ring();
            }
            return series[index];
        }

        synchronized boolean has(int index) {
            return series[index] != null;
        }
    }

    /**
     * One figure's buckets: slot {@code b % BUCKETS} holds bucket number {@code b} (epoch milliseconds / bucket width),
     * reset when a newer bucket comes to it. Floats: a figure's values need no more than 7 significant digits.
     */
    static final class Ring {
        /** Bucket numbers: an int holds them (5-minute buckets since 1970) until the year 22000. */
        final int[] bucket = new int[BUCKETS];
        final int[] count = new int[BUCKETS];
        final float[] min = new float[BUCKETS];
        final float[] max = new float[BUCKETS];
        final float[] sum = new float[BUCKETS];

        Ring() {
            Arrays.fill(bucket, Integer.MIN_VALUE);
        }

        synchronized void add(long number, float v) {
            int b = (int) number;
            int slot = (int) Math.floorMod(b, (long) BUCKETS);
            if (bucket[slot] > b) {
                return; // older than the span kept: its slot holds a newer bucket
            }
            if (bucket[slot] != b) {
                bucket[slot] = b;
                count[slot] = 0;
                sum[slot] = 0;
                min[slot] = v;
                max[slot] = v;
            }
            count[slot]++;
            sum[slot] += v;
            min[slot] = Math.min(min[slot], v);
            max[slot] = Math.max(max[slot], v);
        }

        /** A float as the double its shortest text reads (0.1, not 0.10000000149011612): the JSON shows what was kept. */
        static double shortest(float f) {
            return Double.parseDouble(Float.toString(f));
        }

        synchronized List<Point> points(long oldest, long newest) {
            List<Point> out = new ArrayList<>();
            // Walk the window in time order: each bucket number has one slot, which holds it or something else.
            for (long b = Math.max(oldest, newest - BUCKETS + 1); b <= newest; b++) {
                int slot = (int) Math.floorMod(b, (long) BUCKETS);
                if (bucket[slot] == b && count[slot] > 0) {
                    out.add(new Point(Instant.ofEpochMilli(b * BUCKET.toMillis()),
                            shortest((float) (sum[slot] / (double) count[slot])),
                            shortest(min[slot]), shortest(max[slot]), count[slot]));
                }
            }
            return out;
        }
    }
}
