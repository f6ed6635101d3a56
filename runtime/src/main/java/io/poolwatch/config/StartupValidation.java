package io.poolwatch.config;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.Config;

import io.poolwatch.engine.DatabaseKind;

/**
 * Checks the whole configuration at once, before any database is started or any pool opened: values that are not of
 * their key's type, the pools and seed variables, the transaction settings, and every {@link ConfigurationCheck} (checks,
 * alert rules, receivers, outbox, sampling, health, cluster, security, and whatever the application adds, such as the
 * service's simulator). One {@link InvalidConfigurationException} lists every problem, each once.
 */
public final class StartupValidation {

    private StartupValidation() {
    }

    /**
     * Validates everything.
     *
     * @param config the {@code poolwatch.*} mapping
     * @param raw the whole configuration (seed variables, Quarkus's own keys, values that were not convertible)
     * @param fallback whether a fallback database would be started when no URL is configured
     * @param fallbackKind the engine the fallback database is expected to run
     * @param fallbackNote added to the error for a missing URL, such as " (poolwatch.embedded.enabled=false)"
     * @param parts every part's check
     * @return the pools as they will be
     * @throws InvalidConfigurationException listing every problem of every part
     */
    public static PoolPlan validate(PoolwatchConfig config, Config raw, boolean fallback, DatabaseKind fallbackKind,
            String fallbackNote,
            Iterable<? extends ConfigurationCheck> parts) {
        List<String> problems = new ArrayList<>(UnconvertibleValues.problems(raw));
        PoolPlan pools = PoolSettingsResolver.plan(config, SeedSource.of(raw), fallback, fallbackKind, fallbackNote);
        problems.addAll(pools.problems());
        try {
            TransactionSettings.of(config.transactions());
        } catch (InvalidConfigurationException e) {
            problems.addAll(e.problems());
        }
        for (ConfigurationCheck part : parts) {
            try {
                problems.addAll(part.problems(pools));
            } catch (InvalidConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return pools;
    }
}
