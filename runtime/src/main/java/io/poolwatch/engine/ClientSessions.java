package io.poolwatch.engine;

import java.util.List;

/**
 * The client sessions of one database, as the server's views report them, for matching to applications.
 *
 * @param sessions those read, at most the limit asked for
 * @param total every one the server counted, read or not
 * @param applicationNames whether the server says each session's application name (MariaDB only with performance_schema)
 */
public record ClientSessions(List<ObservedSession> sessions, int total, boolean applicationNames) {

    public ClientSessions {
        sessions = List.copyOf(sessions);
    }
}
