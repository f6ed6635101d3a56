package io.poolwatch.pool;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.poolwatch.engine.DatabaseKind;

/**
 * A database server poolwatch reads session views from, through its own one-connection pool, so the
 * server-side view never takes a workload's capacity; that connection is kept, and reopened ahead of the workloads'.
 *
 * @param database label of the database, {@code host:port/name}
 * @param kind the engine
 * @param dataSource the monitoring pool (at most one connection, short statement timeout, read-only)
 * @param pools the workload pools on this database
 * @param applicationNames for each of those pools, the application name it shows the server
 * @param gate what gives the monitoring connection priority over the workloads' and keeps the latest refusal for lack
 *        of slots
 */
public record MonitorTarget(String database, DatabaseKind kind, DataSource dataSource, List<String> pools,
        Map<String, String> applicationNames, MonitorGate gate) {

    /** The server of the database, {@code host:port}: what its connection limit and sessions belong to. */
    public String server() {
        int slash = database.indexOf('/');
        return slash < 0 ? database : database.substring(0, slash);
    }
}
