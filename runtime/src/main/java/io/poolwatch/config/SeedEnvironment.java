package io.poolwatch.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

/**
 * Translates the seed guides' environment variables ({@code DATABASE_URL}, {@code DB_POOL_SIZE}, ...) into a
 * layer of pool values, global monitoring values and read replicas. Problems are collected, not thrown.
 */
final class SeedEnvironment {

    private static final Logger LOG = Logger.getLogger(SeedEnvironment.class);
    private static final Pattern REPLICA_WEIGHT = Pattern.compile("DB_REPLICA_(\\d+)_WEIGHT");

    /** The seed's own defaults, used to complete DB_POOL_SIZE or DB_MAX_OVERFLOW when only one is set. */
    static final int SEED_POOL_SIZE = 20;
    static final int SEED_MAX_OVERFLOW = 10;

    /**
     * The pool values the variables set, by the key of {@code poolwatch.pools."<name>".*} they stand for, as the mapping's
     * text; a variable that does not parse is a problem and sets nothing.
     */
    final Map<String, SeedValue> pool = new LinkedHashMap<>();
    Optional<Boolean> monitorEnabled = Optional.empty();
    Optional<Duration> slowQueryThreshold = Optional.empty();
    Optional<Double> errorRateCritical = Optional.empty();
    Optional<Integer> leakThreshold = Optional.empty();
    Optional<Boolean> sqlEcho = Optional.empty();
    final Map<String, String> monitoringSources = new HashMap<>();
    final List<SeedReplica> replicas = new ArrayList<>();

    /** One entry of DB_READ_REPLICAS with its weight, and the variable that set the weight (empty: built-in 1). */
    record SeedReplica(int index, DatabaseUrl url, int weight, Optional<String> weightVariable) {
    }

    /** One pool value and the variable(s) that set it. */
    record SeedValue(String value, String variable) {
    }

    private final SeedSource source;
    private final List<String> problems;

    private SeedEnvironment(SeedSource source, List<String> problems) {
        this.source = source;
        this.problems = problems;
    }

    static SeedEnvironment read(SeedSource source, List<String> problems) {
        SeedEnvironment seed = new SeedEnvironment(source, problems);
        seed.readPool();
        seed.readMonitoring();
        seed.readReplicas();
        return seed;
    }

    private void readPool() {
        source.get("DATABASE_URL").ifPresent(u -> put("url", u, "DATABASE_URL"));
        Optional<Integer> size = value("DB_POOL_SIZE", SeedEnvironment::integer);
        Optional<Integer> overflow = value("DB_MAX_OVERFLOW", SeedEnvironment::integer);
        size.ifPresent(s -> {
            if (s < 1) {
                problems.add("DB_POOL_SIZE=" + s + ": must be at least 1");
            }
            put("min-size", s, "DB_POOL_SIZE");
        });
        overflow.ifPresent(o -> {
            if (o < 0) {
                problems.add("DB_MAX_OVERFLOW=" + o + ": must be 0 or more");
            }
        });
        if (size.isPresent() || overflow.isPresent()) {
            // SQLAlchemy's pool_size + max_overflow is the most it ever opens.
            put("max-size", size.orElse(SEED_POOL_SIZE) + Math.max(0, overflow.orElse(SEED_MAX_OVERFLOW)),
                    "DB_POOL_SIZE + DB_MAX_OVERFLOW");
        }
        duration("DB_POOL_TIMEOUT", "acquisition-timeout");
        duration("DB_CONNECT_TIMEOUT", "connect-timeout");
        // SQLAlchemy's pool_recycle=-1 means never recycle.
        Optional<String> recycle = source.get("DB_POOL_RECYCLE");
        if (recycle.isPresent() && recycle.get().equals("-1")) {
            put("max-lifetime", Duration.ZERO, "DB_POOL_RECYCLE");
        } else {
            duration("DB_POOL_RECYCLE", "max-lifetime");
        }
        // asyncpg's command_timeout=None means no limit; "None" here means unset, as in the seed's table.
        Optional<String> command = source.get("DB_COMMAND_TIMEOUT");
        if (command.isPresent() && !command.get().equalsIgnoreCase("none")) {
            duration("DB_COMMAND_TIMEOUT", "statement-timeout");
        }
        bool("DB_POOL_PRE_PING", "validate-on-borrow");
        bool("DB_ECHO_POOL", "echo");
        value("DB_POOL_USE_LIFO", Converters::parseBoolean).filter(lifo -> !lifo).ifPresent(lifo -> LOG.info(
                "DB_POOL_USE_LIFO=false has no effect: Agroal hands a thread the connection it used last, then any idle one"));
    }

    /** Whether DATABASE_URL is set. */
    boolean hasUrl() {
        return pool.containsKey("url");
    }

    private void put(String field, Object value, String variable) {
        pool.put(field, new SeedValue(value.toString(), variable));
    }

    private void readMonitoring() {
        monitorEnabled = value("DB_MONITOR_ENABLED", Converters::parseBoolean);
        monitorEnabled.ifPresent(v -> monitoringSources.put("enabled", "DB_MONITOR_ENABLED"));
        slowQueryThreshold = value("DB_SLOW_QUERY_THRESHOLD", Durations::parse);
        slowQueryThreshold.ifPresent(v -> monitoringSources.put("slow-query-threshold", "DB_SLOW_QUERY_THRESHOLD"));
        errorRateCritical = value("DB_ERROR_RATE_CRITICAL", SeedEnvironment::fraction);
        errorRateCritical.ifPresent(v -> monitoringSources.put("error-rate-critical", "DB_ERROR_RATE_CRITICAL"));
        leakThreshold = value("DB_CONNECTION_LEAK_THRESHOLD", SeedEnvironment::integer);
        leakThreshold.ifPresent(v -> {
            monitoringSources.put("leak-threshold", "DB_CONNECTION_LEAK_THRESHOLD");
            if (v < 1) {
                problems.add("DB_CONNECTION_LEAK_THRESHOLD=" + v + ": must be at least 1");
            }
        });
        for (String name : List.of("DATABASE_ECHO", "DB_ECHO")) {
            Optional<Boolean> echo = value(name, Converters::parseBoolean);
            if (echo.isPresent()) {
                sqlEcho = echo;
                monitoringSources.put("sql-echo", name);
                break;
            }
        }
    }

    private void readReplicas() {
        List<String> urls = new ArrayList<>();
        source.get("DB_READ_REPLICAS").ifPresent(list -> {
            for (String u : list.split(",")) {
                if (!u.isBlank()) {
                    urls.add(u.trim());
                }
            }
        });
        Map<Integer, Integer> weights = new TreeMap<>();
        Map<Integer, String> weightNames = new HashMap<>();
        for (String name : source.names()) {
            Matcher m = REPLICA_WEIGHT.matcher(name.toUpperCase(Locale.ROOT));
            if (!m.matches()) {
                continue;
            }
            int n = Integer.parseInt(m.group(1));
            Optional<Integer> weight = value(name, SeedEnvironment::integer);
            if (weight.isEmpty()) {
                continue;
            }
            if (weight.get() < 0 || weight.get() > 1000) {
                problems.add(name + "=" + weight.get() + ": must be between 0 and 1000");
            }
            if (urls.isEmpty()) {
                problems.add(name + "=" + weight.get() + ": a replica weight is set but DB_READ_REPLICAS is not; "
                        + "set DB_READ_REPLICAS to a comma-separated list of replica URLs or remove " + name);
            } else if (n < 1 || n > urls.size()) {
                problems.add(name + "=" + weight.get() + ": DB_READ_REPLICAS lists " + urls.size() + " replica"
                        + (urls.size() == 1 ? "" : "s") + "; accepted: DB_REPLICA_1_WEIGHT to DB_REPLICA_" + urls.size()
                        + "_WEIGHT");
            }
            weights.put(n, weight.get());
            weightNames.put(n, name);
        }
        for (int i = 0; i < urls.size(); i++) {
            try {
                replicas.add(new SeedReplica(i + 1, DatabaseUrl.parse(urls.get(i)), weights.getOrDefault(i + 1, 1),
                        Optional.ofNullable(weightNames.get(i + 1))));
            } catch (IllegalArgumentException e) {
                problems.add("DB_READ_REPLICAS entry " + (i + 1) + ": " + e.getMessage());
            }
        }
    }

    private void duration(String variable, String field) {
        value(variable, Durations::parse).ifPresent(v -> put(field, v, variable));
    }

    private void bool(String variable, String field) {
        value(variable, Converters::parseBoolean).ifPresent(v -> put(field, v, variable));
    }

    private <T> Optional<T> value(String variable, Function<String, T> parser) {
        Optional<String> raw = source.get(variable);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(raw.get()));
        } catch (IllegalArgumentException e) {
            problems.add(variable + "=" + raw.get() + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private static int integer(String text) {
        return Converters.parseInt(text);
    }

    private static double fraction(String text) {
        double v;
        try {
            v = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a number; accepted: a fraction between 0 and 1, such as 0.05");
        }
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(
                    "'" + text + "' is out of range; accepted: a fraction between 0 and 1, such as 0.05");
        }
        return v;
    }
}
