package io.poolwatch.observed;

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
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.work.BackgroundWork;
import io.quarkus.runtime.StartupEvent;

/**
 * Reads who blocks whom on each watched database on {@code poolwatch.sampling.server-interval}, through the database's
 * one-connection monitoring pool (the same connection the server sampler uses, so it opens none of its own), and keeps
 * the latest snapshot per database. A database whose views cannot be read is recorded as unavailable and logged once per
 * change, not on every tick. Off with {@code poolwatch.blocking.enabled=false} or {@code DB_MONITOR_ENABLED=false}.
 */
@ApplicationScoped
public class BlockingSampler {

    private static final Logger LOG = Logger.getLogger(BlockingSampler.class);

    private final PoolRegistry registry;
    private final PoolwatchConfig.BlockingConfig config;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, BlockingSnapshot> latest = new ConcurrentHashMap<>();

    BlockingSampler(PoolRegistry registry, PoolwatchConfig config) {
        this.registry = registry;
        this.config = config.blocking();
    }

    /** Samples every {@code poolwatch.sampling.server-interval} from start-up on, in a lane of its own. */
    void schedule(@Observes StartupEvent event, BackgroundWork work, PoolwatchConfig config) {
        work.everyInOwnLane("blocking-sampler", "blocking read", config.sampling().serverInterval(), this::enabled,
                this::sampleNow);
    }

    /** Whether blocking is read at all: {@code poolwatch.blocking.enabled} and the server-side views are both on. */
    public boolean enabled() {
        return config.enabled() && registry.configuration().monitoring().enabled();
    }

    /** Reads every watched database now (nothing when {@linkplain #enabled() off}). */
    public synchronized void sampleNow() {
        if (!enabled()) {
            return;
        }
        for (MonitorTarget target : registry.monitorTargets()) {
            Instant now = clock.instant();
            BlockingSnapshot snapshot;
            try (Connection c = target.dataSource().getConnection()) {
                snapshot = BlockingReader.read(c, target.kind(), target.database(), now, config.maxSessions());
            } catch (SQLException e) {
                snapshot = BlockingReader.unavailable(target.database(), now,
                        "cannot connect: " + (e.getSQLState() == null ? "" : e.getSQLState() + " ") + e.getMessage());
            }
            BlockingSnapshot previous = latest.put(target.database(), snapshot);
            boolean wasAvailable = previous == null || previous.available();
            if (wasAvailable && !snapshot.available() && !target.kind().dialect().showsLockWaits()) {
                // Not a fault: H2 never shows lock waits, so this is said once, quietly.
                LOG.debugf("who blocks whom on %s is not shown: %s", target.database(),
                        snapshot.unavailableReason().orElse(""));
            } else if (wasAvailable && !snapshot.available()) {
                LOG.warnf("who blocks whom on %s cannot be read: %s", target.database(),
                        snapshot.unavailableReason().orElse(""));
            } else if (previous != null && !wasAvailable && snapshot.available()) {
                LOG.infof("who blocks whom on %s can be read again", target.database());
            }
        }
    }

    /** The latest snapshot of every watched database that has been read, in the order the databases are configured. */
    public List<BlockingSnapshot> all() {
        List<BlockingSnapshot> out = new ArrayList<>();
        for (MonitorTarget t : registry.monitorTargets()) {
            latest(t.database()).ifPresent(out::add);
        }
        return out;
    }

    /** The latest snapshot of one database. */
    public Optional<BlockingSnapshot> latest(String database) {
        return Optional.ofNullable(latest.get(database));
    }
}
