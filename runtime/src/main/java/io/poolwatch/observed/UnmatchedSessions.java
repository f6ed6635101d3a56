package io.poolwatch.observed;

/**
 * Sessions no application definition matches, grouped by what they report, shown as a suggestion of what to define.
 *
 * @param database the watched database's label
 * @param applicationName the application name they report ({@code application_name}; MariaDB without
 *        performance_schema: empty)
 * @param user the database user (MariaDB without performance_schema: the grouping key)
 * @param sessions how many
 * @param instances distinct client addresses (MariaDB: hosts)
 */
public record UnmatchedSessions(String database, String applicationName, String user, int sessions, int instances) {
}
