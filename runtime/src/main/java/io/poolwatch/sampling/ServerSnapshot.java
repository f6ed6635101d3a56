package io.poolwatch.sampling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.poolwatch.engine.DatabaseKind;

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
 * @param saturated whether the server has no connection slot left for poolwatch's pools: it refused a connection
 *        (poolwatch's monitoring connection, or a workload's since the previous sample) for lack of slots (PostgreSQL
 *        SQLSTATE 53300, MariaDB error 1040), or every non-reserved slot is taken. A saturated server answers: it is not
 *        unreachable
 * @param saturation why it counts as saturated: the refusal quoted with whose connection it refused, or the sessions
 *        against the limit
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
        Optional<Duration> longestTransaction,
        boolean saturated,
        Optional<String> saturation) {

    public ServerSnapshot {
        sessionsByState = Map.copyOf(sessionsByState);
        sessions = List.copyOf(sessions);
    }

    /** A snapshot that says nothing about saturation (as the reader returns it). */
    public ServerSnapshot(String database, DatabaseKind kind, Instant takenAt, boolean available,
            Optional<String> unavailableReason,
            int totalSessions, Map<String, Integer> sessionsByState, List<SessionGroup> sessions, OptionalInt maxConnections,
            int reservedConnections, Optional<Duration> oldestIdleInTransaction, Optional<Duration> longestRunningStatement,
            Optional<Duration> longestTransaction) {
        this(database, kind, takenAt, available, unavailableReason, totalSessions, sessionsByState, sessions, maxConnections,
                reservedConnections, oldestIdleInTransaction, longestRunningStatement, longestTransaction, false,
                Optional.empty());
    }

    /** This snapshot, marked saturated for this reason. */
    public ServerSnapshot saturated(String reason) {
        return new ServerSnapshot(database, kind, takenAt, available, unavailableReason, totalSessions, sessionsByState,
                sessions,
                maxConnections, reservedConnections, oldestIdleInTransaction, longestRunningStatement, longestTransaction, true,
                Optional.of(reason));
    }

    /**
     * A snapshot for a server that refused poolwatch's monitoring connection for lack of slots: its views could not be
     * read, but its limits are those of the {@code previous} readable snapshot, if any, and the refusal says every
     * usable slot is taken, so its sessions count as {@code max_connections - reserved}.
     */
    public static ServerSnapshot refused(String database, DatabaseKind kind, Instant takenAt, String reason, String saturation,
            Optional<ServerSnapshot> previous) {
        OptionalInt max = previous.map(ServerSnapshot::maxConnections).orElse(OptionalInt.empty());
        int reserved = previous.map(ServerSnapshot::reservedConnections).orElse(0);
        int sessions = max.isPresent() ? Math.max(0, max.getAsInt() - reserved) : 0;
        return new ServerSnapshot(database, kind, takenAt, false, Optional.of(reason), sessions, Map.of(), List.of(), max,
                reserved,
                Optional.empty(), Optional.empty(), Optional.empty(), true, Optional.of(saturation));
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
        return new ServerSnapshot(database, kind, takenAt, false, Optional.of(reason), 0, Map.of(), List.of(),
                OptionalInt.empty(), 0,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * Share of usable connections in use: totalSessions / (maxConnections - reservedConnections). A saturated server
     * counts as at its limit at least (1.0), even where its views could not be read.
     */
    public Optional<Double> connectionUse() {
        if ((!available && !saturated) || maxConnections.isEmpty() || maxConnections.getAsInt() - reservedConnections <= 0) {
            return saturated ? Optional.of(1.0) : Optional.empty();
        }
        double use = (double) totalSessions / (maxConnections.getAsInt() - reservedConnections);
        return Optional.of(saturated ? Math.max(1.0, use) : use);
    }
}
