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

import org.jboss.logging.Logger;

import io.poolwatch.engine.DatabaseKind;

/**
 * Resolves and validates every pool's settings. For each setting the first layer that has a value wins:
 * <ol>
 * <li>{@code poolwatch.pools."<name>".<key>}</li>
 * <li>{@code poolwatch.defaults.<key>}</li>
 * <li>the seed environment variables (DATABASE_URL, DB_POOL_SIZE ...)</li>
 * <li>the workload's built-in profile, then the built-in base</li>
 * </ol>
 * Read replicas are a workload's own {@code poolwatch.pools."<name>".replicas} when it has any, else the seed's
 * DB_READ_REPLICAS for {@code poolwatch.read-replicas.workload}; each replica's pool takes its workload's settings.
 * All problems are collected and reported together; nothing is applied when there is one.
 */
public final class PoolSettingsResolver {

    private static final Logger LOG = Logger.getLogger(PoolSettingsResolver.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final String BUILT_IN = LowerLayers.BUILT_IN;
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
        return resolve(config, seedSource, Optional.of(embeddedUrl), "");
    }

    /**
     * Resolves every pool's settings and validates them all at once.
     *
     * @param config the {@code poolwatch.*} mapping
     * @param seedSource the seed variables
     * @param fallbackUrl the database used when no URL is configured anywhere (the standalone service's embedded
     *        database), started only then and only when the configuration is valid; empty when there is none
     * @param fallbackNote added to the error for a missing URL, such as " (poolwatch.embedded.enabled=false)"
     * @throws InvalidConfigurationException listing every problem
     */
    public static ResolvedConfiguration resolve(PoolwatchConfig config, SeedSource seedSource,
            Optional<Supplier<String>> fallbackUrl, String fallbackNote) {
        Drafts drafts = draft(config, seedSource, fallbackUrl.isPresent(), fallbackNote);
        if (!drafts.problems.isEmpty()) {
            throw new InvalidConfigurationException(drafts.problems);
        }
        DatabaseUrl embedded = drafts.useEmbedded ? DatabaseUrl.parse(fallbackUrl.get().get()) : null;
        List<PoolSettings> pools = new ArrayList<>();
        for (Draft d : drafts.drafts) {
            pools.add(d.build(embedded, drafts.replicas.getOrDefault(d.name, List.of())));
        }
        return new ResolvedConfiguration(List.copyOf(pools), drafts.monitoring, drafts.useEmbedded);
    }

    /**
     * What the pool settings will be, without starting or opening anything: every problem of the pools and the seed
     * variables, and what the other parts of the configuration need to be checked against them.
     *
     * @param config the {@code poolwatch.*} mapping
     * @param seedSource the seed variables
     * @param fallback whether a fallback database (the embedded demo database) would be started when no URL is configured
     * @param fallbackKind the engine the fallback database is expected to run
     * @param fallbackNote added to the error for a missing URL, as in
     *        {@link #resolve(PoolwatchConfig, SeedSource, Optional, String)}
     */
    public static PoolPlan plan(PoolwatchConfig config, SeedSource seedSource, boolean fallback, DatabaseKind fallbackKind,
            String fallbackNote) {
        Drafts drafts = draft(config, seedSource, fallback, fallbackNote);
        Map<String, PoolPlan.Workload> workloads = new LinkedHashMap<>();
        for (Draft d : drafts.drafts) {
            // A workload whose URL is wrong is reported as such; its other settings are checked as for PostgreSQL.
            DatabaseKind kind = d.parsedUrl != null ? d.parsedUrl.kind()
                    : drafts.useEmbedded ? fallbackKind : DatabaseKind.POSTGRESQL;
            workloads.put(d.name, new PoolPlan.Workload(d.name, kind, d.readOnly != null && d.readOnly.value()));
        }
        return new PoolPlan(List.copyOf(drafts.problems), workloads, drafts.monitoring, drafts.useEmbedded);
    }

    /** Every workload's draft and every problem found while they were chosen. */
    private record Drafts(List<String> problems, List<Draft> drafts, MonitoringSettings monitoring,
            Map<String, List<ReplicaDraft>> replicas, boolean useEmbedded) {
    }

    private static Drafts draft(PoolwatchConfig config, SeedSource seedSource, boolean fallback, String fallbackNote) {
        List<String> problems = new ArrayList<>();
        SeedEnvironment seed = SeedEnvironment.read(seedSource, problems);

        Set<String> names = new LinkedHashSet<>(WorkloadProfiles.STANDARD);
        names.addAll(config.pools().keySet());
        boolean anyUrl = config.defaults().url().isPresent() || seed.hasUrl()
                || config.pools().values().stream().anyMatch(p -> p.url().isPresent());
        boolean useEmbedded = !anyUrl && fallback;

        LowerLayers lower = LowerLayers.of(seed.pool);
        List<Draft> drafts = new ArrayList<>();
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                problems.add("poolwatch.pools.\"" + name + "\": '" + name + "' is not a valid workload name; accepted: "
                        + "lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 63 characters");
                continue;
            }
            Draft draft = new Draft(name, config, lower, problems);
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
                        + fallbackNote
                        + "; accepted: a database URL such as " + "postgresql://user:pass@host:5432/db, or "
                        + d.key("enabled") + "=false");
            }
        }
        Map<String, List<ReplicaDraft>> replicas = replicas(config, seed, drafts, replicaWorkload, problems);
        return new Drafts(problems, drafts, monitoring, replicas, useEmbedded);
    }

    /**
     * Each workload's read replicas: its own {@code poolwatch.pools."<name>".replicas} when it has some, else the seed's
     * DB_READ_REPLICAS for {@code poolwatch.read-replicas.workload}. Names must be unique across every pool.
     */
    private static Map<String, List<ReplicaDraft>> replicas(PoolwatchConfig config, SeedEnvironment seed, List<Draft> drafts,
            String seedWorkload, List<String> problems) {
        if (!config.defaults().replicas().isEmpty()) {
            problems.add("poolwatch.defaults.replicas: read replicas belong to one workload; accepted: "
                    + "poolwatch.pools.\"<workload>\".replicas.\"<id>\".url, or DB_READ_REPLICAS");
        }
        Set<String> enabled = new LinkedHashSet<>();
        drafts.forEach(d -> enabled.add(d.name));
        config.pools().forEach((name, pool) -> {
            if (!pool.replicas().isEmpty() && !enabled.contains(name) && NAME.matcher(name).matches()) {
                problems.add("poolwatch.pools.\"" + name + "\".replicas: workload '" + name
                        + "' is disabled, so it has no reads to route; accepted: replicas of an enabled workload, one of "
                        + enabled);
            }
        });
        Set<String> taken = new LinkedHashSet<>(enabled);
        Map<String, List<ReplicaDraft>> out = new LinkedHashMap<>();
        for (Draft d : drafts) {
            PoolwatchConfig.PoolConfig own = config.pools().get(d.name);
            List<ReplicaDraft> list = new ArrayList<>();
            if (own != null && !own.replicas().isEmpty()) {
                if (d.name.equals(seedWorkload) && !seed.replicas.isEmpty()) {
                    LOG.infof("DB_READ_REPLICAS is not used: workload %s has replicas of its own under %s", d.name,
                            d.key("replicas"));
                }
                List<String> ids = new ArrayList<>(own.replicas().keySet());
                ids.sort(PoolSettingsResolver::compareIds);
                for (int i = 0; i < ids.size(); i++) {
                    list.add(ReplicaDraft.of(d, i + 1, ids.get(i), own.replicas().get(ids.get(i)), problems));
                }
            } else if (d.name.equals(seedWorkload)) {
                seed.replicas.forEach(r -> list.add(ReplicaDraft.of(d, r)));
            }
            if (list.isEmpty()) {
                continue;
            }
            if (d.url.isEmpty()) {
                problems.add(
                        list.get(0).urlKey + ": read replicas of workload '" + d.name + "' need its own database; accepted: "
                                + "DATABASE_URL or " + d.key("url") + " (the embedded demo database has no replicas)");
            }
            for (ReplicaDraft r : list) {
                r.validate(d, taken, problems);
            }
            out.put(d.name, list);
        }
        return out;
    }

    /** Numeric ids in numeric order, then the others alphabetically: replicas."2" before replicas."10". */
    private static int compareIds(String a, String b) {
        boolean na = a.chars().allMatch(Character::isDigit) && !a.isEmpty() && a.length() < 10;
        boolean nb = b.chars().allMatch(Character::isDigit) && !b.isEmpty() && b.length() < 10;
        if (na && nb) {
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        }
        return na ? -1 : nb ? 1 : a.compareTo(b);
    }

    /** One read replica while it is checked; the settings of its pool come from its workload's. */
    private static final class ReplicaDraft {
        final int index;
        final String id;
        final String urlKey;
        final String prefix;
        DatabaseUrl url;
        int weight;
        String weightSource;
        String name;
        String nameSource;
        Optional<String> username = Optional.empty();
        Optional<String> password = Optional.empty();
        Optional<Integer> minSize = Optional.empty();
        Optional<Integer> maxSize = Optional.empty();
        int effectiveMin;
        int effectiveMax;
        TlsResolver.Result tls;
        /** The replica's own socket timeout, from a socketTimeout parameter in its URL; null when it takes its workload's. */
        SocketTimeouts.Result socketTimeout;

        private ReplicaDraft(int index, String id, String urlKey, String prefix) {
            this.index = index;
            this.id = id;
            this.urlKey = urlKey;
            this.prefix = prefix;
        }

        /** A replica from DB_READ_REPLICAS (its URL and weight were checked when the variables were read). */
        static ReplicaDraft of(Draft d, SeedEnvironment.SeedReplica seed) {
            ReplicaDraft r = new ReplicaDraft(seed.index(), Integer.toString(seed.index()), "DB_READ_REPLICAS", null);
            r.url = seed.url();
            r.weight = seed.weight();
            r.weightSource = seed.weightVariable().orElse(BUILT_IN);
            r.name = d.name + "-replica-" + seed.index();
            r.nameSource = BUILT_IN;
            return r;
        }

        /** A replica from poolwatch.pools."<workload>".replicas."<id>". */
        static ReplicaDraft of(Draft d, int index, String id, PoolwatchConfig.ReplicaConfig c, List<String> problems) {
            String prefix = d.key("replicas.\"" + id + "\".");
            ReplicaDraft r = new ReplicaDraft(index, id, prefix + "url", prefix);
            if (c.url().isEmpty()) {
                problems.add(prefix
                        + "url: not set; accepted: the replica's database URL, such as postgresql://user:pass@replica1:5432/db");
            } else {
                try {
                    r.url = DatabaseUrl.parse(c.url().get());
                } catch (IllegalArgumentException e) {
                    problems.add(prefix + "url: " + e.getMessage());
                }
            }
            r.weight = c.weight().orElse(1);
            r.weightSource = c.weight().isPresent() ? prefix + "weight" : BUILT_IN;
            if (r.weight < 0 || r.weight > 1000) {
                problems.add(prefix + "weight=" + r.weight + ": accepted: 0 to 1000 (0 takes the replica out of routing)");
            }
            r.name = c.name().map(String::trim).orElse(d.name + "-replica-" + id);
            r.nameSource = c.name().isPresent() ? prefix + "name" : BUILT_IN;
            r.username = c.username();
            r.password = c.password();
            r.minSize = c.minSize();
            r.maxSize = c.maxSize();
            return r;
        }

        void validate(Draft d, Set<String> taken, List<String> problems) {
            String shownName = nameSource.equals(BUILT_IN)
                    ? "the pool name '" + name + "' of replica " + id + " of workload '" + d.name + "'"
                    : nameSource + "=" + name;
            if (!NAME.matcher(name).matches()) {
                problems.add(shownName
                        + ": not a valid pool name; accepted: lower-case letters, digits, '-' and '_', starting with a "
                        + "letter or digit, at most 63 characters" + (prefix == null ? "" : "; set " + prefix + "name"));
            } else if (!taken.add(name)) {
                problems.add(shownName + ": another pool already has this name; accepted: a name no workload or replica uses"
                        + (prefix == null ? "" : "; set " + prefix + "name"));
            }
            if (url != null) {
                if (!url.kind().dialect().replicates()) {
                    problems.add(urlKey + (prefix == null ? " entry " + index : "")
                            + ": " + url.kind().dialect().displayName() + " has no replication; accepted: a PostgreSQL or "
                            + "MariaDB/MySQL replica");
                } else if (d.parsedUrl != null && d.parsedUrl.kind() != url.kind()) {
                    problems.add(urlKey + (prefix == null ? " entry " + index : "") + ": a " + url.kind().label()
                            + " replica of workload '"
                            + d.name + "', whose database is " + d.parsedUrl.kind().label()
                            + "; accepted: a replica of the same kind");
                } else {
                    // A replica connects with its workload's TLS keys; its own URL's sslmode counts where there are none.
                    tls = TlsResolver.resolve(name, url, prefix == null ? "DB_READ_REPLICAS" : urlKey, d.tlsSetting(d.tlsMode),
                            d.tlsSetting(d.tlsCaFile), d.rawProperties(), d.key(""), problems);
                    // The workload's jdbc-properties were checked with the workload; only the replica's URL can differ.
                    if (TlsResolver.urlParameters(url.jdbcUrl()).keySet().stream()
                            .anyMatch(SocketTimeouts.PROPERTY::equalsIgnoreCase)) {
                        socketTimeout = SocketTimeouts.resolve(name, url.kind(), d.socketKey(), d.socketBuiltIn(), Map.of(),
                                url.jdbcUrl(),
                                prefix == null ? "DB_READ_REPLICAS entry " + index : urlKey, d.statementLimit(), d.key(""),
                                problems);
                    }
                }
            }
            effectiveMin = minSize.orElse(d.minSize.value());
            effectiveMax = maxSize.orElse(d.maxSize.value());
            // Only the replica's own sizes are checked here: the workload's were checked with the workload.
            if (minSize.isEmpty() && maxSize.isEmpty()) {
                return;
            }
            if (effectiveMin < 0) {
                problems.add(prefix + "min-size=" + effectiveMin + ": must be 0 or more");
            }
            if (effectiveMax < 1) {
                problems.add(prefix + "max-size=" + effectiveMax + ": must be at least 1");
            } else if (effectiveMin > effectiveMax) {
                problems.add((maxSize.isPresent() ? prefix + "max-size=" + effectiveMax
                        : "the max-size of workload '" + d.name + "', "
                                + effectiveMax + ",")
                        + " is below " + (minSize.isPresent() ? prefix + "min-size=" + effectiveMin
                                : "the min-size of workload '" + d.name + "', " + effectiveMin)
                        + "; accepted: a max-size of at least the min-size"
                        + (prefix == null ? "" : ", or set " + prefix + "max-size"));
            }
        }

        /** The settings of the replica's pool: its workload's, with the replica's database, size and name. */
        PoolSettings pool(PoolSettings p, Map<String, String> configuredDriverProperties) {
            Optional<String> user = username.or(url::username).or(p::username);
            Optional<Secret> pass = password.map(Secret::new).or(url::password).or(p::password);
            Map<String, String> props = new LinkedHashMap<>(url.driverProperties());
            props.putAll(configuredDriverProperties);
            props.putAll(tls.driverProperties());
            String application = "poolwatch-" + name;
            if (application.length() > 63) {
                application = application.substring(0, 63);
            }
            Map<String, String> sources = new LinkedHashMap<>(p.sources());
            sources.put("url", prefix == null ? "DB_READ_REPLICAS" : prefix + "url");
            sources.put("weight", weightSource);
            sources.put("name", nameSource);
            sources.put("min-size", minSize.isPresent() ? prefix + "min-size" : p.sources().getOrDefault("min-size", BUILT_IN));
            sources.put("max-size", maxSize.isPresent() ? prefix + "max-size" : p.sources().getOrDefault("max-size", BUILT_IN));
            sources.put("initial-size", BUILT_IN);
            username.ifPresent(u -> sources.put("username", prefix + "username"));
            password.ifPresent(u -> sources.put("password", prefix + "password"));
            for (String field : List.of("application-name", "read-only", "critical")) {
                sources.put(field, "built-in for replicas");
            }
            putTlsSources(sources, tls.settings());
            Optional<Duration> socket = p.socketTimeout();
            if (socketTimeout != null) {
                socket = socketTimeout.timeout();
                sources.put("socket-timeout", socketTimeout.source());
            }
            return new PoolSettings(
                    new PoolSettings.Identity(name, p.name(), PoolRole.REPLICA, application, false, p.echo()),
                    new PoolSettings.Target(url, user, pass, props, tls.settings()),
                    new PoolSettings.Sizes(effectiveMin, effectiveMax, effectiveMin),
                    new PoolSettings.Timeouts(p.acquisitionTimeout(), p.connectTimeout(), p.statementTimeout(), socket),
                    p.upkeep(), new PoolSettings.Session(p.isolation(), true), p.readRouting(), List.of(), sources);
        }
    }

    /** Where the TLS mode and CA file in effect came from, shown with the other sources. */
    private static void putTlsSources(Map<String, String> sources, TlsSettings tls) {
        sources.put("tls.mode", tls.modeSource());
        sources.remove("tls.ca-file");
        tls.caFileSource().ifPresent(s -> sources.put("tls.ca-file", s));
    }

    private static MonitoringSettings monitoring(PoolwatchConfig.MonitoringConfig m, SeedEnvironment seed,
            List<String> problems) {
        boolean enabled = m.enabled().or(() -> seed.monitorEnabled).orElse(true);
        Duration slow = m.slowQueryThreshold().or(() -> seed.slowQueryThreshold).orElse(Duration.ofSeconds(1));
        if (slow.isZero()) {
            problems.add(source(m.slowQueryThreshold(), "poolwatch.monitoring.slow-query-threshold", seed.monitoringSources
                    .getOrDefault("slow-query-threshold", BUILT_IN)) + "=0s: must be above zero");
        }
        double errorRate = m.errorRateCritical().or(() -> seed.errorRateCritical).orElse(0.05);
        if (m.errorRateCritical().isPresent() && !(errorRate >= 0 && errorRate <= 1)) {
            problems.add("poolwatch.monitoring.error-rate-critical=" + errorRate
                    + ": accepted: a fraction between 0 and 1, such as 0.05");
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
        Chosen<Duration> validationQueryTimeout;
        Chosen<Duration> leakDetection;
        Chosen<String> autosizeMode;
        Optional<Chosen<Integer>> autosizeFloor;
        Optional<Chosen<Integer>> autosizeCeiling;
        Chosen<Integer> autosizeStep;
        Chosen<Duration> autosizeWaitTarget;
        Chosen<Duration> autosizeRaiseCooldown;
        Chosen<Duration> autosizeLowerAfter;
        PoolSettings.Autosize autosize;
        Chosen<String> isolation;
        Chosen<Duration> statementTimeout;
        Optional<Chosen<Duration>> socketTimeoutKey;
        SocketTimeouts.Result socketTimeout;
        Chosen<Boolean> readOnly;
        Chosen<String> applicationName;
        Chosen<Boolean> critical;
        Chosen<Boolean> echo;
        Chosen<String> readStrategy;
        Chosen<Duration> maxLag;
        Chosen<String> fallback;
        ReadRouting readRouting;
        Optional<Chosen<String>> tlsMode;
        Optional<Chosen<String>> tlsCaFile;
        TlsResolver.Result tls;
        final Map<String, String> jdbcProperties = new LinkedHashMap<>();
        DatabaseUrl parsedUrl;
        IsolationLevel isolationLevel;

        Draft(String name, PoolwatchConfig config, LowerLayers lower, List<String> problems) {
            this.name = name;
            this.problems = problems;
            PoolwatchConfig.PoolConfig own = config.pools().get(name);
            List<Layer> l = new ArrayList<>();
            if (own != null) {
                l.add(new Layer(own, this::key));
            }
            l.add(new Layer(config.defaults(), k -> "poolwatch.defaults." + k));
            l.add(new Layer(lower.seed(), lower::seedSource));
            lower.profile(name).ifPresent(profile -> l.add(new Layer(profile, lower::builtInSource)));
            l.add(new Layer(lower.base(), lower::builtInSource));
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
            backgroundValidation = required("background-validation-interval",
                    PoolwatchConfig.PoolConfig::backgroundValidationInterval);
            validationQueryTimeout = required("validation-query-timeout",
                    PoolwatchConfig.PoolConfig::validationQueryTimeout);
            leakDetection = required("leak-detection-interval", PoolwatchConfig.PoolConfig::leakDetectionInterval);
            autosizeMode = required("autosize.mode", c -> c.autosize().mode());
            autosizeFloor = pick("autosize.floor", c -> c.autosize().floor());
            autosizeCeiling = pick("autosize.ceiling", c -> c.autosize().ceiling());
            autosizeStep = required("autosize.step", c -> c.autosize().step());
            autosizeWaitTarget = required("autosize.wait-target", c -> c.autosize().waitTarget());
            autosizeRaiseCooldown = required("autosize.raise-cooldown", c -> c.autosize().raiseCooldown());
            autosizeLowerAfter = required("autosize.lower-after", c -> c.autosize().lowerAfter());
            isolation = required("transaction-isolation", PoolwatchConfig.PoolConfig::transactionIsolation);
            statementTimeout = required("statement-timeout", PoolwatchConfig.PoolConfig::statementTimeout);
            socketTimeoutKey = pick("socket-timeout", PoolwatchConfig.PoolConfig::socketTimeout);
            readOnly = required("read-only", PoolwatchConfig.PoolConfig::readOnly);
            applicationName = pick("application-name", PoolwatchConfig.PoolConfig::applicationName)
                    .orElseGet(() -> builtIn("application-name", "poolwatch-" + name));
            critical = required("critical", PoolwatchConfig.PoolConfig::critical);
            echo = required("echo", PoolwatchConfig.PoolConfig::echo);
            readStrategy = required("read-routing.strategy", c -> c.readRouting().strategy());
            maxLag = required("read-routing.max-lag", c -> c.readRouting().maxLag());
            fallback = required("read-routing.fallback", c -> c.readRouting().fallback());
            tlsMode = pick("tls.mode", c -> c.tls().mode());
            tlsCaFile = pick("tls.ca-file", c -> c.tls().caFile());
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

        /** A built-in value that is the pool's own, not one of the built-in layers'. */
        private <T> Chosen<T> builtIn(String field, T value) {
            sources.put(field, BUILT_IN);
            return new Chosen<>(value, BUILT_IN);
        }

        private <T> Chosen<T> required(String field, Function<PoolwatchConfig.PoolConfig, Optional<T>> getter) {
            return pick(field, getter).orElseThrow(() -> new IllegalStateException("no built-in value for " + field));
        }

        /** How a chosen value is named in a message: its key, or the built-in value of this workload. */
        private String named(Chosen<?> c, String field) {
            return (c.key().equals(BUILT_IN) ? field + " (built-in for workload '" + name + "')" : c.key()) + "=" + c.value();
        }

        private void validate() {
            // The seed variables' sizes were checked, by their own rules, when they were read: each problem is reported once.
            boolean seedMin = minSize.key().equals("DB_POOL_SIZE");
            boolean seedMax = maxSize.key().startsWith("DB_POOL_SIZE");
            boolean minValid = minSize.value() >= 0 && !(seedMin && minSize.value() < 1);
            if (minSize.value() < 0 && !seedMin) {
                problems.add(named(minSize, "min-size") + ": must be 0 or more");
            }
            if (maxSize.value() < 1) {
                if (!(seedMax && !minValid)) {
                    problems.add(named(maxSize, "max-size") + ": must be at least 1");
                }
            } else if (minValid && minSize.value() > maxSize.value()) {
                problems.add(named(maxSize, "max-size") + " is below " + named(minSize, "min-size") + " for workload '" + name
                        + "'; accepted: a max-size of at least " + minSize.value() + ", or set " + key("max-size"));
            }
            // An initial-size not set anywhere is the min-size, checked above against the max-size.
            boolean initialOwn = !initialSize.key().equals(BUILT_IN);
            if (initialOwn && (initialSize.value() < 0 || (maxSize.value() >= 1 && initialSize.value() > maxSize.value()))) {
                problems.add(named(initialSize, "initial-size") + ": accepted: between 0 and the max-size of workload '" + name
                        + "', " + maxSize.value());
            }
            positive(acquisitionTimeout, "acquisition-timeout");
            positive(connectTimeout, "connect-timeout");
            positive(validationQueryTimeout, "validation-query-timeout");
            validateAutosize();
            Optional<IsolationLevel> level = IsolationLevel.fromText(isolation.value());
            if (level.isEmpty()) {
                problems.add(named(isolation, "transaction-isolation") + ": unknown isolation level; accepted: "
                        + IsolationLevel.ACCEPTED);
            } else {
                isolationLevel = level.get();
            }
            if (applicationName.value().isBlank() || applicationName.value().length() > 63) {
                problems.add(named(applicationName, "application-name") + ": accepted: 1 to 63 characters");
            }
            ReadStrategy strategy = ReadRouting.DEFAULT.strategy();
            ReplicaFallback onNone = ReadRouting.DEFAULT.fallback();
            try {
                strategy = ReadStrategy.parse(readStrategy.value());
            } catch (IllegalArgumentException e) {
                problems.add(named(readStrategy, "read-routing.strategy") + ": " + e.getMessage());
            }
            try {
                onNone = ReplicaFallback.parse(fallback.value());
            } catch (IllegalArgumentException e) {
                problems.add(named(fallback, "read-routing.fallback") + ": " + e.getMessage());
            }
            readRouting = new ReadRouting(strategy, maxLag.value().isZero() ? Optional.empty() : Optional.of(maxLag.value()),
                    onNone);
            url.ifPresent(u -> {
                try {
                    parsedUrl = DatabaseUrl.parse(u.value());
                } catch (IllegalArgumentException e) {
                    // The message masks the URL; the key says where it came from.
                    problems.add(u.key() + ": " + e.getMessage());
                }
            });
            if (parsedUrl != null) {
                tls = TlsResolver.resolve(name, parsedUrl, url.get().key(), tlsSetting(tlsMode), tlsSetting(tlsCaFile),
                        rawProperties(),
                        key(""), problems);
            }
            // Without a URL of its own the pool runs on the embedded database, checked as PostgreSQL here and settled in build.
            socketTimeout = SocketTimeouts.resolve(name, parsedUrl != null ? parsedUrl.kind() : DatabaseKind.POSTGRESQL,
                    socketKey(), socketBuiltIn(), rawProperties(), parsedUrl != null ? parsedUrl.jdbcUrl() : "",
                    url.map(Chosen::key).orElse("url"), statementLimit(), key(""), problems);
            sources.put("socket-timeout", socketTimeout.source());
        }

        /** The autosize keys, each checked against the sizes they bound; the policy is kept only when all hold. */
        private void validateAutosize() {
            int before = problems.size();
            AutosizeMode mode = AutosizeMode.OFF;
            try {
                mode = AutosizeMode.parse(autosizeMode.value());
            } catch (IllegalArgumentException e) {
                problems.add(named(autosizeMode, "autosize.mode") + ": " + e.getMessage());
            }
            int lowest = Math.max(1, minSize.value());
            int floor = autosizeFloor.map(Chosen::value).orElse(lowest);
            if (autosizeFloor.isPresent() && (floor < lowest || floor > maxSize.value())) {
                problems.add(named(autosizeFloor.get(), "autosize.floor") + ": accepted: from " + lowest
                        + " (the min-size, at least 1) to the max-size of workload '" + name + "', " + maxSize.value());
            }
            if (autosizeCeiling.isPresent() && (autosizeCeiling.get().value() < maxSize.value()
                    || autosizeCeiling.get().value() > Limits.AUTOSIZE_CEILING)) {
                problems.add(named(autosizeCeiling.get(), "autosize.ceiling") + ": accepted: from the max-size of workload '"
                        + name + "', " + maxSize.value() + ", to " + Limits.AUTOSIZE_CEILING);
            }
            if (autosizeStep.value() < 1 || autosizeStep.value() > 100) {
                problems.add(named(autosizeStep, "autosize.step") + ": accepted: 1 to 100");
            }
            positive(autosizeWaitTarget, "autosize.wait-target");
            positive(autosizeLowerAfter, "autosize.lower-after");
            if (problems.size() == before) {
                autosize = new PoolSettings.Autosize(mode, floor, autosizeCeiling.map(Chosen::value), autosizeStep.value(),
                        autosizeWaitTarget.value(), autosizeRaiseCooldown.value(), autosizeLowerAfter.value());
            }
        }

        Optional<SocketTimeouts.Keyed> socketKey() {
            return socketTimeoutKey.map(c -> new SocketTimeouts.Keyed(c.value(), c.key()));
        }

        Optional<Duration> socketBuiltIn() {
            return WorkloadProfiles.socketTimeout(name, Optional.of(statementTimeout.value()));
        }

        /** The statement timeout a socket timeout is checked against, with where it came from. */
        SocketTimeouts.Keyed statementLimit() {
            String source = statementTimeout.key().equals(BUILT_IN)
                    ? "the built-in statement-timeout of workload '" + name + "'"
                    : statementTimeout.key();
            return new SocketTimeouts.Keyed(statementTimeout.value(), source);
        }

        Optional<TlsResolver.Setting> tlsSetting(Optional<Chosen<String>> chosen) {
            return chosen.map(c -> new TlsResolver.Setting(c.value(), c.key()));
        }

        /** The merged jdbc-properties, each with the key of the layer it came from. */
        Map<String, TlsResolver.Setting> rawProperties() {
            Map<String, TlsResolver.Setting> out = new LinkedHashMap<>();
            jdbcProperties.forEach((k, v) -> {
                for (Layer layer : layers) {
                    if (layer.values().jdbcProperties().containsKey(k)) {
                        out.put(k, new TlsResolver.Setting(v, layer.keyOf().apply("jdbc-properties." + k)));
                        return;
                    }
                }
            });
            return out;
        }

        private void positive(Chosen<Duration> d, String field) {
            if (d.value().isZero()) {
                problems.add(d.key() + "=0s: " + field + " must be above zero; accepted: " + Durations.ACCEPTED);
            }
        }

        PoolSettings build(DatabaseUrl embedded, List<ReplicaDraft> replicaDrafts) {
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
            // The embedded demo database runs on loopback without TLS; tls.* keys are for a configured database.
            TlsSettings tlsSettings = tls != null ? tls.settings()
                    : new TlsSettings(db.kind().dialect().tls().isPresent(), TlsSettings.driverDefault(db.kind()).mode(),
                            "embedded", Optional.empty(), Optional.empty());
            if (tls != null) {
                props.putAll(tls.driverProperties());
            }
            putTlsSources(sources, tlsSettings);
            Optional<Duration> statement = statementTimeout.value().isZero() ? Optional.empty()
                    : Optional.of(statementTimeout.value());
            Optional<Duration> socket = socketTimeout.timeout();
            if (!db.kind().dialect().networked() && parsedUrl == null) {
                // The embedded database fell back to H2, in this process: no socket to bound.
                socket = Optional.empty();
                sources.put("socket-timeout", socketTimeoutKey.isPresent()
                        ? "not applicable to " + db.kind().dialect().displayName()
                        : BUILT_IN);
            }
            PoolSettings own = new PoolSettings(
                    new PoolSettings.Identity(name, name, PoolRole.PRIMARY, applicationName.value(), critical.value(),
                            echo.value()),
                    new PoolSettings.Target(db, user, pass, props, tlsSettings),
                    new PoolSettings.Sizes(minSize.value(), maxSize.value(), initialSize.value(), autosize),
                    new PoolSettings.Timeouts(acquisitionTimeout.value(), connectTimeout.value(), statement, socket),
                    new PoolSettings.Upkeep(maxLifetime.value(), idleRemoval.value(), validateOnBorrow.value(),
                            backgroundValidation.value(), validationQueryTimeout.value(), leak),
                    new PoolSettings.Session(isolationLevel, readOnly.value()), readRouting, List.of(), sources);
            if (replicaDrafts.isEmpty()) {
                return own;
            }
            List<ReplicaSettings> replicas = new ArrayList<>();
            for (ReplicaDraft r : replicaDrafts) {
                replicas.add(new ReplicaSettings(r.index, r.url, r.weight, r.id, r.name, r.pool(own, jdbcProperties)));
            }
            return own.withReplicas(replicas);
        }
    }
}
