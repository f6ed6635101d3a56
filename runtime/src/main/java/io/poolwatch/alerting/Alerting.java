package io.poolwatch.alerting;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.checks.CheckDefinition;
import io.poolwatch.checks.ConsistencyChecks;
import io.poolwatch.cluster.ClusterJobs;
import io.poolwatch.config.Durations;
import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.RootPath;
import io.poolwatch.health.PoolHealth;
import io.poolwatch.observed.ApplicationSampler;
import io.poolwatch.observed.BlockingSampler;
import io.poolwatch.observed.PgBouncerSampler;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.sampling.ReplicaLagSampler;
import io.poolwatch.sampling.ServerSampler;
import io.poolwatch.work.BackgroundWork;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;

/**
 * The alerting loop: every evaluation interval, the rules read the latest pool, health, server and check results; the
 * state machine moves each alert through pending, firing and resolved; silences are applied; the dispatcher groups
 * what is due into notifications for each receiver, which go to the outbox.
 * <p>
 * <b>Alertmanager receivers.</b> Their posts are decided by an {@link AlertmanagerDispatcher} per owner, at every
 * evaluation and group timer: every firing alert, whether silenced here or not, re-sent every resend-interval; nothing
 * of theirs is saved, so the first evaluation after a start or a takeover posts every alert of the owner at once.
 * <p>
 * <b>Group timers.</b> A group's {@code group-wait} and {@code group-interval} are honoured even when shorter than the
 * evaluation interval: after each evaluation one timer (at most one at a time) is set for the earliest group whose timer
 * runs out before the next evaluation, and the groups are looked at then with the alerts as last evaluated.
 * <p>
 * <b>Restarts and replicas.</b> With receivers configured, the alerts and each group's last notification are kept with
 * the outbox ({@link AlertStateStore}) under their owner, the alerts' {@code instance} label: this process's own name for
 * the alerts about its pools, and, when replicas coordinate, the cluster's name for the alerts about databases, replicas
 * and checks, which only the process running the cluster's jobs notifies and saves. At the first evaluation, and
 * whenever this process takes the cluster's jobs over, the saved state is adopted: the same fingerprints,
 * {@code activeAt} and {@code startsAt}, no notification before the groups' timers say so, and the resolution of an alert
 * that cleared in the meantime at the first evaluation that sees it clear. Until an owner's state is read (its database
 * down) its alerts are evaluated but not notified or saved, so nothing is sent twice or overwritten.
 */
@Startup
@ApplicationScoped
public class Alerting {

    private static final Logger LOG = Logger.getLogger(Alerting.class);

    private final PoolwatchConfig.AlertingConfig config;
    private final PoolRegistry registry;
    private final PoolSampler sampler;
    private final ServerSampler servers;
    private final ApplicationSampler applications;
    private final PgBouncerSampler pgbouncers;
    private final BlockingSampler blocking;
    private final Set<String> pgbouncerNames;
    private final PoolHealth health;
    private final ConsistencyChecks checks;
    private final ReplicaLagSampler replicaLags;
    private final Instance<NotificationSink> sinks;
    private final ClusterJobs cluster;
    private final AlertRuleSet rules;
    private final AlertEvaluator evaluator;
    private final AlertStateMachine machine;
    private final Silencer silences;
    /** In milliseconds, as the alert state is stored, so an alert's times read back exactly as they were notified. */
    private final Clock clock = Clock.tickMillis(ZoneOffset.UTC);
    private final ObjectMapper json;
    private final String externalUrl;
    private final String instance;
    private final Duration interval;
    /** One dispatcher per owner (the instance label of the alerts it notifies): this process's own, and the cluster's. */
    private final Map<String, NotificationDispatcher> dispatchers = new LinkedHashMap<>();
    /** The same for the Alertmanager receivers. */
    private final Map<String, AlertmanagerDispatcher> alertmanagers = new LinkedHashMap<>();
    /** The cluster's owner name when replicas coordinate, else null (this process owns every alert). */
    private final String clusterOwner;
    private volatile AlertStateStore store;
    /** Owners whose saved state has been adopted here (the cluster's only while this process runs the cluster's jobs). */
    private final Set<String> adopted = new HashSet<>();
    /** What was last saved for each owner, and when, so that an unchanged state is not written at every evaluation. */
    private final Map<String, List<Object>> lastSaved = new HashMap<>();
    private final Map<String, Instant> lastSavedAt = new HashMap<>();
    private boolean storeFailing;
    private final BackgroundWork work;
    /** Evaluations and group timers run in this lane, one at a time; null until alerting starts. */
    private BackgroundWork.Lane lane;
    private BackgroundWork.Periodic evaluations;
    /** The one group timer set, and when it runs out. */
    private ScheduledFuture<?> flush;
    private Instant flushAt;
    /** When the next scheduled evaluation is due. */
    private volatile Instant nextEvaluation;
    private volatile List<Alert> alerts = List.of();
    private volatile Instant lastEvaluation;
    /** When the last evaluation that ran to its end finished. */
    private volatile Instant lastCompleted;
    /** When the evaluation running now began; null when none runs (one waiting for another shows as overdue). */
    private volatile Instant runningSince;
    /** When evaluations were scheduled, or null when alerting is off: the watchdog counts from there until one completes. */
    private volatile Instant scheduledSince;
    private final Duration stallBound;

    Alerting(PoolwatchConfig config, PoolRegistry registry, PoolSampler sampler, ServerSampler servers, PoolHealth health,
            ConsistencyChecks checks, ReplicaLagSampler replicaLags, ApplicationSampler applications,
            PgBouncerSampler pgbouncers,
            BlockingSampler blocking, Instance<NotificationSink> sinks, ObjectMapper json,
            ClusterJobs cluster, BackgroundWork work,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port) {
        this.work = work;
        this.applications = applications;
        this.pgbouncers = pgbouncers;
        this.blocking = blocking;
        this.cluster = cluster;
        this.config = config.alerting();
        this.registry = registry;
        this.sampler = sampler;
        this.servers = servers;
        this.health = health;
        this.checks = checks;
        this.replicaLags = replicaLags;
        this.sinks = sinks;
        this.json = json;
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, PoolwatchConfig.RuleConfig>> workloads = new LinkedHashMap<>();
        for (PoolSettings s : registry.configuration().pools()) {
            PoolwatchConfig.PoolConfig pool = config.pools().get(s.name());
            workloads.put(s.name(), pool == null ? Map.of() : pool.alerts());
        }
        problems.addAll(AlertRuleSet.settingsProblems(config));
        this.interval = this.config.evaluationInterval().orElse(config.sampling().interval());
        this.stallBound = stallBound(interval);
        AlertRuleSet parsed = null;
        try {
            parsed = AlertRuleSet.parse(this.config.rules(), workloads,
                    observedAlerts(config.applications(), PoolwatchConfig.ApplicationConfig::alerts),
                    observedAlerts(config.pgbouncer(), PoolwatchConfig.PgBouncerConfig::alerts),
                    registry.configuration().monitoring());
        } catch (InvalidConfigurationException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        this.rules = parsed;
        this.pgbouncerNames = Set.copyOf(config.pgbouncer().keySet());
        String host = hostName();
        this.instance = this.config.instance().orElse(host);
        this.externalUrl = this.config.externalUrl().map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
                .orElse("http://" + host + ":" + port + (RootPath.root().equals("/") ? "" : RootPath.root()));
        this.evaluator = new AlertEvaluator(rules, instance, cluster.alertInstance(), externalUrl);
        this.clusterOwner = cluster.alertInstance().filter(o -> !o.equals(instance)).orElse(null);
        this.machine = new AlertStateMachine(this.config.resolvedRetention());
        this.silences = new Silencer(clock);
    }

    /** Each observed application's or PgBouncer's {@code alerts} map, by name. */
    static <T> Map<String, Map<String, PoolwatchConfig.RuleConfig>> observedAlerts(Map<String, T> subjects,
            Function<T, Map<String, PoolwatchConfig.RuleConfig>> alerts) {
        Map<String, Map<String, PoolwatchConfig.RuleConfig>> out = new LinkedHashMap<>();
        subjects.forEach((name, subject) -> out.put(name, alerts.apply(subject)));
        return out;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    void onStart(@Observes StartupEvent event) {
        List<NotificationDispatcher.Route> routes = sink().map(NotificationSink::routes).orElse(List.of());
        List<AlertmanagerDispatcher.Route> posts = sink().map(NotificationSink::alertmanagerRoutes).orElse(List.of());
        dispatchers.put(instance,
                new NotificationDispatcher(routes, config.groupBy(), config.groupWait(), config.groupInterval(),
                        config.repeatInterval()));
        alertmanagers.put(instance, new AlertmanagerDispatcher(posts, interval, externalUrl));
        if (clusterOwner != null) {
            dispatchers.put(clusterOwner,
                    new NotificationDispatcher(routes, config.groupBy(), config.groupWait(), config.groupInterval(),
                            config.repeatInterval()));
            alertmanagers.put(clusterOwner, new AlertmanagerDispatcher(posts, interval, externalUrl));
        }
        if (!config.enabled()) {
            LOG.info("alerting is off (poolwatch.alerting.enabled=false)");
            return;
        }
        if (!(routes.isEmpty() && posts.isEmpty()) && sink().filter(NotificationOutbox.class::isInstance).isPresent()) {
            store = openStore();
        }
        LOG.infof("alert rules evaluated every %s; %d receiver(s)", Durations.format(interval), routes.size() + posts.size());
        lane = work.lane("alerting", 1);
        scheduledSince = clock.instant();
        nextEvaluation = scheduledSince.plus(interval);
        evaluations = work.every("alert evaluation", interval, interval, lane, () -> {
            // The next one runs an interval after this one ends; from its start is the earliest it can be.
            nextEvaluation = clock.instant().plus(interval);
            try {
                evaluateNow();
            } finally {
                nextEvaluation = clock.instant().plus(interval);
            }
        });
    }

    /** The alert state beside the outbox: in the outbox's workload, or in the local outbox file. Opened on first use. */
    private AlertStateStore openStore() {
        PoolwatchConfig.OutboxConfig c = config.outbox();
        try {
            if (c.workload().isPresent()) {
                String name = c.workload().get();
                return AlertStateStore.on(registry.dataSource(name), registry.pool(name).settings().url().kind(),
                        "workload " + name);
            }
            return AlertStateStore.h2File(Path.of(c.path()));
        } catch (RuntimeException e) {
            LOG.errorf("alert state cannot be kept with the outbox: %s (alerts start over after a restart)", e.getMessage());
            return null;
        }
    }

    /** Silences are kept with the outbox once it is open (it opens with the first receiver). */
    private void attachSilenceStore() {
        sink().filter(NotificationOutbox.class::isInstance).map(NotificationOutbox.class::cast)
                .flatMap(NotificationOutbox::silenceStore)
                .ifPresent(store -> {
                    try {
                        silences.attach(store);
                    } catch (RuntimeException e) {
                        LOG.warnf("silences cannot be kept with the outbox yet: %s", e.getMessage());
                    }
                });
    }

    private Optional<NotificationSink> sink() {
        return sinks.isResolvable() ? Optional.of(sinks.get()) : Optional.empty();
    }

    void onStop(@Observes @Priority(800) ShutdownEvent event) {
        if (evaluations != null) {
            evaluations.cancel();
        }
        if (lane != null) {
            lane.stopAndWait(Duration.ofSeconds(2));
        }
        AlertStateStore s = store;
        if (s != null) {
            s.close();
        }
    }

    /** Evaluates every rule now, moves the alerts on, and sends what is due. */
    public synchronized List<Alert> evaluateNow() {
        runningSince = clock.instant();
        try {
            List<Alert> out = evaluate();
            lastCompleted = clock.instant();
            return out;
        } finally {
            runningSince = null;
        }
    }

    private List<Alert> evaluate() {
        Instant now = clock.instant();
        attachSilenceStore();
        silences.refresh();
        List<AlertEvaluator.PoolInput> pools = new ArrayList<>();
        Map<String, PoolHealth.PoolState> healthOf = new LinkedHashMap<>();
        health.pools().forEach(h -> healthOf.put(h.pool(), h));
        List<AlertEvaluator.ReplicaInput> replicas = new ArrayList<>();
        for (WorkloadPool p : registry.pools()) {
            pools.add(new AlertEvaluator.PoolInput(p.name(), p.settings().workload(), p.settings().role(),
                    p.settings().critical(),
                    sampler.latest(p.name()), Optional.ofNullable(healthOf.get(p.name())), p.statements().slowStatements(),
                    p.roles().serverChanges(), p.roles().server()));
            if (p.settings().replica()) {
                replicas.add(new AlertEvaluator.ReplicaInput(p.name(), p.settings().workload(), p.settings().url().label(),
                        replicaLags.ofPool(p.name())));
            }
        }
        List<AlertEvaluator.CheckInput> checkInputs = new ArrayList<>();
        for (CheckDefinition d : checks.definitions()) {
            checkInputs.add(new AlertEvaluator.CheckInput(d, checks.latest(d.name())));
        }
        AlertEvaluator.Observed observed = new AlertEvaluator.Observed(applications.all(), pgbouncers.all(), blocking.all());
        List<Observation> observations = evaluator
                .observe(new AlertEvaluator.Inputs(now, pools, servers.all(), checkInputs, replicas, observed));
        boolean leads = cluster.leads();
        adoptSaved(leads);
        List<Alert> previous = alerts;
        List<Alert> next = new ArrayList<>();
        for (Alert a : machine.evaluate(now, observations, this::stillWatched)) {
            next.add(a.withSilences(silences.matching(a.labels(), now)));
        }
        logChanges(previous, next);
        alerts = List.copyOf(next);
        lastEvaluation = now;
        dispatch(now, leads);
        return alerts;
    }

    /**
     * The owners this process notifies and saves the alerts of: its own always; the cluster's (alerts about a database
     * server, a replica or a check, the same in every process) only while it runs the cluster's jobs, which include the
     * checks.
     */
    private List<String> ownersHere(boolean leads) {
        return clusterOwner != null && leads ? List.of(instance, clusterOwner) : List.of(instance);
    }

    /**
     * Adopts the saved state of each owner handled here that has not been adopted yet; forgets the cluster's when not leading.
     */
    private void adoptSaved(boolean leads) {
        if (clusterOwner != null && !leads && adopted.remove(clusterOwner)) {
            // Another process continues these groups from the saved log; taken over again, this one reads it again.
            dispatchers.get(clusterOwner).forget();
            alertmanagers.get(clusterOwner).forget();
            lastSaved.remove(clusterOwner);
        }
        for (String owner : ownersHere(leads)) {
            if (adopted.contains(owner)) {
                continue;
            }
            AlertStateStore s = store;
            if (s == null) {
                adopted.add(owner);
                continue;
            }
            try {
                AlertStateStore.Saved saved = s.load(owner);
                machine.adopt(saved.alerts());
                NotificationDispatcher d = dispatchers.get(owner);
                if (d != null) {
                    d.forget();
                    d.adopt(saved.groups());
                }
                // Posted anew at once: whatever Alertmanager has of them came from another process, or before a restart.
                AlertmanagerDispatcher am = alertmanagers.get(owner);
                if (am != null) {
                    am.forget();
                }
                adopted.add(owner);
                lastSaved.put(owner, savedIdentity(saved.alerts(), saved.groups()));
                if (!saved.alerts().isEmpty() || !saved.groups().isEmpty()) {
                    LOG.infof("continuing %d alert(s) and %d notification group(s) of %s from %s", saved.alerts().size(),
                            saved.groups().size(), owner,
                            s.location());
                }
            } catch (RuntimeException e) {
                LOG.warnf("the saved alerts of %s cannot be read yet (%s): they are evaluated but not notified until they can",
                        owner,
                        e.getMessage());
            }
        }
    }

    /**
     * Whether an adopted alert not observed yet is still watched here, so it keeps its state until it is observed: its
     * rule is on for its pool or check, and that pool, check or database is still configured (a check may not have run
     * since the restart). An alert whose subject is gone resolves.
     */
    private boolean stillWatched(Alert a) {
        Optional<AlertRule> rule = AlertRule.of(a.name());
        if (rule.isEmpty()) {
            return false;
        }
        String pool = a.labels().get("pool");
        String workload = a.labels().get("workload");
        Optional<String> ruleWorkload = Optional.ofNullable(workload);
        String application = a.labels().get("application");
        String pgbouncer = a.labels().get("pgbouncer");
        RuleSettings settings = switch (rule.get().scope()) {
            case DATABASE -> rules.settings(rule.get(), Optional.empty());
            case APPLICATION -> rules.observedSettings(rule.get(), application == null ? "" : application);
            case PGBOUNCER -> rules.observedSettings(rule.get(), pgbouncer == null ? "" : pgbouncer);
            default -> rules.settings(rule.get(), ruleWorkload);
        };
        if (!settings.enabled()) {
            return false;
        }
        return switch (rule.get().scope()) {
            case POOL, REPLICA -> pool != null && registry.pools().stream().anyMatch(p -> p.name().equals(pool));
            case CHECK -> checks.definitions().stream().anyMatch(d -> d.name().equals(a.labels().get("check")));
            case DATABASE -> servers.all().stream().anyMatch(s -> s.database().equals(a.labels().get("database")));
            case APPLICATION -> application != null && applications.defined(application);
            case PGBOUNCER -> pgbouncer != null && pgbouncerNames.contains(pgbouncer);
        };
    }

    /** Hands what is due to the outbox, saves the state of the owners handled here, and sets the group timer. */
    private void dispatch(Instant now, boolean leads) {
        Optional<NotificationSink> sink = sink();
        List<String> owners = ownersHere(leads);
        for (String owner : owners) {
            NotificationDispatcher d = dispatchers.get(owner);
            if (d == null || !adopted.contains(owner)) {
                continue;
            }
            List<Alert> theirs = alerts.stream().filter(a -> owner.equals(a.labels().get("instance"))).toList();
            for (NotificationDispatcher.GroupNotification n : d.tick(now, theirs)) {
                if (sink.isEmpty()) {
                    continue;
                }
                String body = AlertmanagerPayload.body(json, n.receiver(), n, externalUrl);
                unqueued.addLast(new Unqueued(n.receiver(), n.groupKey(), n.status(), n.alerts().size(), body, false));
            }
            AlertmanagerDispatcher am = alertmanagers.get(owner);
            for (AlertmanagerDispatcher.Send post : am == null ? List.<AlertmanagerDispatcher.Send> of()
                    : am.tick(now, theirs)) {
                if (sink.isEmpty()) {
                    continue;
                }
                if (post.omitted() > 0) {
                    LOG.warnf(
                            "the post to Alertmanager receiver %s carries the first %d alerts of %s; %d resolved alert(s) left out",
                            post.receiver(), post.alerts().size(), owner, post.omitted());
                }
                // A post carries everything an older one not yet taken did: the older one goes.
                unqueued.removeIf(u -> u.alertmanager() && u.receiver().equals(post.receiver()) && u.groupKey().equals(owner));
                unqueued.addLast(new Unqueued(post.receiver(), owner, post.status(), post.alerts().size(),
                        PostableAlerts.body(json, post.alerts()),
                        true));
            }
        }
        sink.ifPresent(this::enqueueAll);
        save(now, owners);
        scheduleFlush(owners);
    }

    /**
     * How often an unchanged state is written anyway, so its rows show the owner is alive (see
     * AlertStateStore.OWNER_RETENTION).
     */
    static final Duration SAVE_AT_LEAST_EVERY = Duration.ofHours(1);

    /**
     * Saves each owner's alerts and notification log when they changed. Not while notifications wait for the outbox: the
     * log would say they were sent, and the database is the outbox's, so it is likely down too.
     */
    private void save(Instant now, List<String> owners) {
        AlertStateStore s = store;
        if (s == null || !unqueued.isEmpty()) {
            return;
        }
        List<AlertStateMachine.Saved> all = machine.saved();
        for (String owner : owners) {
            if (!adopted.contains(owner)) {
                continue;
            }
            List<AlertStateMachine.Saved> theirs = all.stream().filter(a -> owner.equals(a.labels().get("instance"))).toList();
            List<NotificationDispatcher.SavedGroup> groups = dispatchers.get(owner).saved();
            List<Object> identity = savedIdentity(theirs, groups);
            Instant at = lastSavedAt.get(owner);
            if (identity.equals(lastSaved.get(owner)) && at != null && now.isBefore(at.plus(SAVE_AT_LEAST_EVERY))) {
                continue;
            }
            try {
                s.save(owner, theirs, groups, now);
                lastSaved.put(owner, identity);
                lastSavedAt.put(owner, now);
                if (storeFailing) {
                    storeFailing = false;
                    LOG.infof("alert state is saved again (%s)", s.location());
                }
            } catch (RuntimeException e) {
                if (!storeFailing) {
                    storeFailing = true;
                    LOG.warnf("alert state of %s cannot be saved (tried again at the next evaluation): %s", owner,
                            e.getMessage());
                }
            }
        }
    }

    private static List<Object> savedIdentity(List<AlertStateMachine.Saved> alerts,
            List<NotificationDispatcher.SavedGroup> groups) {
        List<Object> out = new ArrayList<>();
        alerts.stream().map(AlertStateMachine.Saved::identity).sorted(Comparator.comparing(Object::toString)).forEach(out::add);
        groups.stream().sorted(Comparator.comparing(g -> g.receiver() + " " + g.groupKey())).forEach(out::add);
        return out;
    }

    /** The least wait of the group timer, so a timer that is due now does not spin. */
    static final Duration MIN_FLUSH_DELAY = Duration.ofMillis(20);

    /**
     * Sets the one group timer for the earliest group timer that runs out before the next evaluation, replacing a later
     * one; the evaluation covers the rest.
     */
    private void scheduleFlush(List<String> owners) {
        BackgroundWork.Lane l = lane;
        Instant evaluation = nextEvaluation;
        if (l == null || evaluation == null) {
            return;
        }
        Optional<Instant> due = owners.stream().filter(adopted::contains).map(dispatchers::get).filter(Objects::nonNull)
                .map(NotificationDispatcher::nextFlush).flatMap(Optional::stream).min(Instant::compareTo);
        if (due.isEmpty() || !due.get().isBefore(evaluation)) {
            return;
        }
        // Counted from the clock now, not from the evaluation's start: the evaluation itself takes time.
        Instant current = clock.instant();
        Instant at = due.get().isBefore(current.plus(MIN_FLUSH_DELAY)) ? current.plus(MIN_FLUSH_DELAY) : due.get();
        if (flush != null && !flush.isDone() && flushAt != null && !flushAt.isAfter(at)) {
            return;
        }
        if (flush != null) {
            flush.cancel(false);
        }
        flushAt = at;
        flush = work.once("group timer", Duration.between(current, at), l, this::flushNow).orElse(null);
    }

    /** The group timer ran out: the groups are looked at with the alerts as last evaluated. */
    private synchronized void flushNow() {
        flush = null;
        flushAt = null;
        try {
            if (lastEvaluation == null) {
                return;
            }
            Instant now = clock.instant();
            dispatch(now, cluster.leads());
        } catch (RuntimeException e) {
            LOG.errorf(e, "sending the notifications due failed");
        }
    }

    /**
     * A notification (or, when {@code alertmanager}, an Alertmanager post whose group key is its owner) the outbox has not
     * taken yet.
     */
    private record Unqueued(String receiver, String groupKey, String status, int alerts, String body, boolean alertmanager) {
    }

    /** Most notifications held while the outbox cannot take them (its database down); the oldest go first beyond. */
    static final int MAX_UNQUEUED = 1000;
    private final ArrayDeque<Unqueued> unqueued = new ArrayDeque<>();

    /**
     * Hands every notification to the outbox, in order. One the outbox refuses (its database is down) stays here and
     * is offered again at the next evaluation, so an outbox outage delays notifications instead of losing them.
     */
    private void enqueueAll(NotificationSink sink) {
        while (!unqueued.isEmpty()) {
            Unqueued u = unqueued.peekFirst();
            try {
                if (u.alertmanager()) {
                    sink.enqueueAlertmanager(u.receiver(), u.groupKey(), u.status(), u.alerts(), u.body());
                } else {
                    sink.enqueue(u.receiver(), u.groupKey(), u.status(), u.alerts(), u.body());
                }
                unqueued.removeFirst();
            } catch (RuntimeException e) {
                LOG.warnf(
                        "the notification outbox did not take a notification for %s (%d waiting, offered again at the next evaluation): %s",
                        u.receiver(), unqueued.size(), e.getMessage());
                break;
            }
        }
        while (unqueued.size() > MAX_UNQUEUED) {
            Unqueued dropped = unqueued.removeFirst();
            LOG.errorf("notification for %s (%s, %s) dropped: the outbox has refused notifications for too long",
                    dropped.receiver(),
                    dropped.groupKey(), dropped.status());
        }
    }

    /** Notifications waiting for the outbox to take them. */
    public int unqueued() {
        return unqueued.size();
    }

    private static void logChanges(List<Alert> previous, List<Alert> next) {
        Map<String, AlertState> before = new LinkedHashMap<>();
        previous.forEach(a -> before.put(a.fingerprint(), a.state()));
        for (Alert a : next) {
            AlertState was = before.get(a.fingerprint());
            if (a.state().equals(was)) {
                continue;
            }
            String summary = a.annotations().getOrDefault("summary", a.name());
            switch (a.state()) {
                case FIRING -> LOG.warnf("alert firing [%s]: %s%s", a.labels().get("severity"), summary,
                        a.silenced() ? " (silenced)" : "");
                case RESOLVED -> LOG.infof("alert resolved: %s", summary);
                default -> LOG.debugf("alert pending: %s", summary);
            }
        }
    }

    /** Every alert, pending, firing and recently resolved. */
    public List<Alert> alerts() {
        return alerts;
    }

    /** When the rules were last evaluated. */
    public Optional<Instant> lastEvaluation() {
        return Optional.ofNullable(lastEvaluation);
    }

    /** How long an evaluation may run, or go without completing past its interval, before it counts as stalled. */
    static Duration stallBound(Duration interval) {
        Duration three = interval.multipliedBy(3);
        return three.compareTo(MIN_STALL_BOUND) < 0 ? MIN_STALL_BOUND : three;
    }

    /** The least stall bound, so a short interval does not flag an ordinary slow moment. */
    static final Duration MIN_STALL_BOUND = Duration.ofSeconds(5);

    /**
     * The watchdog's view of alert evaluation: when one last completed, whether one is running now and for how long,
     * and whether evaluation is stalled: one has run longer than {@link #stallBound}, or none has completed for the
     * interval plus that bound (one blocked, failing every time, or waiting behind another).
     *
     * @param enabled whether rules are evaluated on a schedule (false when alerting is off)
     * @param lastCompleted when the last evaluation that ran to its end finished, if one has
     * @param runningFor how long the evaluation running now has been at it, if one is
     * @param interval the evaluation interval
     * @param bound the stall bound: 3 times the evaluation interval, at least 5s
     * @param stalled whether evaluation is stalled, so alerts and their API are stale
     */
    public record EvaluationStatus(boolean enabled, Optional<Instant> lastCompleted, Optional<Duration> runningFor,
            Duration interval,
            Duration bound, boolean stalled) {

        /** One line for readiness details and a response header: what the alerts' age is and why they are stale. */
        public String describe() {
            String last = lastCompleted.map(t -> "last completed " + t).orElse("none completed yet");
            String running = runningFor.map(d -> "; one running for " + Durations.format(d)).orElse("");
            String bounds = " (interval " + Durations.format(interval) + ", stall bound "
                    + Durations.format(bound) + ")";
            if (!enabled) {
                return "off; " + last;
            }
            return (stalled ? "STALLED: " : "ok: ") + last + running + bounds;
        }
    }

    /** The watchdog's view of alert evaluation now. */
    public EvaluationStatus evaluationStatus() {
        Instant now = clock.instant();
        Instant running = runningSince;
        Instant completed = lastCompleted;
        Instant since = scheduledSince;
        Optional<Duration> runningFor = running == null ? Optional.empty()
                : Optional.of(nonNegative(Duration.between(running, now)));
        boolean stalled = false;
        if (since != null) {
            boolean runningTooLong = runningFor.isPresent() && runningFor.get().compareTo(stallBound) > 0;
            Instant from = completed == null || completed.isBefore(since) ? since : completed;
            boolean overdue = Duration.between(from, now).compareTo(interval.plus(stallBound)) > 0;
            stalled = runningTooLong || overdue;
        }
        return new EvaluationStatus(since != null, Optional.ofNullable(completed), runningFor, interval, stallBound, stalled);
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** The rules in effect. */
    public AlertRuleSet rules() {
        return rules;
    }

    public Silencer silences() {
        return silences;
    }

    /** The link base used in notifications. */
    public String externalUrl() {
        return externalUrl;
    }

    /** Open notification groups per receiver. */
    public Map<String, Integer> openGroups() {
        Map<String, Integer> out = new LinkedHashMap<>();
        dispatchers.values().forEach(d -> d.openGroups().forEach((r, n) -> out.merge(r, n, Integer::sum)));
        return out;
    }
}
