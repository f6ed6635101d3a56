package io.poolwatch.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;

/**
 * Keeps a value that is not of its key's type (such as {@code max-size=abc}) from failing start-up on its own, before any
 * other problem is known: the configuration mapping sees the key as unset (its built-in value), and the value's problem
 * is kept, to be reported by {@link StartupValidation} with every other problem of the configuration. It never lets a
 * wrong value through silently: start-up is refused whenever one was kept.
 * <p>
 * Registered as a {@link ConfigSourceInterceptor} (ServiceLoader), outside SmallRye's profile and expression interceptors,
 * so it judges the value the mapping would convert.
 */
@Priority(Priorities.APPLICATION + 100)
// TypedKeys reads the mapping's methods and annotations, and creates its converters, at run time: in a native image too.
@RegisterForReflection(targets = { PoolwatchConfig.class,
        PoolwatchConfig.HttpConfig.class,
        PoolwatchConfig.DashboardConfig.class,
        PoolwatchConfig.SecurityConfig.class,
        PoolwatchConfig.ClusterConfig.class,
        PoolwatchConfig.AlertingConfig.class,
        PoolwatchConfig.RuleConfig.class,
        PoolwatchConfig.ReceiverConfig.class,
        PoolwatchConfig.OutboxConfig.class,
        PoolwatchConfig.ConsistencyConfig.class,
        PoolwatchConfig.HealthConfig.class,
        PoolwatchConfig.PoolConfig.class,
        PoolwatchConfig.TlsConfig.class,
        PoolwatchConfig.ReplicaConfig.class,
        PoolwatchConfig.ReadRoutingConfig.class,
        PoolwatchConfig.MonitoringConfig.class,
        PoolwatchConfig.ReadReplicasConfig.class,
        PoolwatchConfig.SamplingConfig.class,
        PoolwatchConfig.ShutdownConfig.class,
        PoolwatchConfig.TransactionsConfig.class,
        Converters.DurationConverter.class,
        Converters.StrictBooleanConverter.class,
        Converters.IntegerConverter.class })
public class UnconvertibleValues implements ConfigSourceInterceptor {

    private static final long serialVersionUID = 1L;

    /** The key under which the kept problems are read back, one per line. */
    static final String PROBLEMS_KEY = "poolwatch.internal.unconvertible-values";
    /** Longer values are shown cut to this many characters. */
    static final int SHOWN = 100;

    private final transient TypedKeys keys;
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    public UnconvertibleValues() {
        this(discover());
    }

    /** The typed keys; none (every value passes to SmallRye, which refuses a wrong one on its own) if they cannot be read. */
    private static TypedKeys discover() {
        try {
            // The application's mappings are seen by the loader that builds its configuration (in tests, not this class's own).
            ClassLoader tccl = Thread.currentThread().getContextClassLoader();
            return TypedKeys.discover(tccl != null ? tccl : UnconvertibleValues.class.getClassLoader());
        } catch (RuntimeException | LinkageError e) {
            Logger.getLogger(UnconvertibleValues.class).debugf(e, "typed configuration keys not read");
            return TypedKeys.of();
        }
    }

    UnconvertibleValues(TypedKeys keys) {
        this.keys = keys;
    }

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        if (name.equals(PROBLEMS_KEY)) {
            return problems.isEmpty() ? null
                    : ConfigValue.builder().withName(PROBLEMS_KEY)
                            .withValue(String.join("\n", new TreeSet<>(problems.values())))
                            .build();
        }
        ConfigValue value = context.proceed(name);
        if (value == null || value.getValue() == null || !name.startsWith("poolwatch.") || value.getValue().contains("${")) {
            return value;
        }
        Optional<TypedKeys.Key> key = keys.key(name);
        if (key.isEmpty() || value.getValue().isBlank()) {
            return value;
        }
        try {
            key.get().converter().apply(value.getValue());
            return value;
        } catch (IllegalArgumentException e) {
            problems.put(name, name + "=" + shown(value.getValue()) + ": " + e.getMessage());
            return key.get().builtIn().map(value::withValue).orElse(null);
        }
    }

    private static String shown(String value) {
        return value.length() <= SHOWN ? value : value.substring(0, SHOWN) + "... (" + value.length() + " characters)";
    }

    /** The values kept from the mapping because they are not of their key's type, each as key, value and what is accepted. */
    public static List<String> problems(Config config) {
        Optional<String> kept = config.getOptionalValue(PROBLEMS_KEY, String.class);
        return kept.map(k -> List.of(k.split("\n"))).orElse(new ArrayList<>());
    }
}
