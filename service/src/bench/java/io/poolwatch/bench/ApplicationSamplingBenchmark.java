package io.poolwatch.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.observed.ApplicationDefinition;
import io.poolwatch.observed.ApplicationSessionReader;
import io.poolwatch.observed.ApplicationTally;
import io.poolwatch.observed.ClientNetwork;
import io.poolwatch.observed.Glob;
import io.poolwatch.engine.ObservedSession;
import io.poolwatch.observed.SessionRead;

/**
 * The applications' sampling cost on a real PostgreSQL: one sample of one database is the read of its sessions (one
 * query on pg_stat_activity over the monitoring connection) and their matching to the definitions. {@code sample} is
 * both, as {@code ApplicationSampler} does them once per database and server interval; {@code matchOnly} is the
 * matching of the same sessions alone; {@code matchAtLimit} the matching of 5,000 made-up sessions, the most a sample reads. The benchmark opens {@code sessions} sessions of its own, under 25 application
 * names, and defines {@code applications} applications: a third exact names, a third globs, a third with a user and a
 * client network too, so every kind of condition is tried. The connection is held as the monitoring pool holds its one
 * connection (the pool's borrow, a few microseconds, is not in the figure). Needs PostgreSQL on 127.0.0.1:5432
 * (override with -Dbench.url=...).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
public class ApplicationSamplingBenchmark {

    static final int NAMES = 25;

    @Param({ "1", "10", "50" })
    int applications;

    @Param({ "50" })
    int sessions;

    private final List<Connection> open = new ArrayList<>();
    private Connection monitor;
    private List<ApplicationDefinition> definitions;
    private SessionRead read;
    private SessionRead atLimit;
    private String label;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        String url = System.getProperty("bench.url", "jdbc:postgresql://127.0.0.1:5432/poolwatch_test?user=postgres");
        label = "bench/" + url.replaceAll(".*/([^/?]+).*", "$1");
        Properties monitorProps = new Properties();
        monitorProps.setProperty("ApplicationName", "poolwatch-monitor");
        monitor = DriverManager.getConnection(url, monitorProps);
        for (int i = 0; i < sessions; i++) {
            Properties p = new Properties();
            p.setProperty("ApplicationName", "bench-app-" + (i % NAMES));
            Connection c = DriverManager.getConnection(url, p);
            if (i % 10 == 0) {
                // Some sessions idle inside a transaction, as real applications leave them.
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.executeQuery("SELECT 1").close();
                }
            }
            open.add(c);
        }
        definitions = new ArrayList<>();
        for (int i = 0; i < applications; i++) {
            Glob name = switch (i % 3) {
                case 0 -> Glob.of("bench-app-" + i);
                case 1 -> Glob.of("bench-app-" + i + "*");
                default -> Glob.of("bench-*-" + i);
            };
            Optional<Glob> user = i % 3 == 2 ? Optional.of(Glob.of("post*")) : Optional.empty();
            Optional<ClientNetwork> net = i % 3 == 2 ? Optional.of(ClientNetwork.parse("127.0.0.0/8")) : Optional.empty();
            definitions.add(new ApplicationDefinition("app-" + i, name, user, net, Optional.empty(), OptionalInt.of(10)));
        }
        // The most one sample matches: the reader's limit of sessions, from 500 names, 50 addresses and 2 users.
        List<ObservedSession> many = new ArrayList<>();
        for (int i = 0; i < ApplicationSessionReader.DEFAULT_LIMIT; i++) {
            many.add(new ObservedSession("bench-app-" + (i % 500), i % 2 == 0 ? "postgres" : "app", "127.0.0." + (i % 50),
                    i % 10 == 0 ? "idle in transaction" : "idle", i % 10 == 0, Optional.of(Duration.ofMillis(i)), Optional.empty(),
                    Optional.empty(), false));
        }
        atLimit = new SessionRead(label, Instant.now(), true, Optional.empty(), many, 0, true);
        read = readNow();
        if (!read.available() || read.sessions().size() < sessions) {
            throw new IllegalStateException("the benchmark's sessions are not all read: " + read.unavailableReason() + ", "
                    + read.sessions().size() + " of at least " + sessions);
        }
    }

    private SessionRead readNow() {
        return ApplicationSessionReader.read(monitor, DatabaseKind.POSTGRESQL, label, Instant.now(), List.of(),
                ApplicationSessionReader.DEFAULT_LIMIT);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        SessionRead last = readNow();
        ApplicationTally.Result r = ApplicationTally.tally(last, definitions);
        int matched = r.snapshots().stream().mapToInt(s -> s.sessions()).sum();
        // The work, printed beside the score: what one sample read and matched, over how many connections.
        System.out.printf("%nwork applications=%d sessions-read=%d matched=%d unmatched-groups=%d queries-per-sample=1 connections=1%n",
                applications, last.sessions().size(), matched, r.unmatched().size());
        for (Connection c : open) {
            c.close();
        }
        monitor.close();
    }

    @Benchmark
    public ApplicationTally.Result sample() {
        return ApplicationTally.tally(readNow(), definitions);
    }

    @Benchmark
    public ApplicationTally.Result matchOnly() {
        return ApplicationTally.tally(read, definitions);
    }

    /** Matching at the reader's limit: 5,000 sessions (made here, not read), 500 application names. */
    @Benchmark
    public ApplicationTally.Result matchAtLimit() {
        return ApplicationTally.tally(atLimit, definitions);
    }
}
