package io.poolwatch.simulator;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.pool.FallbackDatabase;

/** The standalone service's fallback database: the embedded demo database, started only when no URL is configured. */
@ApplicationScoped
public class EmbeddedFallback implements FallbackDatabase {

    private final EmbeddedConfig config;
    private volatile EmbeddedDatabase database;

    EmbeddedFallback(EmbeddedConfig config) {
        this.config = config;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    @Override
    public String enabledKey() {
        return "poolwatch.embedded.enabled";
    }

    /** Starts the embedded database; the URL holds the demo role's password, which poolwatch keeps as a secret. */
    @Override
    public synchronized String start() {
        if (database == null) {
            database = EmbeddedDatabase.start(config);
        }
        return database.poolUrl();
    }

    @Override
    public DatabaseKind kind() {
        return config.kind() == EmbeddedConfig.EmbeddedKind.H2 ? DatabaseKind.H2 : DatabaseKind.POSTGRESQL;
    }

    @Override
    public String label() {
        EmbeddedDatabase db = database;
        return db == null ? "embedded demo database" : "embedded demo " + db.kind().label() + " database";
    }

    @Override
    public synchronized void close() {
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
