package io.poolwatch.alerting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import io.poolwatch.checks.CheckDefinition;
import io.poolwatch.checks.CheckResult;
import io.poolwatch.config.Severity;
import io.poolwatch.health.PoolHealth;
import io.poolwatch.sampling.PoolSnapshot;
import io.poolwatch.sampling.ReplicaLag;
import io.poolwatch.sampling.ServerSnapshot;

/**
 * Turns what poolwatch has measured (pool snapshots, pool health, the servers' session views, the checks' latest
 * results) into one observation per rule and pool, database or check. Reads only snapshots and results; never a
 * database.
 */
final class AlertEvaluator {

    /** The window slow-queries counts over. */
    static final Duration SLOW_WINDOW = Duration.ofMinutes(1);

    /** What the evaluator reads, gathered by the caller. */
    record Inputs(Instant now, List<PoolInput> pools, List<ServerSnapshot> servers, List<CheckInput> checks, List<ReplicaInput> replicas) {

        Inputs(Instant now, List<PoolInput> pools, List<ServerSnapshot> servers, List<CheckInput> checks) {
            this(now, pools, servers, checks, List.of());
        }
    }

    /** One read replica's pool: the workload it serves, its database and its latest replay lag. */
    record ReplicaInput(String pool, String workload, String database, Optional<ReplicaLag> lag) {
    }

    /** One pool: its latest snapshot, health and cumulative slow statements. */
    record PoolInput(String pool, String workload, String role, boolean critical, Optional<PoolSnapshot> snapshot,
            Optional<PoolHealth.PoolState> health, long slowStatements) {
    }

    /** One check: its definition and latest result. */
    record CheckInput(CheckDefinition definition, Optional<CheckResult> latest) {
    }

    private final AlertRules rules;
    private final String instance;
    private final java.util.Optional<String> clusterInstance;
    private final String externalUrl;
    private final Map<String, Deque<long[]>> slowHistory = new HashMap<>();

    /**
     * @param clusterInstance the instance label of alerts about databases, replicas and checks when replicas coordinate
     *        (the same in every replica); empty to label every alert with {@code instance}
     */
    AlertEvaluator(AlertRules rules, String instance, java.util.Optional<String> clusterInstance, String externalUrl) {
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
        return out;
    }

    private void pool(Instant now, PoolInput p, List<Observation> out) {
        Optional<String> workload = Optional.of(p.workload());
        Map<String, String> about = new LinkedHashMap<>();
        about.put("pool", p.pool());
        about.put("workload", p.workload());
        about.put("role", p.role());
        String link = externalUrl + "/pools/" + p.pool();
        String subject = "pool " + p.pool();
        if (p.snapshot().isPresent()) {
            PoolSnapshot s = p.snapshot().get();
            add(out, rules.settings(AlertRule.POOL_UTILIZATION, workload), about, s.utilization(), subject, link, null);
            RuleSettings errorRate = rules.settings(AlertRule.ERROR_RATE, workload);
            add(out, errorRate, about, s.errorRate(), subject, link, null);
            // The seed's DB_ERROR_RATE_CRITICAL: a second, critical alert of the same rule above its own threshold.
            add(out, new RuleSettings(AlertRule.ERROR_RATE, errorRate.enabled(), rules.errorRateCritical(), errorRate.forDuration(),
                    errorRate.keepFiringFor(), Optional.of(Severity.CRITICAL), "DB_ERROR_RATE_CRITICAL or poolwatch.monitoring.error-rate-critical"),
                    about, s.errorRate(), subject, link, null);
            add(out, rules.settings(AlertRule.CHECKOUT_TIME, workload), about, s.checkout().p95() / 1000.0, subject, link, null);
            add(out, rules.settings(AlertRule.LEAKED_CONNECTIONS, workload), about, s.currentLeaks(), subject, link, null);
        }
        p.health().ifPresent(h -> add(out, rules.settings(AlertRule.UNHEALTHY_POOLS, workload), about,
                h.state() == PoolHealth.State.DOWN ? 1 : 0, subject, link, h.state() == PoolHealth.State.DOWN ? h.detail() : null,
                p.critical() ? Severity.CRITICAL : Severity.WARNING));
        Deque<long[]> history = slowHistory.computeIfAbsent(p.pool(), k -> new ArrayDeque<>());
        history.addLast(new long[] { now.toEpochMilli(), p.slowStatements() });
        while (history.size() > 1 && history.peekFirst()[0] < now.minus(SLOW_WINDOW).toEpochMilli()) {
            history.removeFirst();
        }
        long slow = Math.max(0, p.slowStatements() - history.peekFirst()[1]);
        add(out, rules.settings(AlertRule.SLOW_QUERIES, workload), about, slow, subject, link, null);
    }

    private void server(ServerSnapshot s, List<Observation> out) {
        Map<String, String> about = Map.of("database", s.database());
        String link = externalUrl + "/";
        String subject = "database " + s.database();
        s.connectionUse().ifPresent(use -> add(out, rules.settings(AlertRule.SERVER_CONNECTIONS, Optional.empty()), about, use, subject, link,
                s.totalSessions() + " sessions of max_connections " + (s.maxConnections().isPresent() ? s.maxConnections().getAsInt() : "?")
                        + s.saturation().map(r -> "; saturated: " + r).orElse("")));
        if (!s.available()) {
            return;
        }
        double idle = s.oldestIdleInTransaction().map(d -> d.toMillis() / 1000.0).orElse(0.0);
        add(out, rules.settings(AlertRule.IDLE_IN_TRANSACTION, Optional.empty()), about, idle, subject, link, null);
    }

    private void check(CheckDefinition d, CheckResult r, List<Observation> out) {
        RuleSettings settings = rules.settings(AlertRule.CONSISTENCY_CHECK, Optional.of(d.workload()));
        Map<String, String> about = new LinkedHashMap<>();
        about.put("check", d.name());
        about.put("workload", d.workload());
        String detail = "check " + d.name() + " (" + d.description() + "): " + r.status()
                + (r.violations() != null ? ", " + r.violations() + " violation(s), " + r.allowedViolations() + " allowed" : "")
                + (r.message() != null ? ": " + r.message() : "") + "; " + r.mode() + ", " + r.scope();
        add(out, settings, about, r.checkStatus().failing() ? 1 : 0, "check " + d.name(), externalUrl + "/checks#" + d.name(),
                r.checkStatus().failing() ? detail : null, d.severity());
    }

    // --- read replicas ---------------------------------------------------------------------------------------------

    /**
     * replica-lag: one observation per replica whose lag in seconds is known (PostgreSQL replay lag, MariaDB
     * Seconds_Behind_Master), with the workload's threshold. A replica that does not answer has no lag to compare and is
     * alerted on by unhealthy-pools, as its pool's database is down.
     */
    private void replicas(List<ReplicaInput> replicas, List<Observation> out) {
        for (ReplicaInput r : replicas) {
            if (r.lag().isEmpty() || r.lag().get().seconds().isEmpty() || r.lag().get().state() == ReplicaLag.State.NOT_A_REPLICA) {
                continue;
            }
            ReplicaLag lag = r.lag().get();
            Map<String, String> about = new LinkedHashMap<>();
            about.put("pool", r.pool());
            about.put("workload", r.workload());
            about.put("role", "replica");
            about.put("database", r.database());
            String detail = "Replica " + r.database() + ": " + lag.state().label()
                    + lag.bytes().map(b -> ", " + b + " bytes of WAL received but not replayed").orElse("") + ".";
            add(out, rules.settings(AlertRule.REPLICA_LAG, Optional.of(r.workload())), about, lag.seconds().get(), "replica " + r.pool(),
                    externalUrl + "/pools/" + r.pool(), detail);
        }
    }

    private void add(List<Observation> out, RuleSettings settings, Map<String, String> about, double value, String subject, String link,
            String detail) {
        add(out, settings, about, value, subject, link, detail, Severity.WARNING);
    }

    /** Adds one observation; {@code severity} applies when the rule's settings name none. */
    private void add(List<Observation> out, RuleSettings settings, Map<String, String> about, double value, String subject, String link,
            String detail, Severity severity) {
        if (!settings.enabled()) {
            return;
        }
        AlertRule rule = settings.rule();
        SortedMap<String, String> labels = new TreeMap<>(about);
        labels.put("alertname", rule.label());
        labels.put("severity", settings.severity().orElse(severity).label());
        labels.put("instance", rule.scope() == AlertRule.Scope.POOL ? instance : clusterInstance.orElse(instance));
        boolean breached = rule.breaches(value, settings.threshold());
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", rule.label() + " on " + subject + ": " + format(rule, value) + " " + rule.operator() + " "
                + format(rule, settings.threshold()));
        annotations.put("description", capitalise(rule.measures()) + " of " + subject + " is " + format(rule, value) + "; the threshold is "
                + rule.operator() + " " + format(rule, settings.threshold()) + (settings.forDuration().isZero() ? ""
                        : " for " + io.poolwatch.config.Durations.format(settings.forDuration()))
                + "." + (detail != null ? " " + detail : ""));
        annotations.put("dashboard", link);
        out.add(new Observation(rule, labels, annotations, value, settings.threshold(), breached, settings.forDuration(), settings.keepFiringFor()));
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A value as people read it: 93%, 2.35s, 7. */
    static String format(AlertRule rule, double v) {
        return switch (rule.unit()) {
            case "ratio" -> String.format(Locale.ROOT, "%.1f%%", v * 100);
            case "seconds" -> String.format(Locale.ROOT, "%.2fs", v);
            default -> AlertRules.format(v);
        };
    }
}
