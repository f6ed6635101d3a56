package io.poolwatch.observed;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.poolwatch.config.Durations;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.work.BackgroundWork;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Reads each configured PgBouncer's admin console ({@code SHOW POOLS}, {@code SHOW STATS}, {@code SHOW CONFIG}) on
 * {@code poolwatch.sampling.interval}, and keeps the latest snapshot of each.
 * <p>
 * Each PgBouncer has one console connection, kept open between samples ({@link PgBouncerConsole} says why) and opened
 * again after a failure. The reads of every PgBouncer start together and run on Vert.x without blocking it; this
 * sampler's thread then waits for each until its own deadline (logging in, then the queries, each bounded by
 * {@code poolwatch.sampling.server-query-timeout}), so a hung console costs its own timeout and holds no other.
 * A PgBouncer that cannot be read gets a snapshot with {@code up=false} and the reason (never a credential), logged
 * once per change, not on every tick. {@code SHOW CONFIG} is read on every new connection and every
 * {@value #CONFIG_EVERY}th sample; the version on every new connection.
 */
@ApplicationScoped
public class PgBouncerSampler {

    private static final Logger LOG = Logger.getLogger(PgBouncerSampler.class);
    /** Settings change rarely; they are read again every this many samples (and on every new connection). */
    static final int CONFIG_EVERY = 10;
    /** Listeners of samples: meters and whatever else is built on them, a handful. */
    static final int MAX_LISTENERS = 16;

    private final Vertx vertx;
    private final List<PgBouncerDefinition> definitions;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, PgBouncerConsole> consoles = new LinkedHashMap<>();
    private final Map<String, PgBouncerSnapshot> latest = new ConcurrentHashMap<>();
    /** The settings and version last read per PgBouncer, kept for the samples that do not read them. */
    private final Map<String, Map<String, String>> settings = new ConcurrentHashMap<>();
    private final Map<String, Optional<String>> versions = new ConcurrentHashMap<>();
    private final List<Consumer<List<PgBouncerSnapshot>>> listeners = new CopyOnWriteArrayList<>();
    private long samples;

    @Inject
    PgBouncerSampler(Vertx vertx, PoolwatchConfig config) {
        this(vertx, PgBouncerDefinition.of(config), config.sampling().serverQueryTimeout());
    }

    /**
     * A sampler of these PgBouncers on this Vert.x (the application's own, in Quarkus).
     *
     * @param timeout the bound of logging in, and of one sample's queries, per PgBouncer
     */
    public PgBouncerSampler(Vertx vertx, List<PgBouncerDefinition> definitions, Duration timeout) {
        this.vertx = vertx;
        this.definitions = List.copyOf(definitions);
        this.timeout = timeout.isZero() || timeout.isNegative() ? Duration.ofSeconds(2) : timeout;
        for (PgBouncerDefinition d : this.definitions) {
            consoles.put(d.name(), new PgBouncerConsole(vertx, d, this.timeout));
        }
    }

    /** Samples every {@code poolwatch.sampling.interval} from start-up on, in a lane of its own. */
    void schedule(@Observes StartupEvent event, BackgroundWork work, PoolwatchConfig config) {
        work.everyInOwnLane("pgbouncer-sampler", "PgBouncer console read", config.sampling().interval(),
                () -> !definitions.isEmpty(), this::sampleNow);
    }

    /**
     * Reads every PgBouncer now, waiting at most the timeouts above.
     *
     * @throws IllegalStateException on a Vert.x event-loop thread, which must never wait
     */
    public synchronized void sampleNow() {
        if (definitions.isEmpty()) {
            return;
        }
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException(
                    "PgBouncerSampler.sampleNow() waits for the consoles: call it from a worker thread");
        }
        boolean withConfig = samples++ % CONFIG_EVERY == 0;
        long start = System.nanoTime();
        Map<PgBouncerDefinition, Future<PgBouncerConsole.Answers>> reads = new LinkedHashMap<>();
        Map<PgBouncerDefinition, Long> deadlines = new LinkedHashMap<>();
        for (PgBouncerDefinition d : definitions) {
            PgBouncerConsole console = consoles.get(d.name());
            // Logging in has its own timeout on top of the queries'.
            long budget = timeout.toNanos() * (console.connected() ? 1 : 2);
            deadlines.put(d, start + budget);
            Future<PgBouncerConsole.Answers> read;
            try {
                read = console.read(withConfig);
            } catch (RuntimeException e) {
                read = Future.failedFuture(e);
            }
            reads.put(d, read);
        }
        List<PgBouncerSnapshot> taken = new ArrayList<>();
        for (Map.Entry<PgBouncerDefinition, Future<PgBouncerConsole.Answers>> e : reads.entrySet()) {
            PgBouncerDefinition d = e.getKey();
            PgBouncerSnapshot snapshot = await(d, e.getValue(), deadlines.get(d));
            PgBouncerSnapshot previous = latest.put(d.name(), snapshot);
            logChange(previous, snapshot);
            taken.add(snapshot);
        }
        for (Consumer<List<PgBouncerSnapshot>> listener : listeners) {
            try {
                listener.accept(List.copyOf(taken));
            } catch (RuntimeException ex) {
                LOG.errorf(ex, "a listener of the PgBouncer samples failed");
            }
        }
    }

    private PgBouncerSnapshot await(PgBouncerDefinition d, Future<PgBouncerConsole.Answers> read, long deadline) {
        PgBouncerConsole console = consoles.get(d.name());
        Instant now = clock.instant();
        String address = d.address().label();
        try {
            PgBouncerConsole.Answers a;
            if (read.isComplete()) {
                // Already answered (while an earlier console was waited for): taken as it is. Converting it to a
                // CompletableFuture completes that one later, on the event loop, so a zero wait on it would time out.
                if (read.failed()) {
                    throw new ExecutionException(read.cause());
                }
                a = read.result();
            } else {
                long wait = Math.max(0, deadline - System.nanoTime());
                a = read.toCompletionStage().toCompletableFuture().get(wait, TimeUnit.NANOSECONDS);
            }
            a.config().ifPresent(rows -> settings.put(d.name(), PgBouncerReading.config(rows)));
            a.version().ifPresent(rows -> versions.put(d.name(), PgBouncerReading.version(rows)));
            return PgBouncerReading.snapshot(d.name(), address, now, a.pools(), a.stats(),
                    settings.getOrDefault(d.name(), Map.of()),
                    versions.getOrDefault(d.name(), Optional.empty()));
        } catch (TimeoutException e) {
            console.reset();
            return PgBouncerReading.down(d.name(), address, now, "no answer from " + address + " within "
                    + Durations.format(timeout) + " (poolwatch.sampling.server-query-timeout)");
        } catch (ExecutionException e) {
            console.reset();
            return PgBouncerReading.down(d.name(), address, now,
                    PgBouncerConsole.reason(e.getCause() == null ? e : e.getCause(), d));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            console.reset();
            return PgBouncerReading.down(d.name(), address, now, "interrupted");
        }
    }

    private static void logChange(PgBouncerSnapshot previous, PgBouncerSnapshot now) {
        if (!now.up()) {
            if (previous == null || previous.up() || !Objects.equals(previous.downReason(), now.downReason())) {
                LOG.warnf("PgBouncer %s (%s) cannot be read: %s", now.name(), now.address(), now.downReason().orElse(""));
            }
        } else if (previous != null && !previous.up()) {
            LOG.infof("PgBouncer %s (%s) can be read again", now.name(), now.address());
        }
    }

    /** The latest snapshot of every configured PgBouncer that has been read, in name order. */
    public List<PgBouncerSnapshot> all() {
        List<PgBouncerSnapshot> out = new ArrayList<>();
        for (PgBouncerDefinition d : definitions) {
            PgBouncerSnapshot s = latest.get(d.name());
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** The latest snapshot of one PgBouncer. */
    public Optional<PgBouncerSnapshot> latest(String name) {
        return Optional.ofNullable(name == null ? null : latest.get(name));
    }

    /** Every configured PgBouncer, read or not yet, in name order. */
    public List<PgBouncerDefinition> definitions() {
        return definitions;
    }

    /** The console connections held now: at most one per PgBouncer. */
    public int openConnections() {
        return (int) consoles.values().stream().filter(PgBouncerConsole::connected).count();
    }

    /**
     * Calls {@code listener} after every sample with the snapshots it took (on the sampler's thread; keep it short).
     *
     * @throws IllegalStateException beyond {@value #MAX_LISTENERS} listeners
     */
    public void onSample(Consumer<List<PgBouncerSnapshot>> listener) {
        if (listeners.size() >= MAX_LISTENERS) {
            throw new IllegalStateException("at most " + MAX_LISTENERS + " listeners of the PgBouncer samples");
        }
        listeners.add(listener);
    }

    /** Closes every console connection. */
    @PreDestroy
    public synchronized void close() {
        for (PgBouncerConsole c : consoles.values()) {
            c.close();
        }
    }
}
