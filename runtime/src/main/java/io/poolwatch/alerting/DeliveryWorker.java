package io.poolwatch.alerting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import org.jboss.logging.Logger;

import io.poolwatch.config.Durations;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.work.BackgroundWork;

/**
 * Delivers what waits in the outbox. Every poll interval (and at once when a notification is added) it looks at each
 * receiver's oldest pending notification; a receiver whose head is due gets a thread that sends it, then the next, until
 * one fails or none is due. So a receiver's notifications go in order and one at a time, and a receiver that is down
 * holds up only its own. A failed attempt is written back to the outbox with its next time (exponential backoff with
 * jitter, or the receiver's Retry-After), so retries survive a restart; the webhook-id stays the same.
 * <p>
 * Each attempt is counted in the outbox before it is made, when its lease is taken. The lease lasts the receiver's
 * timeout plus the backoff the attempt would get if it failed: an attempt cut short by a crash (its process killed
 * mid-send) is retried, and holds up the receiver's newer notifications, no longer than one that timed out. The
 * worker that retries it records the lost attempt as {@code interrupted} and counts the retry as the next attempt.
 * Delivery is at least once: the receiver may have had the interrupted attempt, and gets the retry with the same
 * webhook-id.
 */
public final class DeliveryWorker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    /** The audit outcome of an attempt whose end was never recorded (its worker died mid-attempt). */
    static final String INTERRUPTED = "interrupted";
    /** Finished notifications are kept this long, so their ids are still known when added again, then removed. */
    static final Duration FINISHED_RETENTION = Duration.ofDays(7);
    static final Duration PURGE_EVERY = Duration.ofHours(1);

    /**
     * When to give up and how long to wait between attempts.
     *
     * @param maxAttempts most attempts per notification
     * @param maxAge a notification not delivered this long after it was made is given up
     * @param initialBackoff the wait after the first failed attempt (before jitter)
     * @param maxBackoff the longest wait between two attempts, Retry-After included
     */
    public record Policy(int maxAttempts, Duration maxAge, Duration initialBackoff, Duration maxBackoff) {

        public static Policy of(PoolwatchConfig.OutboxConfig c) {
            return new Policy(c.maxAttempts(), c.maxAge(), c.initialBackoff(), c.maxBackoff());
        }

        /**
         * The wait after {@code failedAttempts} failed attempts: initial-backoff doubled per further failure up to
         * max-backoff, then "equal jitter" — half of it fixed, half random — so receivers coming back are not hit by every
         * sender at once, and never retried sooner than half the backoff.
         *
         * @param random a number in [0, 1)
         */
        public Duration backoff(int failedAttempts, double random) {
            long initial = initialBackoff.toMillis();
            long cap = maxBackoff.toMillis();
            int doublings = Math.min(Math.max(failedAttempts - 1, 0), 62);
            long base = initial > (cap >> doublings) ? cap : Math.min(cap, initial << doublings);
            return Duration.ofMillis(base / 2 + (long) (random * (base - base / 2)));
        }

        /** The wait before the next attempt: the backoff, or the receiver's Retry-After when longer; at most max-backoff. */
        public Duration delay(int failedAttempts, Optional<Duration> retryAfter, double random) {
            Duration d = backoff(failedAttempts, random);
            if (retryAfter.isPresent() && retryAfter.get().compareTo(d) > 0) {
                d = retryAfter.get();
            }
            return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
        }
    }

    /** Counts of one receiver since start; guarded by itself. */
    private static final class Stats {
        Instant lastSuccess;
        Instant lastFailure;
        String lastError;
        int consecutiveFailures;
        long delivered;
        long failedAttempts;
        long rejected;
        long givenUp;
        long superseded;
    }

    private enum Next {
        CONTINUE,
        STOP
    }

    private final Outbox outbox;
    private final Map<String, Receiver> receivers;
    private final WebhookSender sender;
    private final AuditLog audit;
    private final Policy policy;
    private final Clock clock;
    private final DoubleSupplier random;
    private final String owner = UUID.randomUUID().toString();
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final Map<String, Stats> stats = new ConcurrentHashMap<>();
    private final Map<String, Integer> depths = new ConcurrentHashMap<>();
    private final LongAdder attempts = new LongAdder();
    private final BackgroundWork work;
    /** Whether {@link #work} is this worker's own, closed with it (a worker made outside CDI). */
    private final boolean ownsWork;
    /** One delivery per receiver at a time, so as many threads as receivers. */
    private final BackgroundWork.Lane senders;
    /** Polls, one at a time; null until started. */
    private BackgroundWork.Lane poller;
    private BackgroundWork.Periodic polls;
    private volatile boolean stopping;
    private volatile boolean outboxFailing;
    private volatile Instant lastPurge = Instant.EPOCH;
    private volatile BooleanSupplier active = () -> true;

    /**
     * A worker on threads of its own, stopped with it: for a worker made outside CDI.
     *
     * @param random numbers in [0, 1) for jitter
     */
    public DeliveryWorker(Outbox outbox, List<Receiver> receivers, WebhookSender sender, AuditLog audit, Policy policy,
            Clock clock,
            DoubleSupplier random) {
        this(outbox, receivers, sender, audit, policy, clock, random, new BackgroundWork(), true);
    }

    /**
     * A worker whose deliveries and polls run in lanes of {@code work} ({@code webhook} and {@code outbox}).
     *
     * @param random numbers in [0, 1) for jitter
     */
    public DeliveryWorker(Outbox outbox, List<Receiver> receivers, WebhookSender sender, AuditLog audit, Policy policy,
            Clock clock,
            DoubleSupplier random, BackgroundWork work) {
        this(outbox, receivers, sender, audit, policy, clock, random, work, false);
    }

    private DeliveryWorker(Outbox outbox, List<Receiver> receivers, WebhookSender sender, AuditLog audit, Policy policy,
            Clock clock,
            DoubleSupplier random, BackgroundWork work, boolean ownsWork) {
        this.outbox = outbox;
        Map<String, Receiver> byName = new LinkedHashMap<>();
        receivers.forEach(r -> byName.put(r.name(), r));
        this.receivers = Map.copyOf(byName);
        this.sender = sender;
        this.audit = audit;
        this.policy = policy;
        this.clock = clock;
        this.random = random;
        this.work = work;
        this.ownsWork = ownsWork;
        receivers.forEach(r -> stats.put(r.name(), new Stats()));
        this.senders = work.lane("webhook", Math.max(1, byName.size()));
    }

    /** Starts polling the outbox every {@code interval}. */
    public synchronized void start(Duration interval) {
        if (poller != null) {
            return;
        }
        poller = work.lane("outbox", 1);
        polls = work.every("outbox poll", Duration.ZERO, interval, poller, this::pollQuietly);
    }

    /**
     * Delivers only while {@code active} says so (otherwise a poll only counts what waits): with several processes on
     * one outbox, only the one running the cluster's jobs delivers, and one that loses the jobs starts no further
     * attempt. The per-notification leases stay: a process that lost the jobs (frozen past its lock) may still finish
     * an attempt it had started, and its notification is not sent again by another until that attempt's lease lapses
     * (the receiver's timeout and one backoff); it is then, with the same webhook-id, and the late process's result is not
     * recorded.
     */
    public void runsWhen(BooleanSupplier active) {
        this.active = active;
    }

    /** Looks at the outbox now rather than at the next poll (after a notification was added). */
    public void wake() {
        BackgroundWork.Lane p = poller;
        if (p != null && !stopping) {
            try {
                p.execute("outbox poll (woken)", this::pollQuietly);
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }
    }

    /** A notification was added: counted in the depth until the next poll counts again. */
    void added(String receiver) {
        depths.merge(receiver, 1, Integer::sum);
    }

    /** {@code count} of a receiver's notifications were superseded by a newer one (see {@link Outbox#addSuperseding}). */
    void superseded(String receiver, int count) {
        if (count <= 0) {
            return;
        }
        Stats s = stats.computeIfAbsent(receiver, k -> new Stats());
        synchronized (s) {
            s.superseded += count;
        }
        depths.computeIfPresent(receiver, (k, v) -> v <= count ? null : v - count);
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.errorf(e, "looking at the outbox failed");
        }
    }

    /**
     * One pass, in the caller's thread as far as the outbox goes and in one thread per due receiver for the sending;
     * returns when every receiver's thread has finished.
     *
     * @return attempts made in the pass
     */
    public int deliverDue() throws InterruptedException {
        long before = attempts.sum();
        for (Future<?> f : poll()) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return (int) (attempts.sum() - before);
    }

    private List<Future<?>> poll() {
        if (stopping) {
            return List.of();
        }
        // Another process delivers: only the depths are counted, so this one's status still says what waits.
        boolean delivering = active.getAsBoolean();
        Instant now = clock.instant();
        List<Outbox.Entry> heads = List.of();
        try {
            if (delivering) {
                heads = outbox.heads();
            }
            Map<String, Integer> counted = outbox.depths();
            depths.keySet().retainAll(counted.keySet());
            depths.putAll(counted);
            if (delivering && now.isAfter(lastPurge.plus(PURGE_EVERY))) {
                lastPurge = now;
                int purged = outbox.purgeFinished(now.minus(FINISHED_RETENTION));
                if (purged > 0) {
                    LOG.debugf("removed %d notification(s) finished more than %s ago from the outbox", purged,
                            Durations.format(FINISHED_RETENTION));
                }
            }
            if (outboxFailing) {
                outboxFailing = false;
                LOG.infof("the outbox (%s) answers again", outbox.location());
            }
        } catch (Outbox.OutboxException e) {
            if (!outboxFailing) {
                outboxFailing = true;
                LOG.errorf("the outbox (%s) cannot be read; notifications wait until it can: %s", outbox.location(),
                        e.getMessage());
            }
            return List.of();
        }
        List<Future<?>> out = new ArrayList<>();
        for (Outbox.Entry head : heads) {
            String name = head.notification().receiver();
            if (!due(head, now) || !busy.add(name)) {
                continue;
            }
            try {
                out.add(senders.submit("delivery to " + name, () -> {
                    try {
                        drain(name);
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "delivering to receiver %s failed", name);
                    } finally {
                        busy.remove(name);
                    }
                }));
            } catch (RejectedExecutionException e) {
                busy.remove(name);
            }
        }
        return out;
    }

    private static boolean due(Outbox.Entry e, Instant now) {
        return !e.nextAttemptAt().isAfter(now) && e.leaseUntil().map(until -> !until.isAfter(now)).orElse(true);
    }

    /** Sends a receiver's due notifications in order until one fails or none is due. */
    private void drain(String name) {
        while (!stopping && active.getAsBoolean()) {
            Optional<Outbox.Entry> head;
            try {
                head = outbox.head(name);
            } catch (Outbox.OutboxException e) {
                LOG.warnf("reading the outbox of receiver %s failed: %s", name, e.getMessage());
                return;
            }
            if (head.isEmpty() || !due(head.get(), clock.instant()) || process(head.get()) == Next.STOP) {
                return;
            }
        }
    }

    private Next process(Outbox.Entry entry) {
        Notification n = entry.notification();
        Receiver r = receivers.get(n.receiver());
        Instant now = clock.instant();
        Instant deadline = n.createdAt().plus(policy.maxAge());
        boolean expired = !now.isBefore(deadline);
        if (r == null && !expired) {
            // Not configured here (removed, or a replica with other receivers shares the outbox): left for max-age.
            return Next.STOP;
        }
        // As long as the attempt may take, then the backoff it would get if it failed: a worker that dies mid-attempt
        // holds the notification, and the receiver's newer ones, no longer than a timed-out attempt would.
        Duration lease = (r == null ? Duration.ZERO : r.timeout())
                .plus(policy.backoff(entry.attempts() + 1, random.getAsDouble()));
        try {
            Optional<Outbox.Claim> claimed = outbox.claim(n.id(), owner, now, now.plus(lease));
            if (claimed.isEmpty()) {
                return Next.STOP;
            }
            int made = claimed.get().attempt() - 1;
            if (claimed.get().previousUnrecorded()) {
                interrupted(r, n, made);
            }
            if (expired || made >= policy.maxAttempts()) {
                String why = r == null
                        ? "receiver " + n.receiver() + " is not configured, and the notification is older than max-age "
                                + Durations.format(policy.maxAge())
                        : expired
                                ? "not delivered within max-age " + Durations.format(policy.maxAge()) + " (" + made
                                        + " attempts)"
                                : "given up after " + made + " attempt(s) (max-attempts " + policy.maxAttempts() + ")"
                                        + (claimed.get().previousUnrecorded() ? ", the last of them interrupted" : "");
                outbox.finish(n.id(), owner, Outbox.State.GIVEN_UP, made, now, Optional.empty(), Optional.of(why));
                record(r, n, made, Outbox.State.GIVEN_UP.label(), Optional.empty(), Optional.of(why), Duration.ZERO, null);
                finished(n.receiver(), s -> {
                    s.givenUp++;
                    s.lastFailure = now;
                    s.lastError = why;
                });
                LOG.warnf("notification %s to receiver %s given up: %s", n.id(), n.receiver(), why);
                return Next.CONTINUE;
            }
            return attempt(r, entry, claimed.get().attempt());
        } catch (JdbcOutbox.LeaseLostException e) {
            LOG.warnf("receiver %s: %s", n.receiver(), e.getMessage());
            return Next.STOP;
        } catch (Outbox.OutboxException e) {
            // If the attempt was made, it is made again later with the same webhook-id: at least once.
            LOG.warnf("receiver %s: %s", n.receiver(), e.getMessage());
            return Next.STOP;
        }
    }

    /** Audits attempt {@code attempt}, started by a worker that never recorded its end: the receiver may have had it. */
    private void interrupted(Receiver r, Notification n, int attempt) {
        String why = "its outcome was never recorded: the process making it stopped, or lost the outbox, during the attempt";
        record(r, n, attempt, INTERRUPTED, Optional.empty(), Optional.of(why), Duration.ZERO, null);
        LOG.infof("notification %s to receiver %s: attempt %d was interrupted, its outcome never recorded", n.id(),
                n.receiver(), attempt);
    }

    private Next attempt(Receiver r, Outbox.Entry entry, int attempt) {
        WebhookSender.Result result = sender.send(r, entry.notification());
        attempts.increment();
        // Interrupted at shutdown: the attempt is still recorded, and a database file (H2) must not see the interrupt.
        boolean interrupted = Thread.interrupted();
        try {
            return settle(r, entry, attempt, result);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Records the attempt's outcome in the outbox, the audit log and the counts. */
    private Next settle(Receiver r, Outbox.Entry entry, int attempt, WebhookSender.Result result) {
        Notification n = entry.notification();
        Instant end = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String error = result.error().orElse(null);
        switch (result.verdict()) {
            case DELIVERED -> {
                outbox.finish(n.id(), owner, Outbox.State.DELIVERED, attempt, end, result.httpStatus(), Optional.empty());
                record(r, n, attempt, Outbox.State.DELIVERED.label(), result.httpStatus(), Optional.empty(), result.took(),
                        null);
                finished(r.name(), s -> {
                    if (s.consecutiveFailures > 0) {
                        LOG.infof("receiver %s takes notifications again (%d failed attempt(s) before)", r.name(),
                                s.consecutiveFailures);
                    }
                    s.delivered++;
                    s.lastSuccess = end;
                    s.consecutiveFailures = 0;
                });
                return Next.CONTINUE;
            }
            case REJECTED -> {
                outbox.finish(n.id(), owner, Outbox.State.REJECTED, attempt, end, result.httpStatus(), result.error());
                record(r, n, attempt, Outbox.State.REJECTED.label(), result.httpStatus(), result.error(), result.took(), null);
                failed(r.name(), end, error, false);
                finished(r.name(), s -> s.rejected++);
                LOG.warnf("notification %s rejected by receiver %s (%s): %s; not retried", n.id(), r.name(), r.maskedUrl(),
                        error);
                return Next.CONTINUE;
            }
            default -> {
                Instant next = end.plus(policy.delay(attempt, result.retryAfter(), random.getAsDouble()))
                        .truncatedTo(ChronoUnit.MILLIS);
                Instant deadline = n.createdAt().plus(policy.maxAge());
                failed(r.name(), end, error, true);
                if (attempt >= policy.maxAttempts() || next.isAfter(deadline)) {
                    String why = error + "; given up after " + attempt + " attempt(s)"
                            + (attempt >= policy.maxAttempts() ? " (max-attempts " + policy.maxAttempts() + ")"
                                    : " (the next would be after max-age " + Durations.format(policy.maxAge()) + ")");
                    outbox.finish(n.id(), owner, Outbox.State.GIVEN_UP, attempt, end, result.httpStatus(), Optional.of(why));
                    record(r, n, attempt, Outbox.State.GIVEN_UP.label(), result.httpStatus(), result.error(), result.took(),
                            null);
                    finished(r.name(), s -> s.givenUp++);
                    LOG.warnf("notification %s to receiver %s (%s) given up: %s", n.id(), r.name(), r.maskedUrl(), why);
                    return Next.CONTINUE;
                }
                outbox.retry(n.id(), owner, attempt, next, result.httpStatus(), error);
                record(r, n, attempt, "retry", result.httpStatus(), result.error(), result.took(), next);
                return Next.STOP;
            }
        }
    }

    /** Counts a failed attempt; the first of a run of them is logged when {@code log} (the audit has every one). */
    private void failed(String receiver, Instant at, String error, boolean log) {
        Stats s = stats.computeIfAbsent(receiver, k -> new Stats());
        boolean first;
        synchronized (s) {
            first = s.consecutiveFailures == 0;
            s.failedAttempts++;
            s.consecutiveFailures++;
            s.lastFailure = at;
            s.lastError = error;
        }
        if (first && log) {
            LOG.warnf("delivery to receiver %s failing: %s (every attempt is in the audit log)", receiver, error);
        }
    }

    private void finished(String receiver, Consumer<Stats> change) {
        Stats s = stats.computeIfAbsent(receiver, k -> new Stats());
        synchronized (s) {
            change.accept(s);
        }
        depths.computeIfPresent(receiver, (k, v) -> v <= 1 ? null : v - 1);
    }

    private void record(Receiver r, Notification n, int attempt, String outcome, Optional<Integer> httpStatus,
            Optional<String> error,
            Duration took, Instant next) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("receiver", n.receiver());
        fields.put("url", r == null ? null : r.maskedUrl());
        fields.put("notification", n.id());
        fields.put("groupKey", n.groupKey());
        fields.put("alertStatus", n.status());
        fields.put("attempt", attempt);
        fields.put("outcome", outcome);
        fields.put("httpStatus", httpStatus.orElse(null));
        fields.put("error", error.orElse(null));
        fields.put("durationMs", took.toMillis());
        fields.put("nextAttemptAt", next);
        audit.record(AuditLog.NOTIFICATION_ATTEMPT, fields);
    }

    /** Each configured receiver's delivery status, then any other receiver with notifications waiting. */
    public List<DeliveryStatus> status() {
        List<DeliveryStatus> out = new ArrayList<>();
        for (String name : receivers.keySet()) {
            out.add(status(name));
        }
        for (String name : depths.keySet()) {
            if (!receivers.containsKey(name)) {
                out.add(status(name));
            }
        }
        return out;
    }

    /** One receiver's delivery status. */
    public DeliveryStatus status(String receiver) {
        Stats s = stats.getOrDefault(receiver, new Stats());
        synchronized (s) {
            return new DeliveryStatus(receiver, s.lastSuccess, s.lastFailure, s.lastError, s.consecutiveFailures, s.delivered,
                    s.failedAttempts, s.rejected, s.givenUp, depths.getOrDefault(receiver, 0), s.superseded);
        }
    }

    /**
     * Stops: no new attempt starts; attempts in flight get {@code grace} to finish and be recorded, then are interrupted
     * (recorded as failed, sent again after a restart with the same webhook-id).
     */
    public void stop(Duration grace) {
        stopping = true;
        synchronized (this) {
            if (polls != null) {
                polls.cancel();
            }
            if (poller != null) {
                poller.stop();
            }
        }
        if (!senders.drain(grace)) {
            LOG.warn(
                    "a webhook delivery did not finish within the grace and was interrupted; its notification is sent again after a restart");
        }
        if (ownsWork) {
            work.close();
        }
    }

    /** Stops with 5 seconds' grace. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
