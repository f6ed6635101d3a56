package io.poolwatch.alerting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.poolwatch.checks.CheckDefinition;
import io.poolwatch.checks.CheckResult;
import io.poolwatch.config.PoolRole;
import io.poolwatch.config.Severity;
import io.poolwatch.engine.ReplicaLag;
import io.poolwatch.health.PoolHealth;
import io.poolwatch.observed.ApplicationSnapshot;
import io.poolwatch.observed.BlockingSnapshot;
import io.poolwatch.observed.PgBouncerPool;
import io.poolwatch.observed.PgBouncerSnapshot;
import io.poolwatch.sampling.PoolSnapshot;
import io.poolwatch.sampling.ServerSnapshot;

/**
 * Turns what poolwatch has measured (pool snapshots, pool health, the servers' session views, the checks' latest
 * results) into one observation per rule and pool, database or check. Reads only snapshots and results; never a
 * database.
 */
final class AlertEvaluator {

    /** The window slow-queries counts over. */
    static final Duration SLOW_WINDOW = Duration.ofMinutes(1);
    /** The window deadlocks counts over. */
    static final Duration DEADLOCK_WINDOW = Duration.ofMinutes(10);
    /** The window server-changed counts over. */
    static final Duration SERVER_CHANGE_WINDOW = Duration.ofMinutes(10);

    /** What the evaluator reads, gathered by the caller. */
    record Inputs(Instant now, List<PoolInput> pools, List<ServerSnapshot> servers, List<CheckInput> checks,
            List<ReplicaInput> replicas,
            Observed observed) {

        Inputs(Instant now, List<PoolInput> pools, List<ServerSnapshot> servers, List<CheckInput> checks,
                List<ReplicaInput> replicas) {
            this(now, pools, servers, checks, replicas, Observed.NONE);
        }

        Inputs(Instant now, List<PoolInput> pools, List<ServerSnapshot> servers, List<CheckInput> checks) {
            this(now, pools, servers, checks, List.of());
        }
    }

    /** What poolwatch observes but does not own: applications' sessions, PgBouncers, and who blocks whom. */
    record Observed(List<ApplicationSnapshot> applications, List<PgBouncerSnapshot> pgbouncers,
            List<BlockingSnapshot> blocking) {

        static final Observed NONE = new Observed(List.of(), List.of(), List.of());
    }

    /** One read replica's pool: the workload it serves, its database and its latest replay lag. */
    record ReplicaInput(String pool, String workload, String database, Optional<ReplicaLag> lag) {
    }

    /**
     * One pool: its latest snapshot, health, cumulative slow statements, and how many times the server behind it changed
     * (with the one it reaches now, where known).
     */
    record PoolInput(String pool, String workload, PoolRole role, boolean critical, Optional<PoolSnapshot> snapshot,
            Optional<PoolHealth.PoolState> health, long slowStatements, long serverChanges, Optional<String> server) {

        /** A pool whose server never changed. */
        PoolInput(String pool, String workload, PoolRole role, boolean critical, Optional<PoolSnapshot> snapshot,
                Optional<PoolHealth.PoolState> health, long slowStatements) {
            this(pool, workload, role, critical, snapshot, health, slowStatements, 0, Optional.empty());
        }
    }

    /** One check: its definition and latest result. */
    record CheckInput(CheckDefinition definition, Optional<CheckResult> latest) {
    }

    private final AlertRuleSet rules;
    private final String instance;
    private final Optional<String> clusterInstance;
    private final String externalUrl;
    private final Map<String, Deque<long[]>> slowHistory = new HashMap<>();
    private final Map<String, Deque<long[]>> deadlockHistory = new HashMap<>();
    private final Map<String, Deque<long[]>> serverChangeHistory = new HashMap<>();

    /**
     * @param clusterInstance the instance label of alerts about databases, replicas and checks when replicas coordinate
     *        (the same in every replica); empty to label every alert with {@code instance}
     */
    AlertEvaluator(AlertRuleSet rules, String instance, Optional<String> clusterInstance, String externalUrl) {
        this.clusterInstance = clusterInstance;
        this.rules = rules;
        this.instance = instance;
        this.externalUrl = externalUrl;
    }

    List<Observation> observe(Inputs in) {
        List<Observation> out = new ArrayList<>();
        for (PoolInput p : in.pools()) {
            pool(in.now(), p, out);
        }
        for (ServerSnapshot s : in.servers()) {
            // A saturated server refused poolwatch's view but still has a figure: at its limit.
            if (s.available() || s.saturated()) {
                server(s, out);
            }
        }
        for (CheckInput c : in.checks()) {
            c.latest().ifPresent(r -> check(c.definition(), r, out));
        }
        replicas(in.replicas(), out);
        for (ApplicationSnapshot a : in.observed().applications()) {
            application(a, out);
        }
        for (PgBouncerSnapshot b : in.observed().pgbouncers()) {
            pgbouncer(b, out);
        }
        for (BlockingSnapshot b : in.observed().blocking()) {
            blocking(in.now(), b, out);
        }
        return out;
    }

    // --- what poolwatch observes but does not own ----------------------------------------------------------------

    /**
     * application-sessions (against expected-max, when set) and application-idle-in-transaction, per application and database.
     */
    private void application(ApplicationSnapshot a, List<Observation> out) {
        if (!a.available()) {
            return;
        }
        Map<String, String> about = new LinkedHashMap<>();
        about.put("application", a.application());
        about.put("database", a.database());
        String link = externalUrl + "/applications/" + a.application();
        String subject = "application " + a.application() + " on " + a.database();
        a.utilization()
                .ifPresent(use -> add(out, rules.observedSettings(AlertRule.APPLICATION_SESSIONS, a.application()), about, use,
                        subject,
                        link, a.sessions() + " sessions of expected-max " + a.expectedMax().getAsInt() + " from "
                                + a.instances() + " address(es)."));
        double idle = a.oldestIdleInTransaction().map(d -> d.toMillis() / 1000.0).orElse(0.0);
        add(out, rules.observedSettings(AlertRule.APPLICATION_IDLE_IN_TRANSACTION, a.application()), about, idle, subject, link,
                a.idleInTransaction() + " session(s) idle in a transaction.");
    }

    /** pgbouncer-down per PgBouncer; pgbouncer-clients-waiting and pgbouncer-max-wait per pool while it answers. */
    private void pgbouncer(PgBouncerSnapshot b, List<Observation> out) {
        String link = externalUrl + "/pgbouncers/" + b.name();
        RuleSettings down = rules.observedSettings(AlertRule.PGBOUNCER_DOWN, b.name());
        if (down.enabled()) {
            double value = b.up() ? 0 : 1;
            boolean breached = down.rule().breaches(value, down.threshold());
            String subject = "PgBouncer " + b.name() + " (" + b.address() + ")";
            String state = b.up()
                    ? "its admin console answers"
                            + (breached ? " (threshold " + AlertRuleSet.format(down.threshold()) + ")" : " again")
                    : "its admin console cannot be read";
            String stateLong = b.up() ? state : state + ": " + b.downReason().orElse("no reason given");
            emit(out, down, Map.of("pgbouncer", b.name()), value, breached, link, down.severity().orElse(Severity.WARNING),
                    AlertText.condition(down.rule(), subject, subject, breached, state, stateLong, down.keepFiringFor()));
        }
        if (!b.up()) {
            return;
        }
        for (PgBouncerPool p : b.pools()) {
            Map<String, String> about = new LinkedHashMap<>();
            about.put("pgbouncer", b.name());
            about.put("database", p.database());
            about.put("user", p.user());
            String subject = "PgBouncer " + b.name() + " pool " + p.database() + "/" + p.user();
            String detail = p.clientsActive() + " client(s) active, " + p.clientsWaiting() + " waiting; " + p.serversActive()
                    + " server connection(s) active, " + p.serversIdle() + " idle" + b.defaultPoolSize().stream()
                            .mapToObj(n -> "; default_pool_size " + n).findFirst().orElse("")
                    + ".";
            add(out, rules.observedSettings(AlertRule.PGBOUNCER_CLIENTS_WAITING, b.name()), about, p.clientsWaiting(), subject,
                    link, detail);
            add(out, rules.observedSettings(AlertRule.PGBOUNCER_MAX_WAIT, b.name()), about, p.maxWaitSeconds(), subject, link,
                    detail);
        }
    }

    /** blocked-sessions (the longest wait) and deadlocks (the increase over the last 10 minutes), per database. */
    private void blocking(Instant now, BlockingSnapshot b, List<Observation> out) {
        if (!b.available()) {
            return;
        }
        Map<String, String> about = Map.of("database", b.database());
        String link = externalUrl + "/blocking";
        String subject = "database " + b.database();
        double longest = b.longestBlocked().map(d -> d.toMillis() / 1000.0).orElse(0.0);
        String roots = b.roots().stream().limit(3)
                .map(r -> "pid " + r.pid() + " (" + r.application() + ", " + r.state() + ") blocks "
                        + r.blocked().size())
                .collect(Collectors.joining("; "));
        add(out, rules.settings(AlertRule.BLOCKED_SESSIONS, Optional.empty()), about, longest, subject, link,
                b.blockedSessions() + " session(s) blocked" + (roots.isEmpty() ? "" : ": " + roots) + ".");
        if (b.deadlocks().isEmpty()) {
            return;
        }
        Deque<long[]> history = deadlockHistory.computeIfAbsent(b.database(), k -> new ArrayDeque<>());
        long total = b.deadlocks().getAsLong();
        if (!history.isEmpty() && total < history.peekLast()[1]) {
            history.clear(); // the server's statistics were reset
        }
        add(out, rules.settings(AlertRule.DEADLOCKS, Optional.empty()), about, increase(history, now, total, DEADLOCK_WINDOW),
                subject, link,
                total + " deadlock(s) since the server's statistics were reset.");
    }

    private void pool(Instant now, PoolInput p, List<Observation> out) {
        Optional<String> workload = Optional.of(p.workload());
        Map<String, String> about = new LinkedHashMap<>();
        about.put("pool", p.pool());
        about.put("workload", p.workload());
        about.put("role", p.role().label());
        String link = externalUrl + "/pools/" + p.pool();
        String subject = "pool " + p.pool();
        if (p.snapshot().isPresent()) {
            PoolSnapshot s = p.snapshot().get();
            add(out, rules.settings(AlertRule.POOL_UTILIZATION, workload), about, s.utilization(), subject, link, null);
            errorRate(out, rules.settings(AlertRule.ERROR_RATE, workload), about, s.errorRate(), subject, link);
            add(out, rules.settings(AlertRule.CHECKOUT_TIME, workload), about, s.checkout().p95() / 1000.0, subject, link,
                    null);
            add(out, rules.settings(AlertRule.LEAKED_CONNECTIONS, workload), about, s.currentLeaks(), subject, link, null);
        }
        p.health().ifPresent(h -> unhealthy(out, rules.settings(AlertRule.UNHEALTHY_POOLS, workload), about, h, subject, link,
                p.critical() ? Severity.CRITICAL : Severity.WARNING));
        p.health().ifPresent(h -> primaryReadOnly(out, rules.settings(AlertRule.PRIMARY_READ_ONLY, workload), about, h,
                subject, link));
        long slow = increase(slowHistory.computeIfAbsent(p.pool(), k -> new ArrayDeque<>()), now, p.slowStatements(),
                SLOW_WINDOW);
        add(out, rules.settings(AlertRule.SLOW_QUERIES, workload), about, slow, subject, link, null);
        long moved = increase(serverChangeHistory.computeIfAbsent(p.pool(), k -> new ArrayDeque<>()), now, p.serverChanges(),
                SERVER_CHANGE_WINDOW);
        add(out, rules.settings(AlertRule.SERVER_CHANGED, workload), about, moved, subject, link,
                p.server().map(s -> "Its connections now reach " + s + "; " + p.serverChanges() + " change(s) since it opened.")
                        .orElse(null));
    }

    private void server(ServerSnapshot s, List<Observation> out) {
        Map<String, String> about = Map.of("database", s.database());
        String link = externalUrl + "/";
        String subject = "database " + s.database();
        s.connectionUse()
                .ifPresent(use -> add(out, rules.settings(AlertRule.SERVER_CONNECTIONS, Optional.empty()), about, use, subject,
                        link,
                        s.totalSessions() + " sessions of max_connections "
                                + (s.maxConnections().isPresent() ? s.maxConnections().getAsInt() : "?")
                                + s.saturation().map(r -> "; saturated: " + r).orElse("")));
        if (!s.available()) {
            return;
        }
        double idle = s.oldestIdleInTransaction().map(d -> d.toMillis() / 1000.0).orElse(0.0);
        add(out, rules.settings(AlertRule.IDLE_IN_TRANSACTION, Optional.empty()), about, idle, subject, link, null);
    }

    private void check(CheckDefinition d, CheckResult r, List<Observation> out) {
        RuleSettings settings = rules.settings(AlertRule.CONSISTENCY_CHECK, Optional.of(d.workload()));
        if (!settings.enabled()) {
            return;
        }
        Map<String, String> about = new LinkedHashMap<>();
        about.put("check", d.name());
        about.put("workload", d.workload());
        String verb = switch (r.checkStatus()) {
            case PASS -> "passed";
            case FAIL -> "failed";
            case ERROR -> "ended in an error";
            case TIMEOUT -> "timed out";
        };
        String counts = r.violations() != null ? ", " + r.violations() + " violation(s), " + r.allowedViolations() + " allowed"
                : "";
        String state = "the latest run " + verb + (r.checkStatus().failing() ? counts : "");
        String stateLong = "the latest run " + verb + counts + (r.message() != null ? ": " + r.message() : "") + "; " + r.mode()
                + ", " + r.scope();
        String heading = "Check " + d.name()
                + (d.description() == null || d.description().isBlank() ? "" : " (" + d.description() + ")");
        double value = r.checkStatus().failing() ? 1 : 0;
        boolean breached = settings.rule().breaches(value, settings.threshold());
        emit(out, settings, about, value, breached, externalUrl + "/checks#" + d.name(),
                settings.severity().orElse(d.severity()),
                AlertText.condition(settings.rule(), "check " + d.name(), heading, breached, state, stateLong,
                        settings.keepFiringFor()));
    }

    // --- read replicas ---------------------------------------------------------------------------------------------

    /**
     * replica-lag: one observation per replica whose lag in seconds is known (PostgreSQL replay lag, MariaDB
     * Seconds_Behind_Master), with the workload's threshold. A replica that does not answer has no lag to compare and is
     * alerted on by unhealthy-pools, as its pool's database is down.
     */
    private void replicas(List<ReplicaInput> replicas, List<Observation> out) {
        for (ReplicaInput r : replicas) {
            if (r.lag().isEmpty() || r.lag().get().seconds().isEmpty()
                    || r.lag().get().state() == ReplicaLag.State.NOT_A_REPLICA) {
                continue;
            }
            ReplicaLag lag = r.lag().get();
            Map<String, String> about = new LinkedHashMap<>();
            about.put("pool", r.pool());
            about.put("workload", r.workload());
            about.put("role", PoolRole.REPLICA.label());
            about.put("database", r.database());
            String detail = "Replica " + r.database() + ": " + lag.state().label()
                    + lag.bytes().map(b -> ", " + b + " bytes of WAL received but not replayed").orElse("") + ".";
            add(out, rules.settings(AlertRule.REPLICA_LAG, Optional.of(r.workload())), about, lag.seconds().get(),
                    "replica " + r.pool(),
                    externalUrl + "/pools/" + r.pool(), detail);
        }
    }

    /**
     * How much a cumulative count rose over {@code window}: {@code value} is added to {@code history} (time, count pairs),
     * pairs older than the window dropped but the last of them, and the rise since the oldest kept counted (never below 0).
     */
    private static long increase(Deque<long[]> history, Instant now, long value, Duration window) {
        history.addLast(new long[] { now.toEpochMilli(), value });
        while (history.size() > 1 && history.peekFirst()[0] < now.minus(window).toEpochMilli()) {
            history.removeFirst();
        }
        return Math.max(0, value - history.peekFirst()[1]);
    }

    private void add(List<Observation> out, RuleSettings settings, Map<String, String> about, double value, String subject,
            String link,
            String detail) {
        add(out, settings, about, value, subject, link, detail, Severity.WARNING);
    }

    /** Adds one observation of a rule that measures a quantity; {@code severity} applies when the rule's settings name none. */
    private void add(List<Observation> out, RuleSettings settings, Map<String, String> about, double value, String subject,
            String link,
            String detail, Severity severity) {
        if (!settings.enabled()) {
            return;
        }
        AlertRule rule = settings.rule();
        Severity chosen = settings.severity().orElse(severity);
        boolean breached = rule.breaches(value, settings.threshold());
        emit(out, settings, about, value, breached, link, chosen,
                AlertText.measured(rule, subject, value, breached, settings.threshold(),
                        AlertText.policy(rule, chosen, settings.threshold()), settings.forDuration(), settings.keepFiringFor(),
                        detail));
    }

    /**
     * error-rate: one alert per pool, at the rule's severity above its threshold and critical above DB_ERROR_RATE_CRITICAL
     * (the seed guide sets both to 5%, so by default every breach is critical). The state machine keeps the alert's
     * highest severity until it resolves, and its identity does not include severity: a rise is the same alert.
     */
    private void errorRate(List<Observation> out, RuleSettings settings, Map<String, String> about, double value,
            String subject, String link) {
        if (!settings.enabled()) {
            return;
        }
        AlertRule rule = settings.rule();
        Severity base = settings.severity().orElse(Severity.WARNING);
        double critical = rules.errorRateCritical();
        boolean criticalAtOnce = rules.errorRateCriticalAtOnce(settings);
        String policy = criticalAtOnce ? AlertText.policy(rule, Severity.CRITICAL, settings.threshold())
                : AlertText.policy(rule, base, settings.threshold()) + ", "
                        + AlertText.policy(rule, Severity.CRITICAL, critical);
        Severity severity = criticalAtOnce || rule.breaches(value, critical) ? Severity.CRITICAL : base;
        boolean breached = rule.breaches(value, settings.threshold());
        emit(out, settings, about, value, breached, link, severity,
                AlertText.measured(rule, subject, value, breached, settings.threshold(), policy,
                        settings.forDuration(), settings.keepFiringFor(), null));
    }

    /** unhealthy-pools: 1 while the pool's database does not answer its validation. */
    private void unhealthy(List<Observation> out, RuleSettings settings, Map<String, String> about, PoolHealth.PoolState h,
            String subject, String link, Severity severity) {
        // A primary on a read-only server answers: primary-read-only says what is wrong with it.
        boolean down = h.state() == PoolHealth.State.DOWN && !h.primaryReadOnly();
        condition(out, settings, about, down, subject, link, severity,
                new Wording("its database does not answer",
                        "its database does not answer the pool's validation (" + h.detail() + ")",
                        "its database answers", "its database answers the pool's validation",
                        "its database answers again", "its database answers the pool's validation again"));
    }

    /** primary-read-only: 1 while a pool that writes finds its server refusing writes. */
    private void primaryReadOnly(List<Observation> out, RuleSettings settings, Map<String, String> about,
            PoolHealth.PoolState h, String subject, String link) {
        condition(out, settings, about, h.primaryReadOnly(), subject, link, Severity.CRITICAL,
                new Wording("its server refuses writes",
                        "its server refuses writes, so every write on the pool fails (" + h.detail() + ")",
                        "its server takes writes", "its server takes writes",
                        "its server takes writes again", "its server takes writes again"));
    }

    /**
     * How a rule that says whether something holds words each state, short (the summary) and long (the description).
     *
     * @param holds while it holds
     * @param clearShort while it does not hold and the alert fires all the same (a threshold of 0)
     * @param againShort once it no longer holds
     */
    private record Wording(String holds, String holdsLong, String clearShort, String clearLong, String againShort,
            String againLong) {
    }

    /** A rule whose value is 1 while {@code holds}, else 0, worded by what holds; severity as configured, else this. */
    private void condition(List<Observation> out, RuleSettings settings, Map<String, String> about, boolean holds,
            String subject, String link, Severity severity, Wording w) {
        if (!settings.enabled()) {
            return;
        }
        double value = holds ? 1 : 0;
        boolean breached = settings.rule().breaches(value, settings.threshold());
        String state;
        String stateLong;
        if (holds) {
            state = w.holds();
            stateLong = w.holdsLong();
        } else if (breached) {
            String threshold = AlertRuleSet.format(settings.threshold());
            state = w.clearShort() + " (threshold " + threshold + ")";
            stateLong = w.clearLong() + "; the alert fires all the same, as the threshold is " + threshold;
        } else {
            state = w.againShort();
            stateLong = w.againLong();
        }
        emit(out, settings, about, value, breached, link, settings.severity().orElse(severity),
                AlertText.condition(settings.rule(), subject, AlertText.capitalise(subject), breached, state, stateLong,
                        settings.keepFiringFor()));
    }

    private void emit(List<Observation> out, RuleSettings settings, Map<String, String> about, double value, boolean breached,
            String link,
            Severity severity, AlertText.Words words) {
        AlertRule rule = settings.rule();
        SortedMap<String, String> labels = new TreeMap<>(about);
        labels.put("alertname", rule.label());
        labels.put("severity", severity.label());
        labels.put("instance", rule.scope().shared() ? clusterInstance.orElse(instance) : instance);
        Map<String, String> active = new LinkedHashMap<>();
        active.put("summary", words.summary());
        active.put("description", words.description());
        active.put("dashboard", link);
        Map<String, String> resolved = new LinkedHashMap<>();
        resolved.put("summary", words.resolvedSummary());
        resolved.put("description", words.resolvedDescription());
        resolved.put("dashboard", link);
        out.add(new Observation(rule, labels, active, resolved, value, settings.threshold(), breached, settings.forDuration(),
                settings.keepFiringFor()));
    }

    /** A value as people read it: 93.0%, 2.35s, 7. */
    static String format(AlertRule rule, double v) {
        return AlertText.format(rule, v);
    }
}
