package io.poolwatch.alerting;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.poolwatch.store.StoreException;

/**
 * Where notifications wait until they are delivered, rejected or given up: durable, so retries survive a restart.
 * Each receiver's notifications are handed out in the order they were added, one at a time: only a receiver's oldest
 * pending notification (its head) is ever attempted, and only by the worker holding its lease. Taking the lease counts
 * the attempt before it is made, so an attempt cut short by a crash is counted all the same.
 */
public interface Outbox extends AutoCloseable {

    /** Where a notification is in its life. */
    enum State {
        PENDING("pending"),
        DELIVERED("delivered"),
        REJECTED("rejected"),
        GIVEN_UP("given-up"),
        /** Replaced, undelivered, by a newer notification that carries all it did (an Alertmanager receiver's next post). */
        SUPERSEDED("superseded");

        private final String label;

        State(String label) {
            this.label = label;
        }

        /** The name stored and shown. */
        public String label() {
            return label;
        }

        static State of(String label) {
            for (State s : values()) {
                if (s.label.equals(label)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown outbox state " + label);
        }
    }

    /**
     * A stored notification and its delivery state.
     *
     * @param notification the notification
     * @param state where it is
     * @param attempts attempts made so far, the one in flight included (counted when its lease was taken)
     * @param nextAttemptAt when it may next be attempted (pending only)
     * @param leaseUntil a worker is attempting it until then, when set
     * @param lastHttpStatus the receiver's status code of the last attempt, when it answered
     * @param lastError what went wrong in the last attempt
     * @param finishedAt when it was delivered, rejected or given up
     */
    record Entry(Notification notification, State state, int attempts, Instant nextAttemptAt, Optional<Instant> leaseUntil,
            Optional<Integer> lastHttpStatus, Optional<String> lastError, Optional<Instant> finishedAt) {
    }

    /** The outbox could not be read or written (its database is unreachable, say). */
    class OutboxException extends StoreException {
        private static final long serialVersionUID = 1L;

        public OutboxException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Stores a notification, pending, due at once. Durable when this returns.
     *
     * @return false when a notification with its id is already stored (whatever its state); nothing is changed then
     */
    boolean add(Notification n);

    /**
     * Stores a notification as {@link #add} does, then finishes the same receiver's older pending notifications with
     * the same group key as {@link State#SUPERSEDED}, save one whose lease is unexpired (an attempt in flight, whose end
     * its worker records). For notifications each of which carries everything the older ones of its group did (an
     * Alertmanager receiver's posts), so that a receiver that is down for long has one waiting instead of a pile of stale
     * copies. Should the process stop between the two, both stay pending and the next call supersedes them.
     *
     * @param now the time now, to judge leases and to record when the older ones finished
     * @return how many were superseded, or -1 when a notification with {@code n}'s id is already stored (nothing is
     *         changed then)
     */
    int addSuperseding(Notification n, Instant now);

    /** Each receiver's oldest pending notification. */
    List<Entry> heads();

    /** A receiver's oldest pending notification. */
    Optional<Entry> head(String receiver);

    /** One notification by id. */
    Optional<Entry> find(String id);

    /**
     * A lease taken on a pending notification, for one attempt.
     *
     * @param attempt the number of the attempt it is for, already stored as the notification's attempts
     * @param previousUnrecorded the previous attempt was started but its end never recorded: the worker making it died,
     *        or lost the outbox, before it could (its lease lapsed). The receiver may have had it.
     */
    record Claim(int attempt, boolean previousUnrecorded) {
    }

    /**
     * Takes the lease on a pending notification when no other worker holds an unexpired one, and counts the attempt
     * it is for (attempts plus one), durably, before the attempt is made.
     *
     * @param owner this worker
     * @param now the time now, to judge expiry
     * @param until when the lease expires if not released (a worker that died mid-attempt): the notification is then
     *        attempted again, and the receiver's newer notifications wait until then
     * @return empty when the notification is not pending, or another worker holds its lease
     */
    Optional<Claim> claim(String id, String owner, Instant now, Instant until);

    /** Records a failed attempt: pending again, due at {@code next}; the lease is released. */
    void retry(String id, String owner, int attempts, Instant next, Optional<Integer> httpStatus, String error);

    /** Records the end: delivered, rejected or given up; the lease is released. */
    void finish(String id, String owner, State state, int attempts, Instant at, Optional<Integer> httpStatus,
            Optional<String> error);

    /** Pending notifications per receiver (receivers with none are absent). */
    Map<String, Integer> depths();

    /** Pending notifications of one receiver. */
    default int depth(String receiver) {
        return depths().getOrDefault(receiver, 0);
    }

    /**
     * Removes notifications that finished before {@code before}; their ids then stop counting as already stored.
     *
     * @return how many were removed
     */
    int purgeFinished(Instant before);

    /** Where it is kept, for people: {@code H2 file /data/outbox}, {@code workload main, table poolwatch.outbox}. */
    String location();

    @Override
    void close();
}
