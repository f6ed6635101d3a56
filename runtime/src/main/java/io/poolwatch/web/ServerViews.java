package io.poolwatch.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.sampling.Autosizer;
import io.poolwatch.sampling.ServerSampler;
import io.poolwatch.sampling.ServerSnapshot;
import io.poolwatch.sampling.SizingAdvice;
import io.poolwatch.sampling.SizingAdvisor;

/**
 * What each database server says about its sessions, poolwatch's own pools joined with the server's view of
 * their sessions, and pool-sizing advice, from the latest samples only: for {@code GET /api/v1/server} and the pages.
 */
@Singleton
public class ServerViews {

    private final PoolRegistry registry;
    private final Autosizer autosizer;
    private final ServerSampler servers;
    private final int expectedReplicas;

    ServerViews(PoolRegistry registry, Autosizer autosizer, ServerSampler servers, PoolwatchConfig config) {
        this.registry = registry;
        this.autosizer = autosizer;
        this.servers = servers;
        this.expectedReplicas = config.sampling().expectedReplicas();
    }

    /**
     * @param databases one entry per database server
     * @param advice sizing advice for every pool whose autosizing is off or in dry-run, and for every server
     */
    public record ServerView(List<DatabaseView> databases, List<SizingAdvice> advice) {
    }

    /**
     * @param database the database label
     * @param snapshot the latest read of its session views, absent before the first
     * @param pools poolwatch's pools on it, each with the server's view of its sessions
     */
    public record DatabaseView(String database, String kind, ServerSnapshot snapshot, List<PoolSessions> pools) {
    }

    /**
     * A pool as the pool sees itself and as the server sees it. A pool reporting connections active while the server
     * shows them idle in transaction for long is a leak signal.
     *
     * @param serverSessions the server's sessions with this pool's application name, by state (PostgreSQL only;
     *        empty where the server cannot tell pools apart)
     * @param oldestIdleInTransaction the oldest of those idle in transaction, if any
     */
    public record PoolSessions(String pool, String applicationName, long poolActive, long poolIdle,
            Map<String, Integer> serverSessions,
            Optional<Duration> oldestIdleInTransaction) {
    }

    public ServerView view() {
        List<DatabaseView> databases = new ArrayList<>();
        // A pool's advice is the autosizing computation's answer (its dry-run output); the server's, the configured sum.
        List<SizingAdvice> advice = new ArrayList<>(autosizer.advice());
        for (MonitorTarget target : registry.monitorTargets()) {
            ServerSnapshot snapshot = servers.latest(target.database()).orElse(null);
            List<PoolSessions> joined = new ArrayList<>();
            Map<String, Integer> maxSizes = new LinkedHashMap<>();
            for (String name : target.pools()) {
                WorkloadPool pool = registry.pool(name);
                maxSizes.put(name, pool.maxSize());
                String app = target.applicationNames().get(name);
                Map<String, Integer> byState = new LinkedHashMap<>();
                Optional<Duration> oldestIdleInTx = Optional.empty();
                if (snapshot != null) {
                    for (ServerSnapshot.SessionGroup g : snapshot.sessions()) {
                        if (g.application().equals(app)) {
                            byState.merge(g.state(), g.count(), Integer::sum);
                            if (g.state().startsWith("idle in transaction") && g.oldestStateAge().isPresent()
                                    && (oldestIdleInTx.isEmpty()
                                            || g.oldestStateAge().get().compareTo(oldestIdleInTx.get()) > 0)) {
                                oldestIdleInTx = g.oldestStateAge();
                            }
                        }
                    }
                }
                joined.add(
                        new PoolSessions(name, app, pool.recorder().leased(), pool.recorder().idle(), byState, oldestIdleInTx));
            }
            if (snapshot != null) {
                advice.addAll(SizingAdvisor.forServer(snapshot, maxSizes, monitorConnections(target), expectedReplicas));
            }
            databases.add(new DatabaseView(target.database(), target.kind().label(), snapshot, joined));
        }
        return new ServerView(databases, advice);
    }

    /**
     * poolwatch's monitoring connections to the server of {@code target}: one per database and user it watches there, each kept
     * open.
     */
    private int monitorConnections(MonitorTarget target) {
        return (int) Math.max(1, registry.monitorTargets().stream().filter(t -> t.server().equals(target.server())).count());
    }
}
