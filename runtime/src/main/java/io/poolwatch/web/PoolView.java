package io.poolwatch.web;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.poolwatch.config.Durations;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.sampling.Autosizer;
import io.poolwatch.sampling.PoolSnapshot;

/**
 * A pool as the API and the page show it: configuration in effect (URL masked, no password), live connection
 * counts, and the latest snapshot.
 *
 * @param sources for each setting, the key or variable that chose it
 * @param snapshot the latest sample, absent before the first
 * @param lastConnectionError the latest failure to open a connection, if any
 * @param lastConnectionErrorAt when it happened
 * @param tls TLS configured and as the server reports it
 * @param server whether the pool's server takes writes, as it said last; absent before it said, and for H2
 * @param maxSize the most connections the pool opens now: its configured max-size unless autosizing changed it
 * @param autosize its autosizing: the policy, the latest answer and the recent changes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PoolView(String name, String workload, String role, String database, String url, String applicationName,
        boolean critical, boolean readOnly, String isolation, int minSize, int maxSize, String acquisitionTimeout,
        String statementTimeout, String socketTimeout, String maxLifetime, String leakDetectionInterval, long open, long leased,
        long idle,
        long awaiting, long acquisitions, int currentLeaks, Map<String, String> sources, PoolSnapshot snapshot,
        String lastConnectionError, Instant lastConnectionErrorAt, TlsView tls, ServerRoleView server,
        Autosizer.View autosize) {

    /**
     * What the pool's server said, on the pool's latest new connection or validation, of whether it takes writes; before
     * any of those answered, what it said to poolwatch's monitoring connection on the same database.
     *
     * @param role {@code primary} (takes writes) or {@code read-only} (a standby, or read_only set)
     * @param since when it first said so
     * @param changes how many times it changed since the pool opened
     * @param primaryReadOnly whether the pool may write and its server refuses writes: every write on it fails
     * @param reached for a pool that writes, the server its newest connection reached (address, and on PostgreSQL when it
     *        started)
     * @param serverChanges how many times that server changed since the pool opened (failovers, restarts)
     */
    public record ServerRoleView(String role, Instant since, long changes, boolean primaryReadOnly, String reached,
            long serverChanges) {

        static ServerRoleView of(WorkloadPool pool) {
            return pool.roles().reading().map(r -> new ServerRoleView(r.role().label(), r.since(), r.changes(),
                    pool.roles().primaryReadOnly(), pool.roles().server().orElse(null), pool.roles().serverChanges()))
                    .orElse(null);
        }
    }

    static PoolView of(WorkloadPool pool, PoolSnapshot snapshot, Autosizer.View autosize) {
        PoolSettings s = pool.settings();
        long open = pool.recorder().open();
        long leased = pool.recorder().leased();
        return new PoolView(s.name(), s.workload(), s.role().label(), s.url().kind().label(), s.url().masked(),
                s.applicationName(),
                s.critical(), s.readOnly(), s.isolation().configName(), s.minSize(), pool.maxSize(),
                Durations.format(s.acquisitionTimeout()),
                s.statementTimeout().map(Durations::format).orElse("none"),
                s.socketTimeout().map(Durations::format).orElse("none"),
                Durations.format(s.maxLifetime()),
                Durations.format(s.leakDetectionInterval()), open, leased, Math.max(0, open - leased),
                pool.recorder().awaiting(),
                pool.recorder().counters().acquired(), pool.recorder().currentLeakCount(), s.sources(), snapshot,
                pool.recorder().lastCreationError().orElse(null), pool.recorder().lastCreationErrorAt().orElse(null),
                TlsView.of(pool), ServerRoleView.of(pool), autosize);
    }
}
