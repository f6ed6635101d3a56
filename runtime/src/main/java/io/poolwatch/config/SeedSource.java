package io.poolwatch.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.eclipse.microprofile.config.Config;

/**
 * Where the seed environment variables are read from: the process environment through MicroProfile Config, or a map in tests.
 */
public interface SeedSource {

    /** The raw value of a variable, empty when unset or blank. */
    Optional<String> get(String name);

    /** Every variable name known, to find the numbered DB_REPLICA_N_WEIGHT ones. */
    Set<String> names();

    /** Reads through MicroProfile Config, so environment variables, system properties and test profiles all work. */
    static SeedSource of(Config config) {
        return new SeedSource() {
            @Override
            public Optional<String> get(String name) {
                // The raw value: a password may hold "${" and must reach the driver as written.
                String raw = config.getConfigValue(name).getRawValue();
                return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(raw.trim());
            }

            @Override
            public Set<String> names() {
                return StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                        .filter(n -> n.startsWith("DB_") || n.startsWith("DATABASE_")).collect(Collectors.toSet());
            }
        };
    }

    /** A fixed set of variables. */
    static SeedSource of(Map<String, String> values) {
        return new SeedSource() {
            @Override
            public Optional<String> get(String name) {
                String v = values.get(name);
                return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
            }

            @Override
            public Set<String> names() {
                return values.keySet();
            }
        };
    }
}
