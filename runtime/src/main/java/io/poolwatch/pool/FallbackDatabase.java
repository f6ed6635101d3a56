package io.poolwatch.pool;

import io.poolwatch.engine.DatabaseKind;

/**
 * A database the pools run on when no database URL is configured anywhere. The extension has none: in a host
 * application a missing URL is an error. The standalone service provides its embedded demo database as a bean of this
 * type. {@link PoolRegistry} starts it only when the configuration is otherwise valid, and closes it after the pools.
 */
public interface FallbackDatabase {

    /** Whether this database may be used now (the service's {@code poolwatch.embedded.enabled}). */
    boolean enabled();

    /** The key that switches it off, named in the error when no URL is configured and it is disabled. */
    String enabledKey();

    /** Starts the database and returns its JDBC URL; called at most once. */
    String start();

    /**
     * The engine it is expected to run, so that the configuration can be checked against it before it is started
     * (the checks that depend on the engine are checked again once it runs).
     */
    default DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }

    /** What the log calls it, such as "embedded demo postgresql database". */
    String label();

    /** Stops the database; called once, after every pool is closed. */
    void close();
}
