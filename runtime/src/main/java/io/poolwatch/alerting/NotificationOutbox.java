package io.poolwatch.alerting;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.poolwatch.cluster.ClusterJobs;
import io.poolwatch.config.Durations;
import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.store.Database;
import io.poolwatch.store.StoreException;
import io.poolwatch.work.BackgroundWork;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;

/**
 * Where the alert core hands over notifications (as its {@link NotificationSink}): it validates the receivers and the
 * outbox settings at start-up, keeps the outbox (a local H2 file, or a workload's database) and runs the
 * {@link DeliveryWorker} that empties it. A webhook receiver is one queue in the outbox; an Alertmanager receiver is one
 * queue per Alertmanager ({@link Receiver#targets()}), each post stored once for each. With no receiver configured, or
 * alerting off, nothing is opened.
 */
@Startup
@ApplicationScoped
public class NotificationOutbox implements NotificationSink {

    private static final Logger LOG = Logger.getLogger(NotificationOutbox.class);
    static final String PREFIX = "poolwatch.alerting.outbox.";
    /** How long attempts in flight may finish at shutdown. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final PoolwatchConfig.AlertingConfig config;
    private final PoolRegistry registry;
    private final AuditLog audit;
    private final Event<Database.Opened> opened;
    private final BackgroundWork work;
    private final ClusterJobs cluster;
    private final List<Receiver> receivers;
    /** Where deliveries go: each webhook receiver, and each Alertmanager of each Alertmanager receiver. */
    private final List<Receiver> targets;
    private final DeliveryWorker.Policy policy;
    private final Clock clock = Clock.systemUTC();
    private volatile Outbox outbox;
    private volatile SilenceStore silences;
    private volatile Database database;
    private volatile DeliveryWorker worker;

    NotificationOutbox(PoolwatchConfig config, PoolRegistry registry, AuditLog audit, ClusterJobs cluster,
            Event<Database.Opened> opened, BackgroundWork work) {
        this.work = work;
        this.opened = opened;
        this.cluster = cluster;
        this.config = config.alerting();
        this.registry = registry;
        this.audit = audit;
        List<String> problems = new ArrayList<>();
        List<Receiver> parsed = List.of();
        try {
            parsed = WebhookReceivers.parse(this.config.receivers());
        } catch (InvalidConfigurationException e) {
            problems.addAll(e.problems());
        }
        problems.addAll(outboxProblems(this.config.outbox(), registry.configuration()));
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        this.receivers = parsed;
        this.targets = parsed.stream().flatMap(r -> r.targets().stream()).toList();
        this.policy = DeliveryWorker.Policy.of(this.config.outbox());
    }

    /** The outbox settings' problems, each with its key, value and what is accepted. */
    static List<String> outboxProblems(PoolwatchConfig.OutboxConfig c, ResolvedConfiguration pools) {
        Map<String, Boolean> readOnly = new LinkedHashMap<>();
        pools.pools().forEach(p -> readOnly.put(p.name(), p.readOnly()));
        return outboxProblems(c, readOnly);
    }

    /** The outbox settings' problems, with whether each enabled workload is read-only. */
    static List<String> outboxProblems(PoolwatchConfig.OutboxConfig c, Map<String, Boolean> readOnlyByWorkload) {
        List<String> problems = new ArrayList<>();
        if (c.workload().isPresent()) {
            String name = c.workload().get();
            Optional<Boolean> pool = Optional.ofNullable(readOnlyByWorkload.get(name));
            if (pool.isEmpty()) {
                problems.add(PREFIX + "workload=" + name + ": no such workload; accepted: one of "
                        + List.copyOf(readOnlyByWorkload.keySet()));
            } else if (pool.get()) {
                problems.add(PREFIX + "workload=" + name
                        + ": its connections are read-only; accepted: a workload that can write, such as "
                        + "main");
            }
        } else {
            try {
                Path.of(c.path());
            } catch (InvalidPathException e) {
                problems.add(PREFIX + "path=" + c.path() + ": not a path (" + e.getReason()
                        + "); accepted: a directory, such as poolwatch-data");
            }
        }
        if (c.maxAttempts() < 1) {
            problems.add(PREFIX + "max-attempts=" + c.maxAttempts() + ": accepted: 1 or more");
        }
        positive(problems, "max-age", c.maxAge());
        positive(problems, "initial-backoff", c.initialBackoff());
        positive(problems, "poll-interval", c.pollInterval());
        if (c.maxBackoff().compareTo(c.initialBackoff()) < 0) {
            problems.add(PREFIX + "max-backoff=" + Durations.format(c.maxBackoff()) + ": below initial-backoff="
                    + Durations.format(c.initialBackoff()) + "; accepted: at least initial-backoff");
        }
        return problems;
    }

    private static void positive(List<String> problems, String key, Duration d) {
        if (d.isZero()) {
            problems.add(PREFIX + key + "=" + Durations.format(d) + ": accepted: above 0s");
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (receivers.isEmpty()) {
            return;
        }
        if (!config.enabled()) {
            LOG.infof("%d receiver(s) configured, but alerting is off: nothing is sent", receivers.size());
            return;
        }
        start();
    }

    /** Opens the outbox and starts delivering. */
    synchronized void start() {
        if (worker != null) {
            return;
        }
        PoolwatchConfig.OutboxConfig c = config.outbox();
        Database database;
        if (c.workload().isPresent()) {
            String name = c.workload().get();
            database = Database.on(registry.dataSource(name), registry.pool(name).settings().url().kind(), "workload " + name);
            try {
                database.migrate();
            } catch (StoreException e) {
                // The database may come back: the worker migrates on its next look, and notifications wait in the alert core.
                LOG.errorf("the outbox in workload %s cannot be prepared yet: %s", name, e.getMessage());
            }
        } else {
            database = Database.h2File(Path.of(c.path()));
            try {
                database.migrate();
            } catch (StoreException e) {
                database.close();
                throw e;
            }
        }
        this.database = database;
        JdbcOutbox opened = new JdbcOutbox(database);
        this.outbox = opened;
        this.silences = new JdbcSilenceStore(database);
        audit.attach(new JdbcAuditStore(database), instanceName());
        this.opened.fire(new Database.Opened(database));
        this.worker = new DeliveryWorker(opened, targets, new WebhookSender(clock), audit, policy, clock,
                new SecureRandom()::nextDouble, work);
        worker.runsWhen(cluster::leads);
        worker.start(c.pollInterval());
        long alertmanagers = receivers.stream().filter(Receiver::alertmanager).count();
        LOG.infof(
                "notifications to %d receiver(s) (%d of them Alertmanager, %d Alertmanager URL(s)) go through the outbox (%s): up to %d "
                        + "attempts within %s, backoff %s to %s",
                receivers.size(), alertmanagers,
                targets.stream().filter(Receiver::alertmanager).count(), opened.location(), policy.maxAttempts(),
                Durations.format(policy.maxAge()),
                Durations.format(policy.initialBackoff()), Durations.format(policy.maxBackoff()));
    }

    /** This process in stored audit rows: {@code poolwatch.alerting.instance}, else the host name. */
    private String instanceName() {
        return config.instance().filter(s -> !s.isBlank()).orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "poolwatch";
            }
        });
    }

    /** poolwatch's tables the outbox keeps its rows in, with the silences, audit and check cursors, once it is open. */
    public Optional<Database> database() {
        return Optional.ofNullable(database);
    }

    /** Where silences are kept: the outbox, once it is open (only when receivers are configured). */
    public Optional<SilenceStore> silenceStore() {
        return Optional.ofNullable(silences);
    }

    /** After the alert core stops (priority 800), before the pools close. */
    void onStop(@Observes @Priority(850) ShutdownEvent event) {
        stop();
    }

    synchronized void stop() {
        if (worker != null) {
            worker.stop(STOP_GRACE);
        }
        audit.detach(STOP_GRACE);
        if (outbox != null) {
            outbox.close();
        }
    }

    /**
     * Takes a notification for delivery; durable in the outbox when this returns. Adding an id already there (waiting,
     * delivered or given up within the last 7 days) changes nothing, so a caller may repeat an add it is unsure of.
     *
     * @throws IllegalArgumentException when no receiver has its name
     * @throws IllegalStateException when notifications are not being sent (no receiver, or alerting off)
     * @throws Outbox.OutboxException when the outbox cannot store it (its database is down): nothing was stored
     */
    public void enqueue(Notification n) {
        if (targets.stream().noneMatch(r -> r.name().equals(n.receiver()))) {
            throw new IllegalArgumentException("no receiver named '" + n.receiver() + "'; configured: "
                    + targets.stream().map(Receiver::name).toList());
        }
        DeliveryWorker w = worker;
        Outbox o = outbox;
        if (w == null || o == null) {
            throw new IllegalStateException("notifications are not being sent (alerting is off)");
        }
        if (o.add(n)) {
            w.added(n.receiver());
            w.wake();
        }
    }

    /** The webhook receivers as the alert core routes to them. */
    @Override
    public List<NotificationDispatcher.Route> routes() {
        return receivers.stream().filter(r -> !r.alertmanager())
                .map(r -> new NotificationDispatcher.Route(r.name(), r.severities(), r.sendResolved())).toList();
    }

    /** The Alertmanager receivers as the alert core posts to them. */
    @Override
    public List<AlertmanagerDispatcher.Route> alertmanagerRoutes() {
        return receivers.stream().filter(Receiver::alertmanager)
                .map(r -> new AlertmanagerDispatcher.Route(r.name(), r.severities(), r.sendResolved(), r.resendInterval()))
                .toList();
    }

    /**
     * Stores a post for each Alertmanager of {@code receiver}, made now with a fresh id each, each superseding that
     * Alertmanager's undelivered posts of the same owner. Durable when this returns.
     *
     * @throws IllegalArgumentException when no Alertmanager receiver has its name
     * @throws IllegalStateException when nothing is being sent (alerting off)
     * @throws Outbox.OutboxException when the outbox cannot store it (its database is down); the caller offers it again
     */
    @Override
    public void enqueueAlertmanager(String receiver, String owner, String status, int alerts, String body) {
        Receiver r = receivers.stream().filter(x -> x.alertmanager() && x.name().equals(receiver)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Alertmanager receiver named '" + receiver + "'"));
        DeliveryWorker w = worker;
        Outbox o = outbox;
        if (w == null || o == null) {
            throw new IllegalStateException("notifications are not being sent (alerting is off)");
        }
        post(r, o, w, clock, owner, status, alerts, body);
    }

    /** Stores a post for each Alertmanager of {@code r} in {@code o}, each superseding the older ones, and wakes {@code w}. */
    static void post(Receiver r, Outbox o, DeliveryWorker w, Clock clock, String owner, String status, int alerts,
            String body) {
        for (Receiver target : r.targets()) {
            Instant now = clock.instant();
            int superseded = o.addSuperseding(Notification.create(target.name(), owner, status, alerts, body, now), now);
            if (superseded >= 0) {
                w.added(target.name());
                w.superseded(target.name(), superseded);
            }
        }
        w.wake();
    }

    /** {@link #enqueue(Notification)} of a new notification, made now with a fresh webhook-id. */
    @Override
    public void enqueue(String receiver, String groupKey, String status, int alerts, String body) {
        enqueue(Notification.create(receiver, groupKey, status, alerts, body, clock.instant()));
    }

    /** Notifications waiting for {@code receiver}, counted in the outbox now (0 when nothing is sent). */
    public int depth(String receiver) {
        Outbox o = outbox;
        return o == null ? 0 : o.depth(receiver);
    }

    /** The receivers configured, in name order. */
    public List<Receiver> receivers() {
        return receivers;
    }

    /**
     * Each delivery target's status (a webhook receiver's under its name, each Alertmanager of an Alertmanager receiver's
     * under {@code <name>#<n>}); never waits on a database.
     */
    public List<DeliveryStatus> status() {
        DeliveryWorker w = worker;
        if (w == null) {
            return targets.stream().map(r -> DeliveryStatus.none(r.name())).toList();
        }
        return w.status();
    }

    /** Where the outbox is kept, when it is open. */
    public Optional<String> location() {
        Outbox o = outbox;
        return o == null ? Optional.empty() : Optional.of(o.location());
    }
}
