package io.poolwatch.security;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.Config;

import io.poolwatch.config.ConfigurationCheck;
import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.PoolPlan;
import io.poolwatch.config.PoolwatchConfig;
import io.quarkus.security.identity.IdentityProvider;

/** Security's part of the start-up validation: the decision {@link SecurityMode} will take, and its problems. */
@ApplicationScoped
public class SecurityConfigurationCheck implements ConfigurationCheck {

    private final Config config;
    private final PoolwatchConfig poolwatch;
    private final Instance<IdentityProvider<?>> providers;

    SecurityConfigurationCheck(Config config, PoolwatchConfig poolwatch, Instance<IdentityProvider<?>> providers) {
        this.config = config;
        this.poolwatch = poolwatch;
        this.providers = providers;
    }

    @Override
    public List<String> problems(PoolPlan pools) {
        return problems(config, poolwatch.security(), SecurityMode.hostAuthentication(providers));
    }

    /** The problems {@link SecurityMode} would refuse start-up with; {@code hostAuthentication} as there. */
    public static List<String> problems(Config config, PoolwatchConfig.SecurityConfig security,
            Optional<String> hostAuthentication) {
        try {
            SecurityMode.decide(config, security, hostAuthentication);
            return List.of();
        } catch (InvalidConfigurationException e) {
            return e.problems();
        }
    }
}
