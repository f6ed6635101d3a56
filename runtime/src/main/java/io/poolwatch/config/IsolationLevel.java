package io.poolwatch.config;

import java.sql.Connection;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Transaction isolation levels, with the names operators write and the JDBC constants drivers take. */
public enum IsolationLevel {
    READ_UNCOMMITTED(Connection.TRANSACTION_READ_UNCOMMITTED),
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE);

    /** The names accepted in configuration. */
    public static final String ACCEPTED = Arrays.stream(values()).map(IsolationLevel::configName)
            .collect(Collectors.joining(", "));

    private final int jdbcLevel;

    IsolationLevel(int jdbcLevel) {
        this.jdbcLevel = jdbcLevel;
    }

    /** The java.sql.Connection constant. */
    public int jdbcLevel() {
        return jdbcLevel;
    }

    /** The configuration spelling: read-committed. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Reads read-committed, READ_COMMITTED or "read committed"; empty when the text is none of them. */
    public static Optional<IsolationLevel> fromText(String text) {
        String normal = text.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return Arrays.stream(values()).filter(l -> l.name().equals(normal)).findFirst();
    }
}
