package io.poolwatch.config;

import java.util.List;

/**
 * One part of the configuration (checks, alerting, security, the service's simulator ...), checked at start-up before
 * any database is started or any pool opened. Each part is a bean of this type; {@link StartupValidation} asks every
 * one of them, together with the pools' own problems, and refuses start-up once with all of them.
 */
public interface ConfigurationCheck {

    /**
     * Every problem of this part, each naming its key, its value and what is accepted; empty when there is none.
     * Must not open a connection or start anything.
     *
     * @param pools the pools as they will be, to check references to workloads against
     */
    List<String> problems(PoolPlan pools);
}
