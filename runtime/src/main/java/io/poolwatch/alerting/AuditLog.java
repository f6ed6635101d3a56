package io.poolwatch.alerting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.poolwatch.config.Durations;
import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.pool.RoleProbe;
import io.poolwatch.sampling.Autosizer;
import io.poolwatch.work.BackgroundWork;
import io.quarkus.runtime.StartupEvent;

/**
 * What poolwatch did that someone may need to account for later: every notification delivery attempt and every admin
 * action. Each event is one JSON line on the log category {@code poolwatch.audit} (route it to a file or collector of
 * its own) and is kept in memory for {@code GET /api/v1/audit}. Where an outbox database exists, events are also
 * written there ({@link #attach(AuditStore, String)}) by a writer thread of their own, so recording never waits on a
 * database, and memory is filled from it at start. Events never carry a secret.
 * <p>
 * Nobody can flood it: every field is bounded ({@value #MAX_FIELD_LENGTH} characters, {@value #MAX_FIELDS} fields);
 * refused requests (and anonymous ones that were not done) are not kept one by one but counted, one entry per window
 * for each caller, address, method, path and status, with at most {@link Limits#refusedPerWindow()} such entries a
 * window and the rest counted in one more; and each {@link Retention} class is kept apart, bounded in memory and in the
 * store by its own count as well as by age, so no one's requests evict a signed-in user's actions.
 */
@ApplicationScoped
public class AuditLog {

    /** The log category of audit events. */
    public static final String CATEGORY = "poolwatch.audit";
    /** Events kept in memory, per retention class. */
    public static final int DEFAULT_CAPACITY = 1000;
    /** A delivery attempt of a notification, and its outcome. */
    public static final String NOTIFICATION_ATTEMPT = "notification.attempt";
    /** A request under poolwatch's root that changes something, done or not (see {@code AdminAudit}). */
    public static final String ADMIN_ACTION = "admin.action";
    /** A pool's server turned between taking and refusing writes, or refuses them to a pool that writes. */
    public static final String SERVER_ROLE = "pool.server-role";
    /** The server behind a pool that writes changed: a failover, or on PostgreSQL a restart. */
    public static final String SERVER_CHANGED = "pool.server-changed";
    /** Autosizing changed a pool's max-size, or in dry-run would have. */
    public static final String AUTOSIZE = "pool.autosize";
    /** The longest text kept in a field; longer ones are cut, ending in {@value #CUT}. */
    public static final int MAX_FIELD_LENGTH = 256;
    /** The most fields kept in an event; the rest are left out. */
    public static final int MAX_FIELDS = 24;
    /** The end of a cut text. */
    static final String CUT = "...";
    static final int MAX_NAME_LENGTH = 64;
    static final int MAX_TYPE_LENGTH = 100;
    /** What an overflow entry shows for a field its requests did not share. */
    static final String SEVERAL = "(several)";

    private static final Logger LOG = Logger.getLogger(CATEGORY);
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /**
     * One event: when, what kind, and its fields (string, number, boolean or null values), shown flat in JSON.
     *
     * @param seq its position since start, increasing
     */
    public record Event(long seq, Instant time, String type, Map<String, Object> fields) {

        public Event {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(type, "type");
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        /** The event as one flat JSON object: time, type, then its fields. */
        public Map<String, Object> toMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("time", time.toString());
            out.put("type", type);
            fields.forEach((k, v) -> out.put(k, v instanceof Instant i ? i.toString() : v));
            return out;
        }
    }

    /**
     * The classes events are kept in, each bounded on its own so one class never evicts another's.
     */
    public enum Retention {
        /** Admin actions of signed-in users that were not refused. */
        ACTIONS,
        /** Admin actions done without signing in (an anonymous poolwatch on loopback). */
        ANONYMOUS,
        /** Refused requests, and anonymous ones not done: counted per window, never one entry per request. */
        REFUSED,
        /** Notification delivery attempts. */
        NOTIFICATIONS,
        /** Anything else. */
        OTHER;

        /** Its name in the store. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The class of an event of this type with these fields. */
        public static Retention of(String type, Map<String, ?> fields) {
            if (NOTIFICATION_ATTEMPT.equals(type)) {
                return NOTIFICATIONS;
            }
            if (!ADMIN_ACTION.equals(type)) {
                return OTHER;
            }
            Object user = fields.get("user");
            boolean anonymous = user == null || "anonymous".equals(user);
            Object outcome = fields.get("outcome");
            if (fields.containsKey("count") || "refused".equals(outcome) || anonymous && !"done".equals(outcome)) {
                return REFUSED;
            }
            return anonymous ? ANONYMOUS : ACTIONS;
        }
    }

    /**
     * The audit log's bounds.
     *
     * @param capacity events kept in memory per retention class, and the most {@code /api/v1/audit} returns
     * @param maxStored events kept in the store per retention class
     * @param maxAge how long stored events are kept
     * @param refusedWindow refused requests are counted over windows this long
     * @param refusedPerWindow distinct entries of refused requests a window at most; beyond, they are counted in one more
     */
    public record Limits(int capacity, int maxStored, Duration maxAge, Duration refusedWindow, int refusedPerWindow) {

        /**
         * 1000 events per class in memory, 10,000 per class stored for at most 90 days, refused requests counted per minute, 50
         * a minute.
         */
        public static final Limits DEFAULTS = new Limits(DEFAULT_CAPACITY, 10_000, Duration.ofDays(90), Duration.ofMinutes(1),
                50);

        static final String PREFIX = "poolwatch.alerting.audit.";

        public Limits {
            if (capacity < 1 || maxStored < 1 || refusedPerWindow < 1 || maxAge.isNegative() || maxAge.isZero()
                    || refusedWindow.isNegative() || refusedWindow.isZero()) {
                throw new IllegalArgumentException(
                        "audit limits must be positive: " + capacity + ", " + maxStored + ", " + maxAge + ", "
                                + refusedWindow + ", " + refusedPerWindow);
            }
        }

        /** The limits configured, or every problem with them, each naming its key, its value and what is accepted. */
        public static Limits of(PoolwatchConfig.AuditConfig c) {
            List<String> problems = new ArrayList<>();
            if (c.maxEntries() < 1 || c.maxEntries() > 10_000_000) {
                problems.add(PREFIX + "max-entries=" + c.maxEntries() + ": accepted: 1 to 10000000");
            }
            if (c.refusedPerWindow() < 1 || c.refusedPerWindow() > 10_000) {
                problems.add(PREFIX + "refused-per-window=" + c.refusedPerWindow() + ": accepted: 1 to 10000");
            }
            if (c.retention().isZero() || c.retention().isNegative()) {
                problems.add(PREFIX + "retention=" + Durations.format(c.retention()) + ": accepted: above 0s, such as 90d");
            }
            if (c.refusedWindow().compareTo(Duration.ofSeconds(1)) < 0
                    || c.refusedWindow().compareTo(Duration.ofHours(1)) > 0) {
                problems.add(PREFIX + "refused-window=" + Durations.format(c.refusedWindow()) + ": accepted: 1s to 1h");
            }
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
            return new Limits(Math.min(DEFAULT_CAPACITY, c.maxEntries()), c.maxEntries(), c.retention(), c.refusedWindow(),
                    c.refusedPerWindow());
        }
    }

    /** How long stored events are kept unless configured. */
    public static final Duration RETENTION = Limits.DEFAULTS.maxAge();
    /** Events waiting for the store at most; beyond that they are only logged (and counted). */
    static final int QUEUE_CAPACITY = 10_000;

    private final Limits limits;
    private final Clock clock;
    /** Where the store's writer runs; null for a log made outside CDI, whose writer then has threads of its own. */
    private final BackgroundWork work;
    private volatile Writer writer;
    private final Map<Retention, ArrayDeque<Event>> rings = new EnumMap<>(Retention.class);
    private RefusedWindow window;
    private long seq;

    /** The application's log, bounded by {@code poolwatch.alerting.audit.*}, on the system clock. */
    @Inject
    public AuditLog(PoolwatchConfig config, BackgroundWork work) {
        this(Limits.of(config.alerting().audit()), Clock.systemUTC(), work);
    }

    /**
     * Creates the log at start-up, so bad {@code poolwatch.alerting.audit.*} values stop the start instead of the first
     * request that is audited, and from then on ends a refused requests' window that is over every
     * {@link #REFUSED_WINDOW_CHECK}.
     */
    void onStart(@Observes @Priority(1) StartupEvent event) {
        // The bean, and its limits, are made before this runs.
        if (work != null) {
            work.every("audit refused window", REFUSED_WINDOW_CHECK, REFUSED_WINDOW_CHECK, this::endWindowWhenOver);
        }
    }

    /** How often a refused requests' window that is over is ended without waiting for another event. */
    private static final Duration REFUSED_WINDOW_CHECK = Duration.ofSeconds(5);

    /** A log keeping {@code capacity} events per class in memory, otherwise with the default limits. */
    public AuditLog(int capacity, Clock clock) {
        this(limits(capacity), clock);
    }

    public AuditLog(Limits limits, Clock clock) {
        this(limits, clock, null);
    }

    private AuditLog(Limits limits, Clock clock, BackgroundWork work) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = clock;
        this.work = work;
        for (Retention r : Retention.values()) {
            rings.put(r, new ArrayDeque<>());
        }
    }

    private static Limits limits(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + ": accepted: 1 or more");
        }
        Limits d = Limits.DEFAULTS;
        return new Limits(capacity, d.maxStored(), d.maxAge(), d.refusedWindow(), d.refusedPerWindow());
    }

    /**
     * Records an event now. A refused request is counted in its window's entry instead, which is logged and stored when
     * the window ends, and listed by {@link #recent} with its count so far until then.
     *
     * @param type what happened, dotted: {@code notification.attempt}
     * @param fields its details, in the order given; Instants are written in ISO-8601; texts are cut at
     *        {@value #MAX_FIELD_LENGTH} characters
     * @return the event, or the refused requests' entry it was counted in
     */
    public Event record(String type, Map<String, ?> fields) {
        String t = cut(Objects.requireNonNull(type, "type"), MAX_TYPE_LENGTH);
        Map<String, Object> bounded = bound(fields);
        Retention retention = Retention.of(t, bounded);
        List<Event> ended;
        Event event;
        boolean counted = retention == Retention.REFUSED && !bounded.containsKey("count");
        synchronized (this) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            ended = endWindow(now, false);
            if (counted) {
                if (window == null) {
                    window = new RefusedWindow(now);
                }
                event = window.count(t, bounded, now);
            } else {
                event = new Event(++seq, now, t, bounded);
                append(retention, event);
            }
        }
        publish(ended);
        if (!counted) {
            publish(List.of(event));
        }
        return event;
    }

    /** Logs events and hands them to the store's writer. Called outside the lock. */
    private void publish(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        Writer w = writer;
        for (Event e : events) {
            if (LOG.isInfoEnabled()) {
                LOG.info(json(e));
            }
            if (w != null) {
                w.offer(e);
            }
        }
    }

    /** Ends the refused requests' window when it is over (or at once when {@code now} is true); its entries, kept. */
    private List<Event> endWindow(Instant at, boolean now) {
        if (window == null || !now && at.isBefore(window.start.plus(limits.refusedWindow()))) {
            return List.of();
        }
        List<Event> ended = window.events();
        window = null;
        for (Event e : ended) {
            append(Retention.REFUSED, e);
        }
        return ended;
    }

    /**
     * Ends the refused requests' window when it is over, so its entries are logged and stored without waiting for another
     * event.
     */
    void endWindowWhenOver() {
        List<Event> ended;
        synchronized (this) {
            ended = endWindow(clock.instant(), false);
        }
        publish(ended);
    }

    /**
     * The fields, bounded: at most {@value #MAX_FIELDS}, names and texts cut, values other than numbers, booleans, times and
     * nulls as text.
     */
    static Map<String, Object> bound(Map<String, ?> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (out.size() == MAX_FIELDS) {
                break;
            }
            Object v = e.getValue();
            Object kept = v == null || v instanceof Number || v instanceof Boolean || v instanceof Instant ? v
                    : cut(String.valueOf(v), MAX_FIELD_LENGTH);
            out.put(cut(String.valueOf(e.getKey()), MAX_NAME_LENGTH), kept);
        }
        return out;
    }

    /** Records a change of a pool's server between taking and refusing writes ({@link RoleProbe}). */
    void onServerRole(@Observes RoleProbe.Change change) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("pool", change.pool());
        fields.put("role", change.now().label());
        change.before().ifPresent(b -> fields.put("was", b.label()));
        fields.put("primaryReadOnly", change.primaryReadOnly());
        fields.put("at", change.at().toString());
        record(SERVER_ROLE, fields);
    }

    void onServerMoved(@Observes RoleProbe.Moved moved) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("pool", moved.pool());
        fields.put("was", moved.before());
        fields.put("now", moved.now());
        fields.put("at", moved.at().toString());
        record(SERVER_CHANGED, fields);
    }

    void onAutosize(@Observes Autosizer.Change change) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("pool", change.pool());
        fields.put("mode", change.mode());
        fields.put("applied", change.applied());
        fields.put("direction", change.direction());
        fields.put("from", change.from());
        fields.put("to", change.to());
        fields.put("reason", change.reason());
        fields.put("budget", change.budget());
        fields.put("at", change.at().toString());
        record(AUTOSIZE, fields);
    }

    /** The text, cut to at most {@code max} characters (ending in {@value #CUT} when cut, never splitting a surrogate pair). */
    public static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - CUT.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + CUT;
    }

    /** The event as the JSON line logged. */
    static String json(Event event) {
        try {
            return JSON.writeValueAsString(event.toMap());
        } catch (JsonProcessingException e) {
            // Fields are strings, numbers, booleans and nulls; this does not happen.
            throw new IllegalStateException(e);
        }
    }

    /**
     * The newest events first, of every class, refused requests' entries with their counts so far.
     *
     * @param limit at most this many
     * @param type only this type, or every type when null
     */
    public List<Event> recent(int limit, String type) {
        List<Event> ended;
        List<Event> out = new ArrayList<>();
        synchronized (this) {
            ended = endWindow(clock.instant(), false);
            for (ArrayDeque<Event> ring : rings.values()) {
                for (Event e : ring) {
                    if (type == null || type.equals(e.type())) {
                        out.add(e);
                    }
                }
            }
            if (window != null) {
                for (Event e : window.events()) {
                    if (type == null || type.equals(e.type())) {
                        out.add(e);
                    }
                }
            }
        }
        publish(ended);
        out.sort(Comparator.comparingLong(Event::seq).reversed());
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    /** How many events of each class are kept in memory at most, and the most {@link #recent} is asked for. */
    public int capacity() {
        return limits.capacity();
    }

    /** The bounds this log keeps to. */
    public Limits limits() {
        return limits;
    }

    /**
     * Keeps events in {@code store} from now on, and fills memory with the newest stored ones of each class (those of
     * earlier runs and of other replicas sharing the store), followed by the ones recorded before this call.
     *
     * @param instance names this process in the stored rows
     */
    public void attach(AuditStore store, String instance) {
        List<Event> stored = new ArrayList<>();
        try {
            store.purgeAudit(clock.instant().minus(limits.maxAge()));
            for (Retention r : Retention.values()) {
                store.trimAudit(r, limits.maxStored());
                stored.addAll(store.recentAudit(r, limits.capacity()));
            }
        } catch (RuntimeException e) {
            LOG.warnf("the audit log's store cannot be read (%s); events are kept in memory and the log only", e.getMessage());
            return;
        }
        // Stored ids grow with time across classes: oldest first.
        stored.sort(Comparator.comparingLong(Event::seq));
        synchronized (this) {
            List<Event> mine = new ArrayList<>();
            rings.values().forEach(mine::addAll);
            mine.sort(Comparator.comparingLong(Event::seq));
            rings.values().forEach(ArrayDeque::clear);
            long base = 0;
            for (Event e : stored) {
                append(Retention.of(e.type(), e.fields()), new Event(++base, e.time(), e.type(), e.fields()));
            }
            List<Event> renumbered = new ArrayList<>();
            for (Event e : mine) {
                Event again = new Event(++base, e.time(), e.type(), e.fields());
                renumbered.add(again);
                append(Retention.of(e.type(), e.fields()), again);
            }
            if (window != null) {
                base = window.renumber(base);
            }
            seq = base;
            Writer w = new Writer(store, instance, limits, clock, this::endWindowWhenOver, work);
            writer = w;
            // Events recorded before the store existed are written too.
            renumbered.forEach(w::offer);
            w.start();
        }
    }

    /** Ends the refused requests' window, writes what is queued (waiting up to {@code timeout}) and stops using the store. */
    public void detach(Duration timeout) {
        List<Event> ended;
        synchronized (this) {
            ended = endWindow(clock.instant(), true);
        }
        publish(ended);
        Writer w;
        synchronized (this) {
            w = writer;
            writer = null;
        }
        if (w != null) {
            w.stop(timeout);
        }
    }

    private void append(Retention retention, Event e) {
        ArrayDeque<Event> ring = rings.get(retention);
        if (ring.size() == limits.capacity()) {
            ring.removeFirst();
        }
        ring.addLast(e);
    }

    /** The refused requests of one window, counted per caller, address, method, path, status and outcome. */
    private final class RefusedWindow {
        final Instant start;
        private final Map<List<Object>, Count> counts = new LinkedHashMap<>();
        private Count overflow;

        RefusedWindow(Instant start) {
            this.start = start;
        }

        /** Counts a request; its entry as it now is. */
        Event count(String type, Map<String, Object> fields, Instant at) {
            Map<String, Object> key = new LinkedHashMap<>();
            for (String k : List.of("user", "from", "method", "path", "status", "outcome")) {
                key.put(k, fields.get(k));
            }
            List<Object> id = new ArrayList<>(key.values());
            id.add(type);
            Count c = counts.get(id);
            if (c == null && counts.size() < limits.refusedPerWindow()) {
                c = new Count(++seq, at, type, key);
                counts.put(id, c);
            } else if (c == null) {
                if (overflow == null) {
                    overflow = new Count(++seq, at, type, key);
                } else {
                    overflow.merge(key);
                }
                c = overflow;
            }
            c.count++;
            c.last = at;
            return c.event();
        }

        List<Event> events() {
            List<Event> out = new ArrayList<>(counts.size() + 1);
            counts.values().forEach(c -> out.add(c.event()));
            if (overflow != null) {
                out.add(overflow.event());
            }
            return out;
        }

        long renumber(long base) {
            for (Count c : counts.values()) {
                c.seq = ++base;
            }
            if (overflow != null) {
                overflow.seq = ++base;
            }
            return base;
        }
    }

    /** One entry of refused requests: what they shared, how many, the first and the last. */
    private static final class Count {
        long seq;
        final Instant first;
        final String type;
        final Map<String, Object> fields;
        long count;
        Instant last;

        Count(long seq, Instant first, String type, Map<String, Object> fields) {
            this.seq = seq;
            this.first = first;
            this.type = type;
            this.fields = new LinkedHashMap<>(fields);
        }

        /** An overflow entry keeps a field only while every request counted in it had the same. */
        void merge(Map<String, Object> other) {
            fields.replaceAll((k, v) -> Objects.equals(v, other.get(k)) ? v : SEVERAL);
        }

        Event event() {
            Map<String, Object> f = new LinkedHashMap<>(fields);
            f.put("count", count);
            f.put("last", last);
            return new Event(seq, first, type, f);
        }
    }

    /** The thread that writes queued events to the store, in batches, and keeps the store within its bounds. */
    private static final class Writer {
        /** How often the store is purged by age and trimmed to its count, at least. */
        private static final Duration TRIM_EVERY = Duration.ofMinutes(1);

        private final AuditStore store;
        private final String instance;
        private final Limits limits;
        private final Clock clock;
        private final Runnable tick;
        private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
        /** Where {@link #run()} runs; its own when the log was made outside CDI, closed when the writer stops. */
        private final BackgroundWork work;
        private final boolean ownsWork;
        private final BackgroundWork.Lane lane;
        private volatile boolean running = true;
        private boolean failing;
        private long dropped;
        private long writtenSinceTrim;
        private Instant lastTrim = Instant.now();

        Writer(AuditStore store, String instance, Limits limits, Clock clock, Runnable tick, BackgroundWork work) {
            this.store = store;
            this.instance = cut(instance, 200);
            this.limits = limits;
            this.clock = clock;
            this.tick = tick;
            this.ownsWork = work == null;
            this.work = ownsWork ? new BackgroundWork() : work;
            this.lane = this.work.lane("audit-writer", 1);
        }

        void start() {
            lane.execute("audit writing", this::run);
        }

        void offer(Event e) {
            if (!queue.offer(e)) {
                synchronized (this) {
                    if (dropped++ == 0) {
                        LOG.warnf(
                                "the audit log's store is behind by %d events; further events are only logged until it catches up",
                                QUEUE_CAPACITY);
                    }
                }
            }
        }

        private void run() {
            List<Event> batch = new ArrayList<>();
            while (running || !queue.isEmpty()) {
                try {
                    Event first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (running) {
                            tick.run();
                        }
                        trimNowAndThen();
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, 499);
                    write(batch);
                    batch.clear();
                    // A class may not grow past its bound by more than a tenth between two trims.
                    if (writtenSinceTrim > limits.maxStored() / 10) {
                        trim();
                    }
                } catch (InterruptedException e) {
                    queue.drainTo(batch);
                    write(batch);
                    return;
                }
            }
            trim();
        }

        private void write(List<Event> batch) {
            if (batch.isEmpty()) {
                return;
            }
            try {
                store.append(batch, instance);
                writtenSinceTrim += batch.size();
                if (failing) {
                    failing = false;
                    LOG.info("the audit log's store accepts events again");
                }
                synchronized (this) {
                    dropped = 0;
                }
            } catch (RuntimeException e) {
                if (!failing) {
                    failing = true;
                    LOG.warnf("the audit log's store refused %d event(s) (%s); they are in the log only", batch.size(),
                            e.getMessage());
                }
            }
        }

        private void trimNowAndThen() {
            if (Instant.now().isAfter(lastTrim.plus(TRIM_EVERY))) {
                trim();
            }
        }

        /** Purges events past their age (on the log's clock, the one their times are on) and trims each class to its count. */
        private void trim() {
            lastTrim = Instant.now();
            writtenSinceTrim = 0;
            try {
                store.purgeAudit(clock.instant().minus(limits.maxAge()));
                for (Retention r : Retention.values()) {
                    store.trimAudit(r, limits.maxStored());
                }
            } catch (RuntimeException e) {
                LOG.debugf("trimming the audit log failed: %s", e.getMessage());
            }
        }

        void stop(Duration timeout) {
            running = false;
            lane.drain(timeout);
            if (ownsWork) {
                work.close();
            }
        }
    }
}
