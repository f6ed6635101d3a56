package io.poolwatch.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Resolves and validates every pool's settings. For each setting the first layer that has a value wins:
 * <ol>
 * <li>{@code poolwatch.pools."<name>".<key>}</li>
 * <li>{@code poolwatch.defaults.<key>}</li>
 * <li>the seed environment variables (DATABASE_URL, DB_POOL_SIZE ...)</li>
 * <li>the workload's built-in profile, then the built-in base</li>
 * </ol>
 * All problems are collected and reported together; nothing is applied when there is one.
 */
public final class PoolSettingsResolver {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final String BUILT_IN = "built-in";
    /** Leak detection on the embedded demo database, unless configured. */
    static final Duration DEMO_LEAK_DETECTION = Duration.ofSeconds(30);

    private PoolSettingsResolver() {
    }

    /**
     * Resolves the configuration.
     *
     * @param config the {@code poolwatch.*} mapping
     * @param seedSource the seed variables
     * @param embeddedUrl started only when no database URL is configured anywhere and the configuration is valid
     * @throws InvalidConfigurationException listing every problem
     */
    public static ResolvedConfiguration resolve(PoolwatchConfig config, SeedSource seedSource, Supplier<String> embeddedUrl) {
        List<String> problems = new ArrayList<>();
        SeedEnvironment seed = SeedEnvironment.read(seedSource, problems);

        Set<String> names = new LinkedHashSet<>(WorkloadProfiles.STANDARD);
        names.addAll(config.pools().keySet());
        boolean anyUrl = config.defaults().url().isPresent() || seed.pool.url.isPresent()
                || config.pools().values().stream().anyMatch(p -> p.url().isPresent());
        boolean useEmbedded = !anyUrl && config.embedded().enabled();

        List<Draft> drafts = new ArrayList<>();
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                problems.add("poolwatch.pools.\"" + name + "\": '" + name + "' is not a valid workload name; accepted: "
                        + "lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 63 characters");
                continue;
            }
            Draft draft = new Draft(name, config, seed, problems);
            if (draft.enabled()) {
                drafts.add(draft);
            }
        }
        if (drafts.isEmpty() && problems.isEmpty()) {
            problems.add("poolwatch.pools: every workload is disabled; accepted: at least one workload with enabled=true");
        }

        String replicaWorkload = config.readReplicas().workload();
        if (!seed.replicas.isEmpty() && drafts.stream().noneMatch(d -> d.name.equals(replicaWorkload))) {
            problems.add("poolwatch.read-replicas.workload=" + replicaWorkload + ": DB_READ_REPLICAS belong to workload '"
                    + replicaWorkload + "', which is not defined or is disabled; accepted: one of "
                    + drafts.stream().map(d -> d.name).toList());
        }

        MonitoringSettings monitoring = monitoring(config.monitoring(), seed, problems);

        for (Draft d : drafts) {
            if (d.url.isEmpty() && !useEmbedded) {
                problems.add(d.key("url") + ": not set, and neither DATABASE_URL nor poolwatch.defaults.url is"
                        + (config.embedded().enabled() ? "" : " (poolwatch.embedded.enabled=false)")
                        + "; accepted: a database URL such as " + "postgresql://user:pass@host:5432/db, or "
                        + d.key("enabled") + "=false");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }

        DatabaseUrl embedded = useEmbedded ? DatabaseUrl.parse(embeddedUrl.get()) : null;
        List<PoolSettings> pools = new ArrayList<>();
        for (Draft d : drafts) {
            pools.add(d.build(embedded, d.name.equals(replicaWorkload) ? seed.replicas : List.of()));
        }
        return new ResolvedConfiguration(List.copyOf(pools), monitoring, useEmbedded);
    }

    private static MonitoringSettings monitoring(PoolwatchConfig.MonitoringConfig m, SeedEnvironment seed, List<String> problems) {
        boolean enabled = m.enabled().or(() -> seed.monitorEnabled).orElse(true);
        Duration slow = m.slowQueryThreshold().or(() -> seed.slowQueryThreshold).orElse(Duration.ofSeconds(1));
        if (slow.isZero()) {
            problems.add(source(m.slowQueryThreshold(), "poolwatch.monitoring.slow-query-threshold", seed.monitoringSources
                    .getOrDefault("slow-query-threshold", BUILT_IN)) + "=0s: must be above zero");
        }
        double errorRate = m.errorRateCritical().or(() -> seed.errorRateCritical).orElse(0.05);
        if (m.errorRateCritical().isPresent() && !(errorRate >= 0 && errorRate <= 1)) {
            problems.add("poolwatch.monitoring.error-rate-critical=" + errorRate + ": accepted: a fraction between 0 and 1, such as 0.05");
        }
        int leaks = m.leakThreshold().or(() -> seed.leakThreshold).orElse(5);
        if (m.leakThreshold().isPresent() && leaks < 1) {
            problems.add("poolwatch.monitoring.leak-threshold=" + leaks + ": must be at least 1");
        }
        boolean echo = m.sqlEcho().or(() -> seed.sqlEcho).orElse(false);
        return new MonitoringSettings(enabled, slow, errorRate, leaks, echo);
    }

    private static String source(Optional<?> nativeValue, String nativeKey, String seedOrBuiltIn) {
        return nativeValue.isPresent() ? nativeKey : seedOrBuiltIn;
    }

    /** The winning value of one setting and the key that chose it. */
    private record Chosen<T>(T value, String key) {
    }

    /** A layer of values with the key each value would be reported under. */
    private record Layer(PoolwatchConfig.PoolConfig values, Function<String, String> keyOf) {
    }

    /** One pool while its settings are chosen and checked. */
    private static final class Draft {
        final String name;
        final List<Layer> layers;
        final List<String> problems;
        final Map<String, String> sources = new LinkedHashMap<>();
        final Optional<Chosen<String>> url;
        final Optional<Chosen<String>> username;
        final Optional<Chosen<String>> password;
        final Chosen<Boolean> enabled;
        Chosen<Integer> minSize;
        Chosen<Integer> maxSize;
        Chosen<Integer> initialSize;
        Chosen<Duration> acquisitionTimeout;
        Chosen<Duration> connectTimeout;
        Chosen<Duration> maxLifetime;
        Chosen<Duration> idleRemoval;
        Chosen<Boolean> validateOnBorrow;
        Chosen<Duration> backgroundValidation;
        Chosen<Duration> leakDetection;
        Chosen<String> isolation;
        Chosen<Duration> statementTimeout;
        Chosen<Boolean> readOnly;
        Chosen<String> applicationName;
        Chosen<Boolean> critical;
        Chosen<Boolean> echo;
        final Map<String, String> jdbcProperties = new LinkedHashMap<>();
        DatabaseUrl parsedUrl;
        IsolationLevel isolationLevel;

        Draft(String name, PoolwatchConfig config, SeedEnvironment seed, List<String> problems) {
            this.name = name;
            this.problems = problems;
            PoolwatchConfig.PoolConfig own = config.pools().get(name);
            List<Layer> l = new ArrayList<>();
            if (own != null) {
                l.add(new Layer(own, this::key));
            }
            l.add(new Layer(config.defaults(), k -> "poolwatch.defaults." + k));
            l.add(new Layer(seed.pool, k -> seed.poolSources.getOrDefault(k, BUILT_IN)));
            l.add(new Layer(WorkloadProfiles.profile(name), k -> BUILT_IN));
            l.add(new Layer(WorkloadProfiles.base(name), k -> BUILT_IN));
            this.layers = l;

            enabled = pick("enabled", PoolwatchConfig.PoolConfig::enabled).orElseThrow();
            url = pick("url", PoolwatchConfig.PoolConfig::url);
            username = pick("username", PoolwatchConfig.PoolConfig::username);
            password = pick("password", PoolwatchConfig.PoolConfig::password);
            if (!enabled.value()) {
                return;
            }
            minSize = required("min-size", PoolwatchConfig.PoolConfig::minSize);
            maxSize = required("max-size", PoolwatchConfig.PoolConfig::maxSize);
            initialSize = pick("initial-size", PoolwatchConfig.PoolConfig::initialSize)
                    .orElse(new Chosen<>(minSize.value(), BUILT_IN));
            acquisitionTimeout = required("acquisition-timeout", PoolwatchConfig.PoolConfig::acquisitionTimeout);
            connectTimeout = required("connect-timeout", PoolwatchConfig.PoolConfig::connectTimeout);
            maxLifetime = required("max-lifetime", PoolwatchConfig.PoolConfig::maxLifetime);
            idleRemoval = required("idle-removal-interval", PoolwatchConfig.PoolConfig::idleRemovalInterval);
            validateOnBorrow = required("validate-on-borrow", PoolwatchConfig.PoolConfig::validateOnBorrow);
            backgroundValidation = required("background-validation-interval", PoolwatchConfig.PoolConfig::backgroundValidationInterval);
            leakDetection = required("leak-detection-interval", PoolwatchConfig.PoolConfig::leakDetectionInterval);
            isolation = required("transaction-isolation", PoolwatchConfig.PoolConfig::transactionIsolation);
            statementTimeout = required("statement-timeout", PoolwatchConfig.PoolConfig::statementTimeout);
            readOnly = required("read-only", PoolwatchConfig.PoolConfig::readOnly);
            applicationName = required("application-name", PoolwatchConfig.PoolConfig::applicationName);
            critical = required("critical", PoolwatchConfig.PoolConfig::critical);
            echo = required("echo", PoolwatchConfig.PoolConfig::echo);
            // Driver properties merge across layers; a nearer layer wins per property.
            for (int i = layers.size() - 1; i >= 0; i--) {
                jdbcProperties.putAll(layers.get(i).values().jdbcProperties());
            }
            validate();
        }

        boolean enabled() {
            return enabled.value();
        }

        String key(String field) {
            return "poolwatch.pools.\"" + name + "\"." + field;
        }

        private <T> Optional<Chosen<T>> pick(String field, Function<PoolwatchConfig.PoolConfig, Optional<T>> getter) {
            for (Layer layer : layers) {
                Optional<T> v = getter.apply(layer.values());
                if (v.isPresent()) {
                    String key = layer.keyOf().apply(field);
                    sources.put(field, key);
                    return Optional.of(new Chosen<>(v.get(), key));
                }
            }
            return Optional.empty();
        }

        private <T> Chosen<T> required(String field, Function<PoolwatchConfig.PoolConfig, Optional<T>> getter) {
            return pick(field, getter).orElseThrow(() -> new IllegalStateException("no built-in value for " + field));
        }

        /** How a chosen value is named in a message: its key, or the built-in value of this workload. */
        private String named(Chosen<?> c, String field) {
            return (c.key().equals(BUILT_IN) ? field + " (built-in for workload '" + name + "')" : c.key()) + "=" + c.value();
        }

        private void validate() {
            if (minSize.value() < 0) {
                problems.add(named(minSize, "min-size") + ": must be 0 or more");
            }
            if (maxSize.value() < 1) {
                problems.add(named(maxSize, "max-size") + ": must be at least 1");
            } else if (minSize.value() > maxSize.value()) {
                problems.add(named(maxSize, "max-size") + " is below " + named(minSize, "min-size") + " for workload '" + name
                        + "'; accepted: a max-size of at least " + minSize.value() + ", or set " + key("max-size"));
            }
            if (initialSize.value() < 0 || (maxSize.value() >= 1 && initialSize.value() > maxSize.value())) {
                problems.add(named(initialSize, "initial-size") + ": accepted: between 0 and the max-size of workload '" + name
                        + "', " + maxSize.value());
            }
            positive(acquisitionTimeout, "acquisition-timeout");
            positive(connectTimeout, "connect-timeout");
            Optional<IsolationLevel> level = IsolationLevel.fromText(isolation.value());
            if (level.isEmpty()) {
                problems.add(named(isolation, "transaction-isolation") + ": unknown isolation level; accepted: " + IsolationLevel.ACCEPTED);
            } else {
                isolationLevel = level.get();
            }
            if (applicationName.value().isBlank() || applicationName.value().length() > 63) {
                problems.add(named(applicationName, "application-name") + ": accepted: 1 to 63 characters");
            }
            url.ifPresent(u -> {
                try {
                    parsedUrl = DatabaseUrl.parse(u.value());
                } catch (IllegalArgumentException e) {
                    // The message masks the URL; the key says where it came from.
                    problems.add(u.key() + ": " + e.getMessage());
                }
            });
        }

        private void positive(Chosen<Duration> d, String field) {
            if (d.value().isZero()) {
                problems.add(d.key() + "=0s: " + field + " must be above zero; accepted: " + Durations.ACCEPTED);
            }
        }

        PoolSettings build(DatabaseUrl embedded, List<ReplicaSettings> replicas) {
            DatabaseUrl db = parsedUrl != null ? parsedUrl : embedded;
            Duration leak = leakDetection.value();
            if (parsedUrl == null) {
                sources.put("url", "embedded");
                // The demo shows a leak within a minute, not after the production default of five.
                if (leakDetection.key().equals(BUILT_IN)) {
                    leak = DEMO_LEAK_DETECTION;
                    sources.put("leak-detection-interval", "embedded demo");
                }
            }
            Optional<String> user = username.map(Chosen::value).or(db::username);
            Optional<Secret> pass = password.map(c -> new Secret(c.value())).or(db::password);
            Map<String, String> props = new LinkedHashMap<>(db.driverProperties());
            props.putAll(jdbcProperties);
            Optional<Duration> statement = statementTimeout.value().isZero() ? Optional.empty() : Optional.of(statementTimeout.value());
            return new PoolSettings(name, db, user, pass, minSize.value(), maxSize.value(), initialSize.value(),
                    acquisitionTimeout.value(), connectTimeout.value(), maxLifetime.value(), idleRemoval.value(),
                    validateOnBorrow.value(), backgroundValidation.value(), leak, isolationLevel, statement,
                    readOnly.value(), applicationName.value(), critical.value(), echo.value(), props, replicas, sources);
        }
    }
}
