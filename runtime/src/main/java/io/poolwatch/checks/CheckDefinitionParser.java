package io.poolwatch.checks;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.poolwatch.config.Converters;
import io.poolwatch.config.Durations;
import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.Severity;
import io.poolwatch.engine.DatabaseKind;

/**
 * Validates the checks of {@code poolwatch.consistency.checks."<name>".*}. Every problem of every check is collected
 * and reported at once, each naming its key, its value and what is accepted; no check is scheduled when there is one.
 */
public final class CheckDefinitionParser {

    static final String PREFIX = "poolwatch.consistency.checks.";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    static final String DEFAULT_WORKLOAD = "analytics";
    static final String DEFAULT_SCHEDULE = "5m";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration MAX_TIMEOUT = Duration.ofHours(6);
    static final long DEFAULT_CHUNK_SIZE = 100_000;
    static final double DEFAULT_SAMPLE_PERCENT = 1;
    static final int DEFAULT_SAMPLE_ROWS = 5;
    static final int MAX_SAMPLE_ROWS = 100;

    /** Keys every check takes, whatever its kind. */
    static final Set<String> COMMON = Set.of("kind", "enabled", "workload", "schedule", "timeout", "severity",
            "allowed-violations",
            "mode", "chunk-size", "sample-percent", "sample-rows", "mask-columns", "description");

    private static final List<String> ENTRY_KEYS = List.of("amount-column", "direction-column", "debit-value", "credit-value");

    /** The keys each kind takes besides the common ones. */
    static final Map<CheckKind, List<String>> KIND_KEYS = Map.of(
            CheckKind.ORPHANS, List.of("table", "column", "key-column", "parent-table", "parent-column"),
            CheckKind.LEDGER_BALANCE, concat(List.of("table", "group-column", "period"), ENTRY_KEYS),
            CheckKind.ACCOUNT_BALANCE,
            concat(List.of("table", "key-column", "balance-column", "entries-table", "account-column", "balance-sign"),
                    ENTRY_KEYS),
            CheckKind.RANGE, List.of("table", "column", "key-column", "min", "max", "filter-column", "filter-values"),
            CheckKind.DUPLICATES, List.of("table", "key-columns", "key-column"),
            CheckKind.NOT_VALID_CONSTRAINTS, List.of("schema"),
            CheckKind.SQL, List.of("sql", "sample-sql"));

    private CheckDefinitionParser() {
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    /** The checks in configuration, raw, and where they came from. */
    public record Source(String origin, Map<String, Map<String, String>> checks) {
    }

    /**
     * Validates the checks.
     *
     * @param sources the configured checks, and the demo's when they apply; a configured check replaces a demo one of the same
     *        name
     * @param workloads the engine of each enabled workload's database
     * @throws InvalidConfigurationException listing every problem
     */
    public static List<CheckDefinition> parse(List<Source> sources, Map<String, DatabaseKind> workloads) {
        Map<String, Map.Entry<String, Map<String, String>>> byName = new LinkedHashMap<>();
        for (Source source : sources) {
            source.checks().forEach((name, keys) -> byName.put(name, Map.entry(source.origin(), keys)));
        }
        List<String> problems = new ArrayList<>();
        List<CheckDefinition> checks = new ArrayList<>();
        for (var e : byName.entrySet()) {
            new Parser(e.getKey(), e.getValue().getKey(), e.getValue().getValue(), workloads, problems).parse()
                    .ifPresent(checks::add);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return List.copyOf(checks);
    }

    /** The problems of {@code poolwatch.consistency.*} besides the checks themselves. */
    public static List<String> settingsProblems(PoolwatchConfig.ConsistencyConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.maxConcurrent() < 1 || config.maxConcurrent() > 64) {
            problems.add("poolwatch.consistency.max-concurrent=" + config.maxConcurrent() + ": accepted: 1 to 64");
        }
        if (config.historySize() < 1 || config.historySize() > 10_000) {
            problems.add("poolwatch.consistency.history-size=" + config.historySize() + ": accepted: 1 to 10000");
        }
        return problems;
    }

    /**
     * The checks to validate: the provided ones (the demo's) when {@code poolwatch.consistency.demo-checks} says so (built-in:
     * on the embedded demo database), then the configured ones, which replace a provided one of the same name.
     */
    public static List<Source> sources(PoolwatchConfig.ConsistencyConfig config, boolean embedded,
            Iterable<? extends ProvidedChecks> provided, Map<String, DatabaseKind> workloads) {
        List<Source> sources = new ArrayList<>();
        if (config.demoChecks().orElse(embedded) && !workloads.isEmpty()) {
            for (ProvidedChecks p : provided) {
                sources.add(new Source(p.origin(), p.definitions(workloads)));
            }
        }
        sources.add(new Source("configuration", config.checks()));
        return sources;
    }

    /** A percent as written in SQL and messages: 1, 0.5, 12.25. */
    static String formatPercent(double percent) {
        return BigDecimal.valueOf(percent).stripTrailingZeros().toPlainString();
    }

    /** Parses one check, adding its problems to the shared list. */
    private static final class Parser {
        private final String name;
        private final String origin;
        private final Map<String, String> raw;
        private final Map<String, DatabaseKind> workloads;
        private final List<String> problems;
        private final int problemsBefore;

        Parser(String name, String origin, Map<String, String> raw, Map<String, DatabaseKind> workloads,
                List<String> problems) {
            this.name = name;
            this.origin = origin;
            // Keys are read case-insensitively, as environment variables arrive upper-cased.
            this.raw = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            this.raw.putAll(raw);
            this.workloads = workloads;
            this.problems = problems;
            this.problemsBefore = problems.size();
        }

        private String key(String k) {
            return PREFIX + "\"" + name + "\"." + k;
        }

        private void problem(String k, String message) {
            problems.add(key(k) + (raw.containsKey(k) ? "=" + raw.get(k) : "") + ": " + message);
        }

        private Optional<String> text(String k) {
            String v = raw.get(k);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        private <T> Optional<T> value(String k, Function<String, T> parse) {
            Optional<String> v = text(k);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(parse.apply(v.get()));
            } catch (IllegalArgumentException e) {
                problems.add(key(k) + ": " + e.getMessage());
                return Optional.empty();
            }
        }

        private <T> T required(String k, Function<String, T> parse, CheckKind kind) {
            if (text(k).isEmpty()) {
                problems.add(key(k) + ": not set; a check of kind " + kind.label() + " needs it");
                return null;
            }
            return value(k, parse).orElse(null);
        }

        private List<String> list(String k) {
            return text(k).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                    .orElse(List.of());
        }

        Optional<CheckDefinition> parse() {
            if (!NAME.matcher(name).matches()) {
                problems.add(
                        PREFIX + "\"" + name + "\": '" + name + "' is not a valid check name; accepted: lower-case letters, "
                                + "digits, '-' and '_', starting with a letter or digit, at most 63 characters");
                return Optional.empty();
            }
            boolean enabled = value("enabled", Converters::parseBoolean).orElse(true);
            CheckKind kind = text("kind").isEmpty() ? null : value("kind", CheckKind::parse).orElse(null);
            if (text("kind").isEmpty()) {
                problems.add(key("kind") + ": not set; accepted: " + CheckKind.ACCEPTED);
            }
            if (kind != null) {
                Set<String> accepted = new LinkedHashSet<>(COMMON);
                accepted.addAll(KIND_KEYS.get(kind));
                for (String k : raw.keySet()) {
                    if (!accepted.contains(k.toLowerCase(Locale.ROOT))) {
                        problem(k,
                                "not a key of a check of kind " + kind.label() + "; accepted: " + String.join(", ", accepted));
                    }
                }
            }

            String workload = text("workload").orElse(DEFAULT_WORKLOAD);
            DatabaseKind db = workloads.get(workload);
            if (db == null) {
                problems.add(key("workload")
                        + (text("workload").isPresent() ? "=" + workload + ": no such workload"
                                : ": not set, and the "
                                        + "default workload '" + DEFAULT_WORKLOAD + "' is not defined or is disabled")
                        + "; accepted: one of "
                        + workloads.keySet());
            }
            CheckSchedule schedule = value("schedule", CheckSchedule::parse)
                    .orElseGet(() -> CheckSchedule.parse(DEFAULT_SCHEDULE));
            Duration timeout = value("timeout", Durations::parse).orElse(DEFAULT_TIMEOUT);
            if (timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
                problem("timeout", "accepted: above 0s and at most " + Durations.format(MAX_TIMEOUT));
            }
            Severity severity = value("severity", Severity::parse).orElse(Severity.WARNING);
            long allowed = value("allowed-violations", CheckDefinitionParser::nonNegativeLong).orElse(0L);
            int sampleRows = value("sample-rows", v -> boundedInt(v, 0, MAX_SAMPLE_ROWS)).orElse(DEFAULT_SAMPLE_ROWS);
            CheckMode mode = value("mode", CheckMode::parse).orElse(CheckMode.FULL);
            long chunkSize = value("chunk-size", v -> boundedInt(v, 1, 1_000_000_000)).map(Integer::longValue)
                    .orElse(DEFAULT_CHUNK_SIZE);
            double samplePercent = value("sample-percent", CheckDefinitionParser::percent).orElse(DEFAULT_SAMPLE_PERCENT);
            if (mode != CheckMode.CHUNKED && text("chunk-size").isPresent()) {
                problem("chunk-size", "applies only to mode=chunked");
            }
            if (mode != CheckMode.SAMPLED && text("sample-percent").isPresent()) {
                problem("sample-percent", "applies only to mode=sampled");
            }
            Set<String> mask = new LinkedHashSet<>();
            for (String column : list("mask-columns")) {
                try {
                    mask.add(SqlIdentifier.column(column).text().toLowerCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    problems.add(key("mask-columns") + ": " + e.getMessage());
                }
            }

            CheckSpec spec = kind == null ? null : spec(kind, db);
            if (spec != null && db != null) {
                if (mode == CheckMode.CHUNKED && spec.chunkKey().isEmpty()) {
                    problem("mode",
                            "a check of kind " + kind.label() + (kind == CheckKind.LEDGER_BALANCE ? " grouped by period" : "")
                                    + " cannot be chunked; accepted: " + (spec.sampleable() ? "full, sampled" : "full"));
                }
                if (mode == CheckMode.SAMPLED && !spec.sampleable()) {
                    problem("mode",
                            "a check of kind " + kind.label() + (kind == CheckKind.LEDGER_BALANCE ? " grouped by period" : "")
                                    + " cannot be sampled; accepted: "
                                    + (spec.chunkKey().isPresent() ? "full, chunked" : "full"));
                } else if (mode == CheckMode.SAMPLED && !db.dialect().tableSample()) {
                    problem("mode", "sampled mode uses TABLESAMPLE, which workload '" + workload + "' (" + db.label()
                            + ") does not have; accepted there: full, chunked");
                }
                if (kind == CheckKind.NOT_VALID_CONSTRAINTS && !db.dialect().notValidConstraints()) {
                    problem("kind",
                            "NOT VALID constraints exist only on PostgreSQL, and workload '" + workload + "' is " + db.label());
                }
            }
            if (problems.size() > problemsBefore || !enabled) {
                return Optional.empty();
            }
            String description = text("description").orElse(kind.label() + " check");
            return Optional
                    .of(new CheckDefinition(name, description, spec, workload, db, schedule, timeout, severity, allowed, mode,
                            chunkSize, samplePercent, sampleRows, Set.copyOf(mask), origin));
        }

        private SqlIdentifier table(String k, CheckKind kind) {
            return required(k, SqlIdentifier::table, kind);
        }

        private SqlIdentifier column(String k, CheckKind kind) {
            return required(k, SqlIdentifier::column, kind);
        }

        private SqlIdentifier column(String k, String fallback) {
            return value(k, SqlIdentifier::column).orElse(new SqlIdentifier(fallback));
        }

        private CheckSpec.Entries entries() {
            return new CheckSpec.Entries(column("amount-column", "amount"), value("direction-column", SqlIdentifier::column),
                    text("debit-value").orElse("D"), text("credit-value").orElse("C"));
        }

        private CheckSpec spec(CheckKind kind, DatabaseKind db) {
            return switch (kind) {
                case ORPHANS -> new CheckSpec.Orphans(table("table", kind), column("column", kind), column("key-column", "id"),
                        table("parent-table", kind), column("parent-column", "id"));
                case LEDGER_BALANCE -> new CheckSpec.LedgerBalance(table("table", kind), column("group-column", kind),
                        value("period", CheckDefinitionParser::period), entries());
                case ACCOUNT_BALANCE -> new CheckSpec.AccountBalance(table("table", kind), column("key-column", "id"),
                        column("balance-column", "balance"), table("entries-table", kind),
                        column("account-column", "account_id"), entries(),
                        value("balance-sign", CheckDefinitionParser::creditPositive).orElse(true));
                case RANGE -> range(kind);
                case DUPLICATES -> {
                    List<SqlIdentifier> columns = new ArrayList<>();
                    for (String c : list("key-columns")) {
                        try {
                            columns.add(SqlIdentifier.column(c));
                        } catch (IllegalArgumentException e) {
                            problems.add(key("key-columns") + ": " + e.getMessage());
                        }
                    }
                    if (text("key-columns").isEmpty()) {
                        problems.add(
                                key("key-columns") + ": not set; a check of kind duplicates needs the business key's columns, "
                                        + "comma-separated");
                    }
                    yield new CheckSpec.Duplicates(table("table", kind), List.copyOf(columns), column("key-column", "id"));
                }
                case NOT_VALID_CONSTRAINTS ->
                    new CheckSpec.NotValidConstraints(value("schema", v -> SqlIdentifier.column(v).text()));
                case SQL -> {
                    String sql = required("sql", v -> v, kind);
                    yield new CheckSpec.CustomSql(sql, text("sample-sql"));
                }
            };
        }

        private CheckSpec range(CheckKind kind) {
            Optional<BigDecimal> min = value("min", CheckDefinitionParser::decimal);
            Optional<BigDecimal> max = value("max", CheckDefinitionParser::decimal);
            if (text("min").isEmpty() && text("max").isEmpty()) {
                problems.add(key("min") + ": neither min nor max is set; a check of kind range needs at least one");
            }
            if (min.isPresent() && max.isPresent() && min.get().compareTo(max.get()) > 0) {
                problem("max", "is below min=" + min.get().toPlainString() + "; accepted: a value at least min");
            }
            Optional<SqlIdentifier> filter = value("filter-column", SqlIdentifier::column);
            List<String> values = list("filter-values");
            if (text("filter-column").isPresent() != !values.isEmpty()) {
                problem(text("filter-column").isPresent() ? "filter-values" : "filter-column",
                        "filter-column and filter-values go together; accepted: both set, or neither");
            }
            return new CheckSpec.Range(table("table", kind), column("column", kind), column("key-column", "id"), min, max,
                    filter, values);
        }
    }

    static long nonNegativeLong(String v) {
        try {
            long n = Long.parseLong(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + v + "' is not a whole number of 0 or more; accepted: 0, 1, 2 ...");
    }

    static int boundedInt(String v, int min, int max) {
        int n = Converters.parseInt(v);
        if (n < min || n > max) {
            throw new IllegalArgumentException("'" + v + "' is out of range; accepted: " + min + " to " + max);
        }
        return n;
    }

    static double percent(String v) {
        try {
            double p = Double.parseDouble(v.trim());
            if (p > 0 && p <= 100) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "'" + v + "' is not a percent; accepted: a number above 0 and at most 100, such as 1 or 0.5");
    }

    static BigDecimal decimal(String v) {
        try {
            return new BigDecimal(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a number; accepted: a decimal number such as 0 or -1000.50");
        }
    }

    static String period(String v) {
        String p = v.trim().toLowerCase(Locale.ROOT);
        if (!p.equals("day") && !p.equals("month")) {
            throw new IllegalArgumentException("'" + v + "' is not a period; accepted: day, month");
        }
        return p;
    }

    static boolean creditPositive(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "credit-positive" -> true;
            case "debit-positive" -> false;
            default -> throw new IllegalArgumentException("'" + v + "' is not a balance sign; accepted: credit-positive "
                    + "(balance = credits - debits), debit-positive (balance = debits - credits)");
        };
    }
}
