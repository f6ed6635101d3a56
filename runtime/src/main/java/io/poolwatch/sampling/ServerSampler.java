package io.poolwatch.sampling;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.pool.PoolRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * Reads each database server's session views on a schedule, through poolwatch's own one-connection monitoring
 * pool with a short statement timeout, and keeps the latest snapshot per database. A server that cannot be read
 * is recorded as unavailable and logged once per change, not on every tick.
 */
@ApplicationScoped
public class ServerSampler {

    private static final Logger LOG = Logger.getLogger(ServerSampler.class);

    private final PoolRegistry registry;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, ServerSnapshot> latest = new ConcurrentHashMap<>();

    ServerSampler(PoolRegistry registry) {
        this.registry = registry;
    }

    @Scheduled(identity = "server-sampler", every = "${poolwatch.sampling.server-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledSample() {
        if (!registry.configuration().monitoring().enabled()) {
            return;
        }
        try {
            sampleNow();
        } catch (RuntimeException e) {
            LOG.errorf(e, "reading the servers' session views failed");
        }
    }

    /** Reads every server now. */
    public synchronized void sampleNow() {
        for (MonitorTarget target : registry.monitorTargets()) {
            Instant now = clock.instant();
            ServerSnapshot snapshot;
            try (Connection c = target.dataSource().getConnection()) {
                snapshot = ServerStatsReader.read(c, target.kind(), target.database(), now);
            } catch (SQLException e) {
                snapshot = ServerSnapshot.unavailable(target.database(), target.kind(), now,
                        "cannot connect: " + (e.getSQLState() == null ? "" : e.getSQLState() + " ") + e.getMessage());
            }
            ServerSnapshot previous = latest.put(target.database(), snapshot);
            boolean wasAvailable = previous == null || previous.available();
            if (wasAvailable && !snapshot.available()) {
                LOG.warnf("server-side view of %s unavailable: %s", target.database(), snapshot.unavailableReason().orElse(""));
            } else if (!wasAvailable && snapshot.available()) {
                LOG.infof("server-side view of %s available again", target.database());
            }
        }
    }

    /** The latest snapshot of a database, if one was read. */
    public Optional<ServerSnapshot> latest(String database) {
        return Optional.ofNullable(latest.get(database));
    }

    /** The latest snapshot of every database read so far. */
    public List<ServerSnapshot> all() {
        List<ServerSnapshot> out = new ArrayList<>();
        for (MonitorTarget t : registry.monitorTargets()) {
            latest(t.database()).ifPresent(out::add);
        }
        return out;
    }
}
