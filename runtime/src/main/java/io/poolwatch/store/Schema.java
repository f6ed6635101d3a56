package io.poolwatch.store;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import io.poolwatch.engine.DatabaseKind;

/**
 * poolwatch's own tables in a database (the outbox, silences, audit, check cursors and the cluster's lock table),
 * created and migrated by Flyway from the migrations under {@code db/outbox/<engine>}, with a history table of their
 * own ({@code poolwatch_schema_history}, never the application's). On PostgreSQL they live in a schema of their own,
 * {@code poolwatch}; on MariaDB and H2 they are prefixed {@code poolwatch_} in the connection's database.
 * <p>
 * Used through {@link Database}, which every store (and the cluster's locks) opens its tables with.
 */
final class Schema {

    /** Flyway's history table for these migrations, apart from any the application keeps. */
    static final String HISTORY_TABLE = "poolwatch_schema_history";
    /** The schema of poolwatch's tables on engines that have one of their own (PostgreSQL). */
    static final String SCHEMA = "poolwatch";

    private Schema() {
    }

    /**
     * Whether the tables live in schema {@value #SCHEMA} of their own (PostgreSQL) rather than prefixed in the connection's
     * database.
     */
    static boolean ownSchema(DatabaseKind kind) {
        return kind.dialect().ownSchema();
    }

    /**
     * The name of one of poolwatch's tables on an engine: {@code poolwatch.outbox} on PostgreSQL, {@code poolwatch_outbox}
     * elsewhere. The migrations create them under these names.
     */
    static String table(DatabaseKind kind, String name) {
        return ownSchema(kind) ? SCHEMA + "." + name : "poolwatch_" + name;
    }

    /**
     * Creates or updates the tables; idempotent, and safe while other poolwatch processes do the same (Flyway locks).
     *
     * @param location for people, in the message of a failure: {@code workload main, table poolwatch.outbox}
     * @throws MigrationException when the migrations cannot be run
     */
    static void migrate(DataSource dataSource, DatabaseKind kind, String location) {
        try {
            FluentConfiguration flyway = Flyway.configure(Schema.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/outbox/" + kind.dialect().migrations())
                    .table(HISTORY_TABLE)
                    // A workload's database already has the application's tables: start the history at 0 so V1 still runs.
                    .baselineOnMigrate(true)
                    .baselineVersion("0");
            if (ownSchema(kind)) {
                flyway.schemas(SCHEMA).createSchemas(true);
            }
            flyway.load().migrate();
        } catch (RuntimeException e) {
            throw new MigrationException("migrating the outbox (" + location + ") failed: " + e.getMessage(), e);
        }
    }

    /**
     * The migrations could not be run: the database is down, refuses the DDL, or has a history these migrations do not match.
     */
    static final class MigrationException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MigrationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
