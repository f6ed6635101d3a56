package io.poolwatch.observed;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.sampling.Trends;
import io.poolwatch.work.BackgroundWork;
import io.quarkus.runtime.StartupEvent;

/**
 * Reads each watched database server's sessions on {@code poolwatch.sampling.server-interval} and matches them to the
 * applications defined under {@code poolwatch.applications}; sessions no definition matches become suggestions.
 * <p>
 * Each database is read with one query over poolwatch's own monitoring connection (the one the server-side view uses,
 * so the read takes no workload's capacity and no extra slot on the server). It reads even with no application defined,
 * since the suggestions are what tell a user what to define. A server that cannot be read gives unavailable snapshots
 * with the reason, logged once per change.
 */
@ApplicationScoped
public class ApplicationSampler {

    private static final Logger LOG = Logger.getLogger(ApplicationSampler.class);

    /**
     * What the latest read of one database gave, besides the snapshots.
     *
     * @param database the database's label
     * @param takenAt when it was read
     * @param available whether its views could be read
     * @param unavailableReason why not, if so
     * @param sessionsRead the sessions read
     * @param sessionsOmitted the sessions beyond {@link ApplicationSessionReader#DEFAULT_LIMIT}, counted but not matched
     * @param applicationNames whether the server reports application names (not MariaDB without performance_schema)
     */
    public record DatabaseRead(String database, Instant takenAt, boolean available, Optional<String> unavailableReason,
            int sessionsRead,
            int sessionsOmitted, boolean applicationNames) {
    }

    private record Sample(Map<String, List<ApplicationSnapshot>> byApplication, List<UnmatchedSessions> suggestions,
            List<DatabaseRead> databases) {
    }

    private final Supplier<List<MonitorTarget>> targets;
    private final BooleanSupplier enabled;
    private final List<ApplicationDefinition> definitions;
    private final int limit;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, DatabaseRead> lastRead = new ConcurrentHashMap<>();
    private volatile Sample latest = new Sample(Map.of(), List.of(), List.of());

    /** Where each sample's figures go for the 24-hour trends; null where nothing keeps them (tests, benchmarks). */
    private volatile Trends trends;

    @Inject
    ApplicationSampler(PoolRegistry registry, PoolwatchConfig config, Trends trends) {
        this(registry::monitorTargets, () -> registry.configuration().monitoring().enabled(),
                ApplicationDefinitions.parse(config.applications()).definitions(), ApplicationSessionReader.DEFAULT_LIMIT);
        this.trends = trends;
    }

    /**
     * A sampler of these definitions over these monitoring targets, reading at most {@code limit} sessions per database
     * (tests and benchmarks build one over their own connections).
     */
    public ApplicationSampler(Supplier<List<MonitorTarget>> targets, BooleanSupplier enabled,
            List<ApplicationDefinition> definitions,
            int limit) {
        this.targets = targets;
        this.enabled = enabled;
        this.definitions = List.copyOf(definitions);
        this.limit = limit;
    }

    /** Samples every {@code poolwatch.sampling.server-interval} from start-up on, in a lane of its own. */
    void schedule(@Observes StartupEvent event, BackgroundWork work, PoolwatchConfig config) {
        work.everyInOwnLane("application-sampler", "application sessions read", config.sampling().serverInterval(),
                enabled, this::sampleNow);
    }

    /** Reads every watched server now. */
    public synchronized void sampleNow() {
        List<SessionRead> reads = new ArrayList<>();
        for (MonitorTarget target : targets.get()) {
            Instant now = clock.instant();
            SessionRead read;
            try (Connection c = target.dataSource().getConnection()) {
                read = ApplicationSessionReader.read(c, target.kind(), target.database(), now,
                        target.applicationNames().values(), limit);
            } catch (SQLException e) {
                read = SessionRead.unavailable(target.database(), now,
                        "cannot connect: " + (e.getSQLState() == null ? "" : e.getSQLState() + " ") + e.getMessage());
            }
            reads.add(read);
        }
        record(reads);
    }

    /** Matches the reads of every database and makes them the latest sample; logs what changed. */
    void record(List<SessionRead> reads) {
        Map<String, List<ApplicationSnapshot>> byApplication = new LinkedHashMap<>();
        definitions.stream().map(ApplicationDefinition::name).sorted().forEach(n -> byApplication.put(n, new ArrayList<>()));
        List<UnmatchedSessions> unmatched = new ArrayList<>();
        List<DatabaseRead> databases = new ArrayList<>();
        for (SessionRead read : reads) {
            ApplicationTally.Result result = ApplicationTally.tally(read, definitions);
            result.snapshots().forEach(s -> byApplication.get(s.application()).add(s));
            unmatched.addAll(result.unmatched());
            DatabaseRead db = new DatabaseRead(read.database(), read.takenAt(), read.available(), read.unavailableReason(),
                    read.sessions().size(), read.omitted(), read.applicationNames());
            databases.add(db);
            logChange(lastRead.put(read.database(), db), db);
        }
        Map<String, List<ApplicationSnapshot>> frozen = new LinkedHashMap<>();
        byApplication.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        latest = new Sample(Collections.unmodifiableMap(frozen), ApplicationTally.largestFirst(unmatched),
                List.copyOf(databases));
        if (trends != null) {
            frozen.forEach((application, snapshots) -> trend(trends, application, snapshots));
        }
    }

    /**
     * One application's figures for the trends, over every database it was read on: sessions and sessions idle in a
     * transaction summed, utilization and the longest transaction the highest. Nothing when no database could be read.
     */
    static void trend(Trends trends, String application, List<ApplicationSnapshot> snapshots) {
        List<ApplicationSnapshot> read = snapshots.stream().filter(ApplicationSnapshot::available).toList();
        if (read.isEmpty()) {
            return;
        }
        Instant at = read.get(0).takenAt();
        trends.record(Trends.APPLICATION, application, "sessions", at,
                read.stream().mapToInt(ApplicationSnapshot::sessions).sum());
        trends.record(Trends.APPLICATION, application, "utilization", at,
                read.stream().map(ApplicationSnapshot::utilization).filter(OptionalDouble::isPresent)
                        .mapToDouble(OptionalDouble::getAsDouble).max().orElse(Double.NaN));
        trends.record(Trends.APPLICATION, application, "idle_in_transaction", at,
                read.stream().mapToInt(ApplicationSnapshot::idleInTransaction).sum());
        trends.record(Trends.APPLICATION, application, "longest_transaction", at,
                read.stream().map(ApplicationSnapshot::longestTransaction)
                        .flatMap(Optional::stream).mapToDouble(d -> d.toMillis() / 1000.0).max().orElse(0));
    }

    private static void logChange(DatabaseRead previous, DatabaseRead now) {
        boolean wasAvailable = previous == null || previous.available();
        if (wasAvailable && !now.available()) {
            LOG.warnf("sessions of %s unreadable for the applications' view: %s", now.database(),
                    now.unavailableReason().orElse(""));
        } else if (!wasAvailable && now.available()) {
            LOG.infof("sessions of %s readable again for the applications' view", now.database());
        }
        boolean wasCut = previous != null && previous.sessionsOmitted() > 0;
        if (!wasCut && now.sessionsOmitted() > 0) {
            LOG.warnf("%s has more sessions than the %d read per sample; %d were counted but not matched to applications",
                    now.database(), now.sessionsRead(), now.sessionsOmitted());
        } else if (wasCut && now.available() && now.sessionsOmitted() == 0) {
            LOG.infof("every session of %s is read again for the applications' view", now.database());
        }
    }

    /** The latest snapshot of every defined application, on every database it was looked for on. */
    public List<ApplicationSnapshot> all() {
        List<ApplicationSnapshot> out = new ArrayList<>();
        latest.byApplication().values().forEach(out::addAll);
        return out;
    }

    /** The latest snapshots of one application (one per database), empty when it is not defined. */
    public List<ApplicationSnapshot> latest(String application) {
        return latest.byApplication().getOrDefault(application, List.of());
    }

    /** Whether an application of that name is defined. */
    public boolean defined(String application) {
        return definitions.stream().anyMatch(d -> d.name().equals(application));
    }

    /** Sessions no definition matched at the latest sample, grouped; bounded. */
    public List<UnmatchedSessions> suggestions() {
        return latest.suggestions();
    }

    /** The applications defined (those whose configuration is valid), most specific first. */
    public List<ApplicationDefinition> definitions() {
        return definitions;
    }

    /** A definition by name, if defined. */
    public Optional<ApplicationDefinition> definition(String application) {
        return definitions.stream().filter(d -> d.name().equals(application)).findFirst();
    }

    /** What the latest read of each database gave (sessions read and omitted, availability). */
    public List<DatabaseRead> databases() {
        return latest.databases();
    }
}
