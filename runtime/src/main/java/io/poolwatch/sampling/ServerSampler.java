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
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.SlotRefusal;
import io.poolwatch.work.BackgroundWork;
import io.quarkus.runtime.StartupEvent;

/**
 * Reads each database server's session views on a schedule, through poolwatch's own one-connection monitoring
 * pool with a short statement timeout, and keeps the latest snapshot per database. A server that cannot be read
 * is recorded as unavailable and logged once per change, not on every tick.
 * <p>
 * A server is recorded as saturated ({@link ServerSnapshot#saturated()}) when it refused poolwatch's monitoring
 * connection for lack of slots (the snapshot keeps the limits last read), when it refused a workload's connection
 * for lack of slots since the previous sample, or when its sessions fill every non-reserved slot.
 */
@ApplicationScoped
public class ServerSampler {

    private static final Logger LOG = Logger.getLogger(ServerSampler.class);

    private final PoolRegistry registry;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, ServerSnapshot> latest = new ConcurrentHashMap<>();
    private final Map<String, ServerSnapshot> lastReadable = new ConcurrentHashMap<>();

    ServerSampler(PoolRegistry registry) {
        this.registry = registry;
    }

    /** Samples every {@code poolwatch.sampling.server-interval} from start-up on, in a lane of its own. */
    void schedule(@Observes StartupEvent event, BackgroundWork work, PoolwatchConfig config) {
        work.everyInOwnLane("server-sampler", "server session views", config.sampling().serverInterval(),
                () -> registry.configuration().monitoring().enabled(), this::sampleNow);
    }

    /** Reads every server now. */
    public synchronized void sampleNow() {
        for (MonitorTarget target : registry.monitorTargets()) {
            Instant now = clock.instant();
            ServerSnapshot snapshot;
            ServerSnapshot before = latest.get(target.database());
            try (Connection c = target.dataSource().getConnection()) {
                snapshot = ServerStatsReader.read(c, target.kind(), target.database(), now);
            } catch (SQLException e) {
                String reason = "cannot connect: " + (e.getSQLState() == null ? "" : e.getSQLState() + " ") + e.getMessage();
                Optional<SlotRefusal> refusal = SlotRefusal.of(e, SlotRefusal.MONITOR, now);
                snapshot = refusal.isPresent()
                        ? ServerSnapshot.refused(target.database(), target.kind(), now, reason, describe(refusal.get()),
                                Optional.ofNullable(lastReadable.get(target.database())))
                        : ServerSnapshot.unavailable(target.database(), target.kind(), now, reason);
            }
            if (snapshot.available()) {
                lastReadable.put(target.database(), snapshot);
                snapshot = withSaturation(snapshot, target, before);
            }
            ServerSnapshot previous = latest.put(target.database(), snapshot);
            boolean wasAvailable = previous == null || previous.available();
            if (wasAvailable && !snapshot.available()) {
                LOG.warnf("server-side view of %s unavailable: %s", target.database(), snapshot.unavailableReason().orElse(""));
            } else if (!wasAvailable && snapshot.available()) {
                LOG.infof("server-side view of %s available again", target.database());
            }
            boolean wasSaturated = previous != null && previous.saturated();
            if (!wasSaturated && snapshot.saturated()) {
                LOG.warnf("database server of %s saturated: %s", target.database(), snapshot.saturation().orElse(""));
            } else if (wasSaturated && !snapshot.saturated()) {
                LOG.infof("database server of %s has free connection slots again", target.database());
            }
        }
    }

    private static String describe(SlotRefusal r) {
        return "refused " + r.refused() + " for lack of slots: " + r.describe();
    }

    /**
     * A readable snapshot, marked saturated when a workload was refused since the previous sample or no usable slot is left.
     */
    private static ServerSnapshot withSaturation(ServerSnapshot snapshot, MonitorTarget target, ServerSnapshot before) {
        Optional<SlotRefusal> refusal = target.gate().lastRefusal()
                .filter(r -> before == null || r.at().isAfter(before.takenAt()));
        if (refusal.isPresent()) {
            return snapshot.saturated(describe(refusal.get()));
        }
        if (snapshot.maxConnections().isPresent()
                && snapshot.totalSessions() >= snapshot.maxConnections().getAsInt() - snapshot.reservedConnections()) {
            return snapshot.saturated(snapshot.totalSessions() + " sessions take every usable slot (max_connections "
                    + snapshot.maxConnections().getAsInt() + " less " + snapshot.reservedConnections() + " reserved)");
        }
        return snapshot;
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
