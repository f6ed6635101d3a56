package io.poolwatch.sampling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.poolwatch.config.DatabaseKind;

/**
 * What one database server says about its sessions, read by poolwatch's own monitoring connection.
 *
 * @param database a label for the database, {@code host:port/name}, never holding credentials
 * @param kind the engine
 * @param takenAt when it was read
 * @param available false when the server's views could not be read; then {@code unavailableReason} says why
 *        and the figures are empty
 * @param unavailableReason why the views could not be read (missing view, privilege, timeout), if so
 * @param totalSessions client sessions on the whole server (what counts against max_connections)
 * @param sessionsByState client sessions of this database by state (PostgreSQL: active, idle, idle in
 *        transaction, ...; MariaDB: the processlist command, lower-case: sleep, query, ...)
 * @param sessions client sessions of this database grouped by application name (MariaDB: by user) and state
 * @param maxConnections the server's max_connections
 * @param reservedConnections connections reserved for superusers (PostgreSQL superuser_reserved_connections, plus
 *        reserved_connections on 16+); 0 where the server has no such setting
 * @param oldestIdleInTransaction age of the oldest session idle inside an open transaction, if any
 * @param longestRunningStatement age of the longest-running statement other than poolwatch's own query, if any
 * @param longestTransaction age of the oldest open transaction, if any
 */
public record ServerSnapshot(
        String database,
        DatabaseKind kind,
        Instant takenAt,
        boolean available,
        Optional<String> unavailableReason,
        int totalSessions,
        Map<String, Integer> sessionsByState,
        List<SessionGroup> sessions,
        OptionalInt maxConnections,
        int reservedConnections,
        Optional<Duration> oldestIdleInTransaction,
        Optional<Duration> longestRunningStatement,
        Optional<Duration> longestTransaction) {

    public ServerSnapshot {
        sessionsByState = Map.copyOf(sessionsByState);
        sessions = List.copyOf(sessions);
    }

    /**
     * Sessions sharing an application name and a state.
     *
     * @param application application_name (PostgreSQL) or user (MariaDB, H2)
     * @param state as in {@link ServerSnapshot#sessionsByState()}
     * @param count how many
     * @param oldestStateAge how long the oldest of them has been in this state, if the server says
     */
    public record SessionGroup(String application, String state, int count, Optional<Duration> oldestStateAge) {
    }

    /** A snapshot for a server whose views could not be read. */
    public static ServerSnapshot unavailable(String database, DatabaseKind kind, Instant takenAt, String reason) {
        return new ServerSnapshot(database, kind, takenAt, false, Optional.of(reason), 0, Map.of(), List.of(), OptionalInt.empty(), 0,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Share of usable connections in use: totalSessions / (maxConnections - reservedConnections). */
    public Optional<Double> connectionUse() {
        if (!available || maxConnections.isEmpty() || maxConnections.getAsInt() - reservedConnections <= 0) {
            return Optional.empty();
        }
        return Optional.of((double) totalSessions / (maxConnections.getAsInt() - reservedConnections));
    }
}
