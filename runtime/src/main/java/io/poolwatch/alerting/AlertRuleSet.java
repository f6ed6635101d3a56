package io.poolwatch.alerting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.poolwatch.config.Converters;
import io.poolwatch.config.Durations;
import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.MonitoringSettings;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.PoolwatchConfig.RuleConfig;
import io.poolwatch.config.Severity;

/**
 * The rules' settings in effect: for each value the first layer that has it wins: the workload's
 * {@code poolwatch.pools."<name>".alerts."<rule>".*}, then {@code poolwatch.alerting.rules."<rule>".*}, then the seed
 * variables (DB_CONNECTION_LEAK_THRESHOLD for leaked-connections), then the built-in default. Every problem is
 * collected and reported at once.
 */
public final class AlertRuleSet {

    /** Built-in time a firing alert keeps firing after its condition clears. */
    static final Duration DEFAULT_KEEP_FIRING = Duration.ofSeconds(30);
    static final Duration MAX_DURATION = Duration.ofDays(7);

    private final Map<AlertRule, RuleSettings> global;
    private final Map<String, Map<AlertRule, RuleSettings>> perWorkload;
    private final Map<String, Map<AlertRule, RuleSettings>> perApplication;
    private final Map<String, Map<AlertRule, RuleSettings>> perPgBouncer;
    private final double errorRateCritical;

    private AlertRuleSet(Map<AlertRule, RuleSettings> global, Map<String, Map<AlertRule, RuleSettings>> perWorkload,
            Map<String, Map<AlertRule, RuleSettings>> perApplication, Map<String, Map<AlertRule, RuleSettings>> perPgBouncer,
            double errorRateCritical) {
        this.global = global;
        this.perWorkload = perWorkload;
        this.perApplication = perApplication;
        this.perPgBouncer = perPgBouncer;
        this.errorRateCritical = errorRateCritical;
    }

    /** {@link #parse(Map, Map, Map, Map, MonitoringSettings)} with no application or PgBouncer of its own. */
    public static AlertRuleSet parse(Map<String, RuleConfig> rules, Map<String, Map<String, RuleConfig>> workloads,
            MonitoringSettings monitoring) {
        return parse(rules, workloads, Map.of(), Map.of(), monitoring);
    }

    /**
     * Validates the rule settings.
     *
     * @param rules {@code poolwatch.alerting.rules}
     * @param workloads each enabled workload's {@code alerts} map
     * @param applications each observed application's {@code alerts} map ({@code poolwatch.applications."<name>".alerts})
     * @param pgbouncers each PgBouncer's {@code alerts} map ({@code poolwatch.pgbouncer."<name>".alerts})
     * @param monitoring the seed-backed monitoring settings (leak threshold, error-rate critical)
     */
    public static AlertRuleSet parse(Map<String, RuleConfig> rules, Map<String, Map<String, RuleConfig>> workloads,
            Map<String, Map<String, RuleConfig>> applications, Map<String, Map<String, RuleConfig>> pgbouncers,
            MonitoringSettings monitoring) {
        List<String> problems = new ArrayList<>();
        for (String name : rules.keySet()) {
            if (AlertRule.of(name).isEmpty()) {
                problems.add("poolwatch.alerting.rules.\"" + name + "\": no such rule; accepted: " + AlertRule.ACCEPTED);
            }
        }
        Map<AlertRule, RuleSettings> global = new EnumMap<>(AlertRule.class);
        for (AlertRule rule : AlertRule.values()) {
            RuleSettings base = builtIn(rule, monitoring);
            global.put(rule,
                    layer(base, rules.get(rule.label()), "poolwatch.alerting.rules.\"" + rule.label() + "\".", problems));
        }
        Map<String, Map<AlertRule, RuleSettings>> perWorkload = new LinkedHashMap<>();
        workloads.forEach((workload, overrides) -> {
            Map<AlertRule, RuleSettings> settings = new EnumMap<>(AlertRule.class);
            for (String name : overrides.keySet()) {
                if (AlertRule.of(name).isEmpty()) {
                    problems.add("poolwatch.pools.\"" + workload + "\".alerts.\"" + name + "\": no such rule; accepted: "
                            + AlertRule.ACCEPTED);
                }
            }
            for (AlertRule rule : AlertRule.values()) {
                RuleConfig c = overrides.get(rule.label());
                if (c != null) {
                    if (rule.scope() == AlertRule.Scope.DATABASE) {
                        problems.add("poolwatch.pools.\"" + workload + "\".alerts.\"" + rule.label() + "\": " + rule.label()
                                + " is about a database server, which several workloads may share; set it under poolwatch.alerting.rules");
                        continue;
                    }
                    if (rule.scope() == AlertRule.Scope.APPLICATION || rule.scope() == AlertRule.Scope.PGBOUNCER) {
                        problems.add("poolwatch.pools.\"" + workload + "\".alerts.\"" + rule.label() + "\": " + rule.label()
                                + " is about "
                                + (rule.scope() == AlertRule.Scope.APPLICATION
                                        ? "an application poolwatch observes; set it under poolwatch.applications.\"<name>\".alerts"
                                        : "a PgBouncer; set it under poolwatch.pgbouncer.\"<name>\".alerts")
                                + " or poolwatch.alerting.rules");
                        continue;
                    }
                    settings.put(rule,
                            layer(global.get(rule), c, "poolwatch.pools.\"" + workload + "\".alerts.\"" + rule.label() + "\".",
                                    problems));
                }
            }
            perWorkload.put(workload, settings);
        });
        Map<String, Map<AlertRule, RuleSettings>> perApplication = observed("poolwatch.applications",
                AlertRule.Scope.APPLICATION, applications,
                global, problems);
        Map<String, Map<AlertRule, RuleSettings>> perPgBouncer = observed("poolwatch.pgbouncer", AlertRule.Scope.PGBOUNCER,
                pgbouncers, global,
                problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new AlertRuleSet(global, perWorkload, perApplication, perPgBouncer, monitoring.errorRateCritical());
    }

    /** The overrides of one kind of observed thing, each allowed only for the rules of {@code scope}. */
    private static Map<String, Map<AlertRule, RuleSettings>> observed(String root, AlertRule.Scope scope,
            Map<String, Map<String, RuleConfig>> subjects, Map<AlertRule, RuleSettings> global, List<String> problems) {
        String accepted = Arrays.stream(AlertRule.values()).filter(r -> r.scope() == scope).map(AlertRule::label)
                .collect(Collectors.joining(", "));
        Map<String, Map<AlertRule, RuleSettings>> out = new LinkedHashMap<>();
        subjects.forEach((name, overrides) -> {
            Map<AlertRule, RuleSettings> settings = new EnumMap<>(AlertRule.class);
            overrides.forEach((ruleName, c) -> {
                String prefix = root + ".\"" + name + "\".alerts.\"" + ruleName + "\"";
                Optional<AlertRule> rule = AlertRule.of(ruleName).filter(r -> r.scope() == scope);
                if (rule.isEmpty()) {
                    problems.add(
                            prefix + ": " + (AlertRule.of(ruleName).isPresent() ? "not a rule of this kind" : "no such rule")
                                    + "; accepted: " + accepted);
                    return;
                }
                settings.put(rule.get(), layer(global.get(rule.get()), c, prefix + ".", problems));
            });
            out.put(name, settings);
        });
        return out;
    }

    /**
     * The problems of the alerting keys besides the rules and receivers: group-by, the evaluation interval (only when
     * set: the sampling interval it defaults to is checked with the sampling keys), rules under poolwatch.defaults.
     */
    public static List<String> settingsProblems(PoolwatchConfig config) {
        List<String> problems = new ArrayList<>();
        if (!config.defaults().alerts().isEmpty()) {
            problems.add(
                    "poolwatch.defaults.alerts: rules for every workload are set under poolwatch.alerting.rules.\"<rule>\"");
        }
        List<String> groupBy = config.alerting().groupBy();
        for (String label : groupBy) {
            if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                problems.add("poolwatch.alerting.group-by=" + String.join(",", groupBy) + ": '" + label
                        + "' is not a label name; accepted: labels such as alertname, workload, pool, severity");
            }
        }
        config.alerting().evaluationInterval().filter(Duration::isZero)
                .ifPresent(d -> problems.add("poolwatch.alerting.evaluation-interval=0s: accepted: above 0s"));
        return problems;
    }

    private static RuleSettings builtIn(AlertRule rule, MonitoringSettings monitoring) {
        double threshold = rule.defaultThreshold();
        String source = "built-in";
        if (rule == AlertRule.LEAKED_CONNECTIONS) {
            threshold = monitoring.leakThreshold();
            source = "DB_CONNECTION_LEAK_THRESHOLD or built-in";
        }
        return new RuleSettings(rule, true, threshold, rule.defaultFor(),
                rule == AlertRule.CONSISTENCY_CHECK ? Duration.ZERO : DEFAULT_KEEP_FIRING,
                rule.defaultSeverity(), source);
    }

    /** {@code base} with the values {@code c} sets; problems named with {@code prefix}. */
    private static RuleSettings layer(RuleSettings base, RuleConfig c, String prefix, List<String> problems) {
        if (c == null) {
            return base;
        }
        boolean enabled = base.enabled();
        double threshold = base.threshold();
        Duration forDuration = base.forDuration();
        Duration keep = base.keepFiringFor();
        Optional<Severity> severity = base.severity();
        String source = base.source();
        try {
            if (c.enabled().isPresent()) {
                enabled = Converters.parseBoolean(c.enabled().get());
            }
        } catch (IllegalArgumentException e) {
            problems.add(prefix + "enabled: " + e.getMessage());
        }
        if (c.threshold().isPresent()) {
            String v = c.threshold().get().trim();
            try {
                threshold = Double.parseDouble(v);
                if (!Double.isFinite(threshold) || threshold < 0) {
                    throw new NumberFormatException();
                }
                if (base.rule().unit().equals("ratio") && threshold > 1) {
                    problems.add(
                            prefix + "threshold=" + v + ": " + base.rule().label() + " compares a ratio; accepted: 0 to 1");
                }
                source = prefix + "threshold";
            } catch (NumberFormatException e) {
                problems.add(
                        prefix + "threshold=" + v + ": not a number of 0 or more; accepted: a number in " + base.rule().unit()
                                + ", such as " + format(base.rule().defaultThreshold()));
            }
        }
        forDuration = duration(prefix + "for", c.forDuration(), forDuration, problems);
        keep = duration(prefix + "keep-firing-for", c.keepFiringFor(), keep, problems);
        if (c.severity().isPresent()) {
            try {
                severity = Optional.of(Severity.parse(c.severity().get()));
            } catch (IllegalArgumentException e) {
                problems.add(prefix + "severity: " + e.getMessage());
            }
        }
        return new RuleSettings(base.rule(), enabled, threshold, forDuration, keep, severity, source);
    }

    private static Duration duration(String key, Optional<String> value, Duration fallback, List<String> problems) {
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            Duration d = Durations.parse(value.get());
            if (d.compareTo(MAX_DURATION) > 0) {
                problems.add(key + "=" + value.get() + ": accepted: at most " + Durations.format(MAX_DURATION));
                return fallback;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage());
            return fallback;
        }
    }

    static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The settings in effect for a rule, for {@code workload} when it has its own (empty workload: global). */
    public RuleSettings settings(AlertRule rule, Optional<String> workload) {
        return workload.map(perWorkload::get).map(m -> m.get(rule)).orElse(global.get(rule));
    }

    /**
     * The settings in effect for a rule about an observed application or PgBouncer: its own overrides
     * ({@code poolwatch.applications."<name>".alerts}, {@code poolwatch.pgbouncer."<name>".alerts}), else the global ones.
     */
    public RuleSettings observedSettings(AlertRule rule, String subject) {
        Map<String, Map<AlertRule, RuleSettings>> own = switch (rule.scope()) {
            case APPLICATION -> perApplication;
            case PGBOUNCER -> perPgBouncer;
            default -> Map.of();
        };
        return Optional.ofNullable(own.get(subject)).map(m -> m.get(rule)).orElse(global.get(rule));
    }

    /** The observed applications' and PgBouncers' own settings, by {@code application:<name>} and {@code pgbouncer:<name>}. */
    public Map<String, List<RuleSettings>> perObserved() {
        Map<String, List<RuleSettings>> out = new LinkedHashMap<>();
        perApplication.forEach((n, m) -> {
            if (!m.isEmpty()) {
                out.put("application:" + n, List.copyOf(m.values()));
            }
        });
        perPgBouncer.forEach((n, m) -> {
            if (!m.isEmpty()) {
                out.put("pgbouncer:" + n, List.copyOf(m.values()));
            }
        });
        return out;
    }

    /** The global settings of every rule. */
    public List<RuleSettings> global() {
        return List.copyOf(global.values());
    }

    /** The workloads' own settings, by workload. */
    public Map<String, List<RuleSettings>> perWorkload() {
        Map<String, List<RuleSettings>> out = new LinkedHashMap<>();
        perWorkload.forEach((w, m) -> {
            if (!m.isEmpty()) {
                out.put(w, List.copyOf(m.values()));
            }
        });
        return out;
    }

    /** The error rate above which the error-rate rule's alert is critical (DB_ERROR_RATE_CRITICAL). */
    public double errorRateCritical() {
        return errorRateCritical;
    }

    /**
     * Whether error-rate's alert is critical from its first breach: its severity is set to critical, or
     * DB_ERROR_RATE_CRITICAL is not above its threshold (the seed guide sets both to 5%, so by default it is).
     */
    boolean errorRateCriticalAtOnce(RuleSettings errorRate) {
        return errorRate.severity().orElse(Severity.WARNING) == Severity.CRITICAL || errorRateCritical <= errorRate.threshold();
    }

    /**
     * The severity of a rule's alerts in words, for the rules page and {@code /api/v1/alerts/rules}: the label, or how it
     * is chosen where it depends (error-rate, unhealthy-pools, consistency-check).
     */
    public String severityInWords(RuleSettings settings) {
        AlertRule rule = settings.rule();
        if (rule == AlertRule.ERROR_RATE) {
            String critical = AlertText.format(rule, errorRateCritical);
            return errorRateCriticalAtOnce(settings)
                    ? "critical (DB_ERROR_RATE_CRITICAL, " + critical + ", is not above the threshold)"
                    : settings.severity().orElse(Severity.WARNING).label() + ", rising to critical above " + critical
                            + " (DB_ERROR_RATE_CRITICAL)";
        }
        return settings.severity().map(Severity::label)
                .orElse(rule == AlertRule.CONSISTENCY_CHECK ? "the check's" : "critical for critical workloads, else warning");
    }
}
