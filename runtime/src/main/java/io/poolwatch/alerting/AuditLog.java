package io.poolwatch.alerting;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What poolwatch did that someone may need to account for later: every notification delivery attempt and every admin
 * action. Each event is one JSON line on the log category {@code poolwatch.audit} (route it to a file or collector of
 * its own) and is kept in a bounded ring for {@code GET /api/v1/audit}. Where an outbox database exists, events are also
 * written there ({@link #attach(AuditStore, String)}) by a writer thread of their own, so recording never waits on a
 * database, and the ring is filled from it at start. Events never carry a secret.
 */
@ApplicationScoped
public class AuditLog {

    /** The log category of audit events. */
    public static final String CATEGORY = "poolwatch.audit";
    /** Events kept in memory. */
    public static final int DEFAULT_CAPACITY = 1000;
    /** A delivery attempt of a notification, and its outcome. */
    public static final String NOTIFICATION_ATTEMPT = "notification.attempt";

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

    /** How long stored events are kept. */
    public static final java.time.Duration RETENTION = java.time.Duration.ofDays(90);
    /** Events waiting for the store at most; beyond that they are only logged (and counted). */
    static final int QUEUE_CAPACITY = 10_000;

    private final int capacity;
    private final Clock clock;
    private volatile Writer writer;
    private final ArrayDeque<Event> ring;
    private long seq;

    /** The application's log: 1000 events, the system clock. */
    public AuditLog() {
        this(DEFAULT_CAPACITY, Clock.systemUTC());
    }

    public AuditLog(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + ": accepted: 1 or more");
        }
        this.capacity = capacity;
        this.clock = clock;
        this.ring = new ArrayDeque<>(capacity);
    }

    /**
     * Records an event now.
     *
     * @param type what happened, dotted: {@code notification.attempt}
     * @param fields its details, in the order given; Instants are written in ISO-8601
     */
    public Event record(String type, Map<String, ?> fields) {
        Event event;
        synchronized (this) {
            event = new Event(++seq, clock.instant().truncatedTo(ChronoUnit.MILLIS), type, new LinkedHashMap<>(fields));
            append(event);
        }
        if (LOG.isInfoEnabled()) {
            LOG.info(json(event));
        }
        Writer w = writer;
        if (w != null) {
            w.offer(event);
        }
        return event;
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
     * The newest events first.
     *
     * @param limit at most this many
     * @param type only this type, or every type when null
     */
    public synchronized List<Event> recent(int limit, String type) {
        List<Event> out = new ArrayList<>(Math.min(limit, ring.size()));
        for (Iterator<Event> it = ring.descendingIterator(); it.hasNext() && out.size() < limit;) {
            Event e = it.next();
            if (type == null || type.equals(e.type())) {
                out.add(e);
            }
        }
        return out;
    }

    /** How many events are kept at most. */
    public int capacity() {
        return capacity;
    }

    /**
     * Keeps events in {@code store} from now on, and fills the ring with the newest stored ones (those of earlier runs
     * and of other replicas sharing the store), followed by the ones recorded before this call.
     *
     * @param instance names this process in the stored rows
     */
    public void attach(AuditStore store, String instance) {
        List<Event> stored;
        try {
            store.purgeAudit(clock.instant().minus(RETENTION));
            stored = store.recentAudit(capacity);
        } catch (RuntimeException e) {
            LOG.warnf("the audit log's store cannot be read (%s); events are kept in memory and the log only", e.getMessage());
            return;
        }
        synchronized (this) {
            List<Event> mine = new ArrayList<>(ring);
            ring.clear();
            long base = 0;
            for (int i = stored.size() - 1; i >= 0; i--) {
                Event e = stored.get(i);
                append(new Event(++base, e.time(), e.type(), e.fields()));
            }
            for (Event e : mine) {
                append(new Event(++base, e.time(), e.type(), e.fields()));
            }
            seq = base;
            Writer w = new Writer(store, instance);
            writer = w;
            // Events recorded before the store existed are written too.
            mine.forEach(w::offer);
            w.start();
        }
    }

    /** Writes what is queued (waiting up to {@code timeout}) and stops using the store. */
    public void detach(java.time.Duration timeout) {
        Writer w;
        synchronized (this) {
            w = writer;
            writer = null;
        }
        if (w != null) {
            w.stop(timeout);
        }
    }

    private void append(Event e) {
        if (ring.size() == capacity) {
            ring.removeFirst();
        }
        ring.addLast(e);
    }

    /** The thread that writes queued events to the store, in batches. */
    private static final class Writer {
        private final AuditStore store;
        private final String instance;
        private final java.util.concurrent.BlockingQueue<Event> queue = new java.util.concurrent.LinkedBlockingQueue<>(QUEUE_CAPACITY);
        private final Thread thread;
        private volatile boolean running = true;
        private boolean failing;
        private long dropped;
        private Instant lastPurge = Instant.now();

        Writer(AuditStore store, String instance) {
            this.store = store;
            this.instance = instance;
            this.thread = new Thread(this::run, "poolwatch-audit-writer");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void offer(Event e) {
            if (!queue.offer(e)) {
                synchronized (this) {
                    if (dropped++ == 0) {
                        LOG.warnf("the audit log's store is behind by %d events; further events are only logged until it catches up",
                                QUEUE_CAPACITY);
                    }
                }
            }
        }

        private void run() {
            List<Event> batch = new ArrayList<>();
            while (running || !queue.isEmpty()) {
                try {
                    Event first = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (first == null) {
                        purgeNowAndThen();
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, 499);
                    write(batch);
                    batch.clear();
                } catch (InterruptedException e) {
                    queue.drainTo(batch);
                    write(batch);
                    return;
                }
            }
        }

        private void write(List<Event> batch) {
            if (batch.isEmpty()) {
                return;
            }
            try {
                store.append(batch, instance);
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
                    LOG.warnf("the audit log's store refused %d event(s) (%s); they are in the log only", batch.size(), e.getMessage());
                }
            }
        }

        private void purgeNowAndThen() {
            Instant now = Instant.now();
            if (now.isAfter(lastPurge.plus(java.time.Duration.ofHours(1)))) {
                lastPurge = now;
                try {
                    store.purgeAudit(now.minus(RETENTION));
                } catch (RuntimeException e) {
                    LOG.debugf("purging the audit log failed: %s", e.getMessage());
                }
            }
        }

        void stop(java.time.Duration timeout) {
            running = false;
            try {
                thread.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                thread.interrupt();
            }
        }
    }
}
