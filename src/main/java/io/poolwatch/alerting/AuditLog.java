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
 * What poolwatch did that someone may need to account for later: every delivery attempt now, admin actions later. Each
 * event is one JSON line on the log category {@code poolwatch.audit} (route it to a file or collector of its own) and is
 * kept in a bounded ring for {@code GET /api/v1/audit}. Events never carry a secret.
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

    private final int capacity;
    private final Clock clock;
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
            if (ring.size() == capacity) {
                ring.removeFirst();
            }
            ring.addLast(event);
        }
        if (LOG.isInfoEnabled()) {
            LOG.info(json(event));
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
}
