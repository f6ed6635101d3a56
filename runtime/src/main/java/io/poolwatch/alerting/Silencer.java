package io.poolwatch.alerting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import io.poolwatch.config.Limits;

/** The silences: created, listed and expired by admins; consulted at every evaluation. Thread-safe. */
public final class Silencer {

    /** Longest a silence may last. */
    public static final Duration MAX_LENGTH = Duration.ofDays(30);
    /** Expired silences kept in the list for this long. */
    static final Duration EXPIRED_RETENTION = Duration.ofDays(1);
    static final int MAX_SILENCES = Limits.SILENCES;
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final List<Silence> silences = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private volatile SilenceStore store;

    public Silencer(Clock clock) {
        this.clock = clock;
    }

    /**
     * Creates a silence; throws {@link IllegalArgumentException} naming the field, the value and what is accepted.
     *
     * @param endsAt when it ends: after now, at most {@link #MAX_LENGTH} ahead
     */
    public Silence create(List<Silence.Matcher> matchers, Instant endsAt, String createdBy, String comment) {
        // Milliseconds, as stored: a silence read back from the store equals the one made.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        endsAt = endsAt == null ? null : endsAt.truncatedTo(ChronoUnit.MILLIS);
        validate(matchers, createdBy, comment);
        if (endsAt == null || !endsAt.isAfter(now) || endsAt.isAfter(now.plus(MAX_LENGTH))) {
            throw new IllegalArgumentException("endsAt=" + endsAt + ": accepted: a time after now and at most 30 days ahead "
                    + "(or duration, such as 2h)");
        }
        prune(now);
        if (silences.size() >= MAX_SILENCES) {
            throw new FullException(
                    "silences: " + silences.size() + " kept (active, or ended within the last day); accepted: at most "
                            + MAX_SILENCES + "; end or wait out others first");
        }
        Silence s = new Silence(UUID.randomUUID().toString(), List.copyOf(matchers), now, endsAt,
                createdBy == null ? "unknown" : createdBy,
                comment);
        persist(s);
        silences.add(s);
        return s;
    }

    /**
     * Checks every field of a silence against {@link Limits} and Alertmanager's rules, before anything is stored; throws
     * {@link IllegalArgumentException} naming the field, the value (quoted, cut if long) and what is accepted.
     */
    public static void validate(List<Silence.Matcher> matchers, String createdBy, String comment) {
        if (matchers == null || matchers.isEmpty()) {
            throw new IllegalArgumentException("matchers: none given; accepted: at least one {name, value, isRegex, isEqual}, "
                    + "such as {\"name\": \"alertname\", \"value\": \"pool-utilization\"}");
        }
        if (matchers.size() > Limits.SILENCE_MATCHERS) {
            throw new IllegalArgumentException(
                    "matchers: " + matchers.size() + " given; accepted: at most " + Limits.SILENCE_MATCHERS);
        }
        for (int i = 0; i < matchers.size(); i++) {
            Silence.Matcher m = matchers.get(i);
            if (m == null) {
                throw new IllegalArgumentException("matchers[" + i + "]: null; accepted: {name, value, isRegex, isEqual}");
            }
            Limits.require("matchers[" + i + "].name", m.name(), Limits.MATCHER_NAME);
            Limits.require("matchers[" + i + "].value", m.value(), Limits.MATCHER_VALUE);
            if (m.name() == null || !LABEL.matcher(m.name()).matches()) {
                throw new IllegalArgumentException(
                        "matchers[].name=" + Limits.quote(m.name()) + ": accepted: a label name such as "
                                + "alertname, pool, workload, severity, instance, database, check");
            }
            if (m.value() == null) {
                throw new IllegalArgumentException("matchers[" + i + "].value: missing for label '" + m.name() + "'");
            }
            if (m.isRegex()) {
                MatcherPattern.check(m.value());
            }
        }
        Limits.require("createdBy", createdBy, Limits.SILENCE_CREATED_BY);
        if (comment == null || comment.isBlank()) {
            throw new IllegalArgumentException("comment: missing; accepted: a few words saying why");
        }
        Limits.require("comment", comment, Limits.SILENCE_COMMENT);
    }

    /** A silence refused because {@link Limits#SILENCES} are kept already: a conflict with the state, not a bad field. */
    public static final class FullException extends IllegalArgumentException {

        FullException(String message) {
            super(message);
        }
    }

    /** Stored before it takes effect: a silence that could not be kept is refused, not kept only until a restart. */
    private void persist(Silence s) {
        SilenceStore st = store;
        if (st != null) {
            try {
                st.save(s);
            } catch (RuntimeException e) {
                throw new IllegalStateException("silence could not be stored: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Keeps silences in {@code store} from now on: the ones it has are loaded, the ones made before it was attached are
     * written to it.
     */
    public synchronized void attach(SilenceStore store) {
        if (this.store == store) {
            return;
        }
        Instant now = clock.instant();
        List<Silence> stored = store.load(now.minus(EXPIRED_RETENTION));
        Set<String> ids = new HashSet<>();
        stored.forEach(s -> ids.add(s.id()));
        for (Silence s : silences) {
            if (!ids.contains(s.id())) {
                store.save(s);
            }
        }
        this.store = store;
        refresh();
    }

    /**
     * Reads the stored silences again, so one made or ended by another replica takes effect here; keeps the last on failure.
     */
    public void refresh() {
        SilenceStore st = store;
        if (st == null) {
            return;
        }
        try {
            List<Silence> loaded = st.load(clock.instant().minus(EXPIRED_RETENTION));
            silences.clear();
            silences.addAll(loaded);
        } catch (RuntimeException e) {
            // the outbox's database may be down: the silences read last stay in effect
        }
    }

    /** Ends a silence now; empty when there is no silence with that id. */
    public Optional<Silence> expire(String id) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        for (Silence s : silences) {
            if (s.id().equals(id)) {
                Silence ended = new Silence(s.id(), s.matchers(), s.startsAt(), now.isBefore(s.endsAt()) ? now : s.endsAt(),
                        s.createdBy(),
                        s.comment());
                persist(ended);
                silences.replaceAll(x -> x.id().equals(id) ? ended : x);
                return Optional.of(ended);
            }
        }
        return Optional.empty();
    }

    /** Every silence, active and recently ended, newest first. */
    public List<Silence> all() {
        prune(clock.instant());
        List<Silence> out = new ArrayList<>(silences);
        Collections.reverse(out);
        return out;
    }

    /** The ids of the silences in effect at {@code now} that match {@code labels}. */
    List<String> matching(Map<String, String> labels, Instant now) {
        List<String> ids = new ArrayList<>();
        for (Silence s : silences) {
            if (s.active(now) && s.matches(labels)) {
                ids.add(s.id());
            }
        }
        return ids;
    }

    private void prune(Instant now) {
        silences.removeIf(s -> s.endsAt().plus(EXPIRED_RETENTION).isBefore(now));
    }
}
