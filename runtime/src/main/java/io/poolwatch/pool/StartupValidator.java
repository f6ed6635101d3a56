package io.poolwatch.pool;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.Config;

import io.poolwatch.config.ConfigurationCheck;
import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.PoolPlan;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.StartupValidation;
import io.poolwatch.engine.DatabaseKind;

/**
 * Runs {@link StartupValidation} once, for whichever bean needs a valid configuration first: {@link PoolRegistry} before it
 * starts the fallback database or opens a pool, and the beans that HTTP security creates before that (such as
 * {@code SecurityMode}). Every later call gives the same result: the plan, or the same refusal.
 */
@ApplicationScoped
public class StartupValidator {

    private final PoolwatchConfig config;
    private final Config raw;
    private final Instance<FallbackDatabase> fallbacks;
    private final Instance<ConfigurationCheck> parts;
    private PoolPlan plan;
    private InvalidConfigurationException refused;

    StartupValidator(PoolwatchConfig config, Config raw, Instance<FallbackDatabase> fallbacks,
            Instance<ConfigurationCheck> parts) {
        this.config = config;
        this.raw = raw;
        this.fallbacks = fallbacks;
        this.parts = parts;
    }

    /**
     * The pools as they will be.
     *
     * @throws InvalidConfigurationException listing every problem of every part of the configuration
     */
    public synchronized PoolPlan validate() {
        if (refused != null) {
            throw refused;
        }
        if (plan == null) {
            FallbackDatabase fallback = fallbacks.isResolvable() ? fallbacks.get() : null;
            try {
                plan = StartupValidation.validate(config, raw, fallback != null && fallback.enabled(),
                        fallback != null ? fallback.kind() : DatabaseKind.POSTGRESQL, fallbackNote(fallback), parts);
            } catch (InvalidConfigurationException e) {
                refused = e;
                throw e;
            }
        }
        return plan;
    }

    /** Added to the error for a missing URL when the fallback database is switched off. */
    static String fallbackNote(FallbackDatabase fallback) {
        return fallback != null && !fallback.enabled() ? " (" + fallback.enabledKey() + "=false)" : "";
    }
}
