package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.checks.CheckDefinition;
import io.poolwatch.checks.CheckDefinitionParser;
import io.poolwatch.checks.CheckResult;
import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.MonitoringSettings;
import io.poolwatch.config.PoolRole;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.engine.ReplicaLag;
import io.poolwatch.health.PoolHealth;
import io.poolwatch.observed.ApplicationSnapshot;
import io.poolwatch.observed.BlockedSession;
import io.poolwatch.observed.BlockingSnapshot;
import io.poolwatch.observed.PgBouncerPool;
import io.poolwatch.observed.PgBouncerSnapshot;
import io.poolwatch.pool.Distribution;
import io.poolwatch.pool.PoolCounters;
import io.poolwatch.sampling.PoolSnapshot;
import io.poolwatch.sampling.ServerSnapshot;
import io.poolwatch.testing.TestConfigs;

/**
 * The words of every rule's alerts, exactly as receivers and people read them: the summary and description of a firing
 * alert, of one kept firing after its value cleared, and of a resolved one, from the evaluator through the alert life
 * cycle into the Alertmanager body. A firing alert reads as breaching, a resolved one as resolved.
 */
class AlertWordingTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String DB = "db:5432/app";
    private static final MonitoringSettings SEED = new MonitoringSettings(true, Duration.ofSeconds(1), 0.05, 5, false);

    /** Which inputs an evaluation sees: before the condition, while it holds, after it cleared. */
    enum Phase {
        BASE,
        BREACH,
        CLEAR
    }

    /**
     * One rule's scenario and the words expected of it.
     *
     * @param keepFiring summary and description while kept firing after the value cleared; null when the rule keeps nothing
     */
    record Case(String rule, String severity, Function<Phase, Inputs> inputs, String firingSummary, String firingDescription,
            String[] keepFiring, String resolvedSummary, String resolvedDescription) {

        @Override
        public String toString() {
            return rule;
        }
    }

    /** What the evaluator reads in one phase, without the time. */
    record Inputs(List<AlertEvaluator.PoolInput> pools, List<ServerSnapshot> servers, List<AlertEvaluator.CheckInput> checks,
            List<AlertEvaluator.ReplicaInput> replicas, AlertEvaluator.Observed observed) {

        Inputs(List<AlertEvaluator.PoolInput> pools, List<ServerSnapshot> servers, List<AlertEvaluator.CheckInput> checks,
                List<AlertEvaluator.ReplicaInput> replicas) {
            this(pools, servers, checks, replicas, AlertEvaluator.Observed.NONE);
        }

        static Inputs pools(AlertEvaluator.PoolInput... pools) {
            return new Inputs(List.of(pools), List.of(), List.of(), List.of());
        }

        static Inputs observed(List<ApplicationSnapshot> applications, List<PgBouncerSnapshot> pgbouncers,
                List<BlockingSnapshot> blocking) {
            return new Inputs(List.of(), List.of(), List.of(), List.of(),
                    new AlertEvaluator.Observed(applications, pgbouncers, blocking));
        }

        AlertEvaluator.Inputs at(Instant now) {
            return new AlertEvaluator.Inputs(now, pools, servers, checks, replicas, observed);
        }
    }

    static ApplicationSnapshot application(int sessions, Optional<Duration> idleInTransaction) {
        return new ApplicationSnapshot("mingus-api", DB, T0, true, Optional.empty(), sessions, Map.of("active", sessions), 3,
                idleInTransaction.isPresent() ? 1 : 0, idleInTransaction, Optional.empty(), Optional.empty(), 0,
                OptionalInt.of(30), "any");
    }

    static PgBouncerSnapshot pgbouncer(boolean up, int waiting, double maxWait) {
        List<PgBouncerPool> pools = up
                ? List.of(new PgBouncerPool("app", "mingus", "transaction", 20, waiting, 20, 0, 0, maxWait, 0.002, 150, 900))
                : List.of();
        return new PgBouncerSnapshot("edge", "10.0.0.5:6432", T0, up,
                up ? Optional.empty() : Optional.of("cannot connect: Connection refused"),
                pools, 0, up ? 20 + waiting : 0, up ? OptionalInt.of(1000) : OptionalInt.empty(),
                up ? OptionalInt.of(20) : OptionalInt.empty(),
                Optional.empty());
    }

    static BlockingSnapshot blocking(Optional<Duration> longest, long deadlocks) {
        List<BlockedSession> roots = longest.isEmpty() ? List.of()
                : List.of(new BlockedSession(4242, "mingus-celery", "mingus", "idle in transaction", Optional.empty(),
                        Optional.of(Duration.ofSeconds(50)),
                        "UPDATE accounts SET balance = balance - ? WHERE id = ?",
                        List.of(new BlockedSession(4343, "mingus-api", "mingus", "active",
                                longest, Optional.empty(), "UPDATE accounts SET balance = balance + ? WHERE id = ?",
                                List.of()))));
        return new BlockingSnapshot(DB, T0, true, Optional.empty(), roots, roots.isEmpty() ? 0 : 1, longest,
                OptionalLong.of(deadlocks), false);
    }

    static PoolSnapshot snapshot(String pool, String workload, long active, double errorRate, double p95Ms, int leaks,
            long slow) {
        return new PoolSnapshot(pool, workload, PoolRole.PRIMARY, T0, 1, 10, active, 0, active, 0, active, active / 10.0,
                PoolCounters.ZERO,
                PoolCounters.ZERO, errorRate, new Distribution(10, p95Ms, p95Ms, p95Ms, p95Ms, p95Ms), Distribution.EMPTY,
                leaks, 100, slow, 1);
    }

    static PoolHealth.PoolState health(String pool, String workload, boolean critical, boolean down) {
        return new PoolHealth.PoolState(pool, critical, down ? PoolHealth.State.DOWN : PoolHealth.State.UP,
                down ? "database unreachable: Connection refused; utilization 0.00, 0 waiting" : "utilization 0.00, 0 waiting",
                0, 0,
                Optional.empty(), Optional.empty(), 1, workload, PoolRole.PRIMARY, Optional.empty(), false);
    }

    static AlertEvaluator.PoolInput pool(String pool, String workload, boolean critical, PoolSnapshot s, boolean down) {
        return new AlertEvaluator.PoolInput(pool, workload, PoolRole.PRIMARY, critical, Optional.of(s),
                Optional.of(health(pool, workload, critical, down)),
                s.slowStatements());
    }

    /** A pool that writes, whose server refuses writes ("primary is read-only") or takes them. */
    static AlertEvaluator.PoolInput onReadOnlyServer(String pool, String workload, boolean readOnly) {
        String figures = "utilization 0.00, 0 waiting";
        PoolHealth.PoolState health = new PoolHealth.PoolState(pool, true,
                readOnly ? PoolHealth.State.DOWN : PoolHealth.State.UP,
                readOnly ? "primary is read-only: its server refuses writes, so every write fails; " + figures : figures, 0, 0,
                Optional.empty(), Optional.empty(), 1, workload, PoolRole.PRIMARY, Optional.empty(), readOnly);
        PoolSnapshot s = snapshot(pool, workload, 0, 0, 10, 0, 0);
        return new AlertEvaluator.PoolInput(pool, workload, PoolRole.PRIMARY, true, Optional.of(s), Optional.of(health),
                s.slowStatements());
    }

    static AlertEvaluator.PoolInput quiet(String pool, String workload, boolean critical) {
        return pool(pool, workload, critical, snapshot(pool, workload, 1, 0, 10, 0, 0), false);
    }

    static ServerSnapshot server(int sessions, Optional<Duration> idleInTransaction) {
        return new ServerSnapshot(DB, DatabaseKind.POSTGRESQL, T0, true, Optional.empty(), sessions, Map.of(), List.of(),
                OptionalInt.of(100), 0,
                idleInTransaction, Optional.empty(), Optional.empty());
    }

    static CheckDefinition check() {
        return CheckDefinitionParser
                .parse(List.of(new CheckDefinitionParser.Source("configuration", Map.of("orders-have-customers",
                        Map.of("kind", "sql", "sql", "SELECT 0", "workload", "main", "description",
                                "every order has a customer")))),
                        Map.of("main", DatabaseKind.POSTGRESQL))
                .get(0);
    }

    static CheckResult result(String status, Long violations, String message) {
        return new CheckResult("orders-have-customers", status, violations, 2, "full", "whole table", T0, 0.1, message,
                List.of(), "schedule",
                "warning", "main");
    }

    static AlertEvaluator.ReplicaInput replica(double seconds) {
        return new AlertEvaluator.ReplicaInput("main-replica-1", "main", "replica:5432/app",
                Optional.of(new ReplicaLag("replica:5432/app", T0, ReplicaLag.State.STREAMING, Optional.of(seconds),
                        Optional.of(2048L), "streaming")));
    }

    private static String[] keep(String summary, String description) {
        return new String[] { summary, description };
    }

    private static final String KEPT = " The alert stays firing until the value has stayed clear for 30s (keep-firing-for).";

    static Stream<Case> cases() {
        return Stream.of(
                new Case("pool-utilization", "warning",
                        p -> Inputs.pools(pool("main", "main", false,
                                snapshot("main", "main", p == Phase.BREACH ? 9 : 4, 0, 10, 0, 0), false)),
                        "pool-utilization on pool main: 90.0% > 80.0%",
                        "Pool main: utilization (active / max-size) is 90.0%; warning above 80.0% for 1m.",
                        keep("pool-utilization on pool main is back to 40.0% (warning above 80.0%); firing until it stays clear for 30s",
                                "Pool main: utilization (active / max-size) is back to 40.0%, not above 80.0%." + KEPT),
                        "pool-utilization on pool main is back to 40.0% (warning above 80.0%)",
                        "Pool main: utilization (active / max-size) is back to 40.0%, not above 80.0%."),
                new Case("error-rate", "critical",
                        p -> Inputs.pools(pool("financial", "financial", true,
                                snapshot("financial", "financial", 1, p == Phase.BREACH ? 0.07 : 0, 10, 0, 0), false)),
                        "error-rate on pool financial: 7.0% > 5.0%",
                        "Pool financial: the error rate (failed / attempted acquisitions over the error-rate window) is 7.0%;"
                                + " critical above 5.0% for 1m.",
                        keep("error-rate on pool financial is back to 0.0% (critical above 5.0%); firing until it stays clear for 30s",
                                "Pool financial: the error rate (failed / attempted acquisitions over the error-rate window) is back to 0.0%,"
                                        + " not above 5.0%." + KEPT),
                        "error-rate on pool financial is back to 0.0% (critical above 5.0%)",
                        "Pool financial: the error rate (failed / attempted acquisitions over the error-rate window) is back to 0.0%,"
                                + " not above 5.0%."),
                new Case("checkout-time", "warning",
                        p -> Inputs.pools(pool("main", "main", false,
                                snapshot("main", "main", 1, 0, p == Phase.BREACH ? 2500 : 100, 0, 0), false)),
                        "checkout-time on pool main: 2.50s > 2.00s",
                        "Pool main: the p95 time to get a connection in the last sample interval is 2.50s; warning above 2.00s for 1m.",
                        keep("checkout-time on pool main is back to 0.10s (warning above 2.00s); firing until it stays clear for 30s",
                                "Pool main: the p95 time to get a connection in the last sample interval is back to 0.10s, not above 2.00s."
                                        + KEPT),
                        "checkout-time on pool main is back to 0.10s (warning above 2.00s)",
                        "Pool main: the p95 time to get a connection in the last sample interval is back to 0.10s, not above 2.00s."),
                new Case("leaked-connections", "warning",
                        p -> Inputs.pools(pool("main", "main", false,
                                snapshot("main", "main", 1, 0, 10, p == Phase.BREACH ? 7 : 0, 0), false)),
                        "leaked-connections on pool main: 7 >= 5",
                        "Pool main: the number of connections held past the leak-detection interval is 7; warning at 5 or more.",
                        keep("leaked-connections on pool main is back to 0 (warning at 5 or more); firing until it stays clear for 30s",
                                "Pool main: the number of connections held past the leak-detection interval is back to 0, below 5."
                                        + KEPT),
                        "leaked-connections on pool main is back to 0 (warning at 5 or more)",
                        "Pool main: the number of connections held past the leak-detection interval is back to 0, below 5."),
                new Case("unhealthy-pools", "critical",
                        p -> Inputs.pools(pool("financial", "financial", true,
                                snapshot("financial", "financial", 0, 0, 10, 0, 0), p == Phase.BREACH)),
                        "unhealthy-pools on pool financial: its database does not answer",
                        "Pool financial: its database does not answer the pool's validation (database unreachable: Connection refused;"
                                + " utilization 0.00, 0 waiting).",
                        keep("unhealthy-pools on pool financial: its database answers again; firing until it stays clear for 30s",
                                "Pool financial: its database answers the pool's validation again." + KEPT),
                        "unhealthy-pools on pool financial: its database answers again",
                        "Pool financial: its database answers the pool's validation again."),
                new Case("primary-read-only", "critical",
                        p -> Inputs.pools(onReadOnlyServer("main", "main", p == Phase.BREACH)),
                        "primary-read-only on pool main: its server refuses writes",
                        "Pool main: its server refuses writes, so every write on the pool fails (primary is read-only: its"
                                + " server refuses writes, so every write fails; utilization 0.00, 0 waiting).",
                        keep("primary-read-only on pool main: its server takes writes again; firing until it stays clear for 30s",
                                "Pool main: its server takes writes again." + KEPT),
                        "primary-read-only on pool main: its server takes writes again",
                        "Pool main: its server takes writes again."),
                new Case("slow-queries", "warning",
                        p -> Inputs.pools(pool("main", "main", false,
                                snapshot("main", "main", 1, 0, 10, 0, p == Phase.BASE ? 0 : 6), false)),
                        "slow-queries on pool main: 6 >= 5",
                        "Pool main: the number of statements over the slow-query threshold in the last minute is 6; warning at 5 or more.",
                        keep("slow-queries on pool main is back to 0 (warning at 5 or more); firing until it stays clear for 30s",
                                "Pool main: the number of statements over the slow-query threshold in the last minute is back to 0, below 5."
                                        + KEPT),
                        "slow-queries on pool main is back to 0 (warning at 5 or more)",
                        "Pool main: the number of statements over the slow-query threshold in the last minute is back to 0, below 5."),
                new Case("server-connections", "warning",
                        p -> new Inputs(List.of(), List.of(server(p == Phase.BREACH ? 85 : 40, Optional.empty())), List.of(),
                                List.of()),
                        "server-connections on database db:5432/app: 85.0% > 80.0%",
                        "Database db:5432/app: client sessions / (max_connections - reserved) is 85.0%; warning above 80.0% for 5m."
                                + " 85 sessions of max_connections 100.",
                        keep("server-connections on database db:5432/app is back to 40.0% (warning above 80.0%); firing until it stays clear for 30s",
                                "Database db:5432/app: client sessions / (max_connections - reserved) is back to 40.0%, not above 80.0%."
                                        + " 40 sessions of max_connections 100." + KEPT),
                        "server-connections on database db:5432/app is back to 40.0% (warning above 80.0%)",
                        "Database db:5432/app: client sessions / (max_connections - reserved) is back to 40.0%, not above 80.0%."
                                + " 40 sessions of max_connections 100."),
                new Case("idle-in-transaction", "warning",
                        p -> new Inputs(List.of(),
                                List.of(server(10, p == Phase.BREACH ? Optional.of(Duration.ofSeconds(75)) : Optional.empty())),
                                List.of(), List.of()),
                        "idle-in-transaction on database db:5432/app: 75.00s > 60.00s",
                        "Database db:5432/app: the age of the oldest session idle in a transaction is 75.00s; warning above 60.00s.",
                        keep("idle-in-transaction on database db:5432/app is back to 0.00s (warning above 60.00s); firing until"
                                + " it stays clear for 30s",
                                "Database db:5432/app: the age of the oldest session idle in a transaction is back to 0.00s, not above 60.00s."
                                        + KEPT),
                        "idle-in-transaction on database db:5432/app is back to 0.00s (warning above 60.00s)",
                        "Database db:5432/app: the age of the oldest session idle in a transaction is back to 0.00s, not above 60.00s."),
                new Case("replica-lag", "warning",
                        p -> new Inputs(List.of(), List.of(), List.of(), List.of(replica(p == Phase.BREACH ? 12.5 : 0.5))),
                        "replica-lag on replica main-replica-1: 12.50s > 10.00s",
                        "Replica main-replica-1: the replay lag is 12.50s; warning above 10.00s for 1m."
                                + " Replica replica:5432/app: streaming, 2048 bytes of WAL received but not replayed.",
                        keep("replica-lag on replica main-replica-1 is back to 0.50s (warning above 10.00s); firing until it stays clear for 30s",
                                "Replica main-replica-1: the replay lag is back to 0.50s, not above 10.00s."
                                        + " Replica replica:5432/app: streaming, 2048 bytes of WAL received but not replayed."
                                        + KEPT),
                        "replica-lag on replica main-replica-1 is back to 0.50s (warning above 10.00s)",
                        "Replica main-replica-1: the replay lag is back to 0.50s, not above 10.00s."
                                + " Replica replica:5432/app: streaming, 2048 bytes of WAL received but not replayed."),
                new Case("consistency-check", "warning",
                        p -> new Inputs(List.of(), List.of(), List.of(new AlertEvaluator.CheckInput(check(),
                                Optional.of(p == Phase.BREACH ? result("fail", 3L, null) : result("pass", 0L, null)))),
                                List.of()),
                        "consistency-check on check orders-have-customers: the latest run failed, 3 violation(s), 2 allowed",
                        "Check orders-have-customers (every order has a customer): the latest run failed, 3 violation(s), 2 allowed;"
                                + " full, whole table.",
                        null,
                        "consistency-check on check orders-have-customers: the latest run passed",
                        "Check orders-have-customers (every order has a customer): the latest run passed, 0 violation(s), 2 allowed;"
                                + " full, whole table."),
                new Case("blocked-sessions", "warning",
                        p -> Inputs.observed(List.of(), List.of(),
                                List.of(blocking(p == Phase.BREACH ? Optional.of(Duration.ofSeconds(45)) : Optional.empty(),
                                        0))),
                        "blocked-sessions on database db:5432/app: 45.00s > 30.00s",
                        "Database db:5432/app: the longest wait of a session blocked by another is 45.00s; warning above"
                                + " 30.00s. 1 session(s) blocked: pid 4242 (mingus-celery, idle in transaction) blocks 1.",
                        keep("blocked-sessions on database db:5432/app is back to 0.00s (warning above 30.00s); firing until it stays clear for 30s",
                                "Database db:5432/app: the longest wait of a session blocked by another is back to 0.00s, not above"
                                        + " 30.00s. 0 session(s) blocked. The alert stays firing until the value has stayed clear for 30s"
                                        + " (keep-firing-for)."),
                        "blocked-sessions on database db:5432/app is back to 0.00s (warning above 30.00s)",
                        "Database db:5432/app: the longest wait of a session blocked by another is back to 0.00s, not above"
                                + " 30.00s. 0 session(s) blocked."),
                new Case("application-sessions", "warning",
                        p -> Inputs.observed(List.of(application(p == Phase.BREACH ? 27 : 12, Optional.empty())), List.of(),
                                List.of()),
                        "application-sessions on application mingus-api on db:5432/app: 90.0% > 80.0%",
                        "Application mingus-api on db:5432/app: its sessions / expected-max is 90.0%; warning above 80.0%"
                                + " for 5m. 27 sessions of expected-max 30 from 3 address(es).",
                        keep("application-sessions on application mingus-api on db:5432/app is back to 40.0% (warning above"
                                + " 80.0%); firing until it stays clear for 30s",
                                "Application mingus-api on db:5432/app: its sessions / expected-max is back to 40.0%, not above"
                                        + " 80.0%. 12 sessions of expected-max 30 from 3 address(es). The alert stays firing until the value"
                                        + " has stayed clear for 30s (keep-firing-for)."),
                        "application-sessions on application mingus-api on db:5432/app is back to 40.0% (warning above 80.0%)",
                        "Application mingus-api on db:5432/app: its sessions / expected-max is back to 40.0%, not above"
                                + " 80.0%. 12 sessions of expected-max 30 from 3 address(es)."),
                new Case("application-idle-in-transaction", "warning",
                        p -> Inputs.observed(
                                List.of(application(5,
                                        p == Phase.BREACH ? Optional.of(Duration.ofSeconds(90)) : Optional.empty())),
                                List.of(),
                                List.of()),
                        "application-idle-in-transaction on application mingus-api on db:5432/app: 90.00s > 60.00s",
                        "Application mingus-api on db:5432/app: the age of its oldest session idle in a transaction is"
                                + " 90.00s; warning above 60.00s. 1 session(s) idle in a transaction.",
                        keep("application-idle-in-transaction on application mingus-api on db:5432/app is back to 0.00s (warning"
                                + " above 60.00s); firing until it stays clear for 30s",
                                "Application mingus-api on db:5432/app: the age of its oldest session idle in a transaction is back"
                                        + " to 0.00s, not above 60.00s. 0 session(s) idle in a transaction. The alert stays firing until the"
                                        + " value has stayed clear for 30s (keep-firing-for)."),
                        "application-idle-in-transaction on application mingus-api on db:5432/app is back to 0.00s (warning above 60.00s)",
                        "Application mingus-api on db:5432/app: the age of its oldest session idle in a transaction is back"
                                + " to 0.00s, not above 60.00s. 0 session(s) idle in a transaction."),
                new Case("pgbouncer-clients-waiting", "warning",
                        p -> Inputs.observed(List.of(),
                                List.of(pgbouncer(true, p == Phase.BREACH ? 4 : 0, p == Phase.BREACH ? 1.5 : 0)), List.of()),
                        "pgbouncer-clients-waiting on PgBouncer edge pool app/mingus: 4 >= 1",
                        "PgBouncer edge pool app/mingus: the number of clients waiting for a server connection is 4; warning"
                                + " at 1 or more for 1m. 20 client(s) active, 4 waiting; 20 server connection(s) active, 0 idle;"
                                + " default_pool_size 20.",
                        keep("pgbouncer-clients-waiting on PgBouncer edge pool app/mingus is back to 0 (warning at 1 or more);"
                                + " firing until it stays clear for 30s",
                                "PgBouncer edge pool app/mingus: the number of clients waiting for a server connection is back to 0,"
                                        + " below 1. 20 client(s) active, 0 waiting; 20 server connection(s) active, 0 idle; default_pool_size"
                                        + " 20. The alert stays firing until the value has stayed clear for 30s (keep-firing-for)."),
                        "pgbouncer-clients-waiting on PgBouncer edge pool app/mingus is back to 0 (warning at 1 or more)",
                        "PgBouncer edge pool app/mingus: the number of clients waiting for a server connection is back to 0,"
                                + " below 1. 20 client(s) active, 0 waiting; 20 server connection(s) active, 0 idle; default_pool_size"
                                + " 20."),
                new Case("pgbouncer-max-wait", "warning",
                        p -> Inputs.observed(List.of(),
                                List.of(pgbouncer(true, p == Phase.BREACH ? 4 : 0, p == Phase.BREACH ? 7.5 : 0)), List.of()),
                        "pgbouncer-max-wait on PgBouncer edge pool app/mingus: 7.50s > 5.00s",
                        "PgBouncer edge pool app/mingus: the oldest waiting client's wait is 7.50s; warning above 5.00s. 20"
                                + " client(s) active, 4 waiting; 20 server connection(s) active, 0 idle; default_pool_size 20.",
                        keep("pgbouncer-max-wait on PgBouncer edge pool app/mingus is back to 0.00s (warning above 5.00s); firing"
                                + " until it stays clear for 30s",
                                "PgBouncer edge pool app/mingus: the oldest waiting client's wait is back to 0.00s, not above 5.00s."
                                        + " 20 client(s) active, 0 waiting; 20 server connection(s) active, 0 idle; default_pool_size 20. The"
                                        + " alert stays firing until the value has stayed clear for 30s (keep-firing-for)."),
                        "pgbouncer-max-wait on PgBouncer edge pool app/mingus is back to 0.00s (warning above 5.00s)",
                        "PgBouncer edge pool app/mingus: the oldest waiting client's wait is back to 0.00s, not above 5.00s."
                                + " 20 client(s) active, 0 waiting; 20 server connection(s) active, 0 idle; default_pool_size 20."),
                new Case("pgbouncer-down", "warning",
                        p -> Inputs.observed(List.of(), List.of(pgbouncer(p != Phase.BREACH, 0, 0)), List.of()),
                        "pgbouncer-down on PgBouncer edge (10.0.0.5:6432): its admin console cannot be read",
                        "PgBouncer edge (10.0.0.5:6432): its admin console cannot be read: cannot connect: Connection refused.",
                        keep("pgbouncer-down on PgBouncer edge (10.0.0.5:6432): its admin console answers again; firing until it stays clear for 30s",
                                "PgBouncer edge (10.0.0.5:6432): its admin console answers again. The alert stays firing until the"
                                        + " value has stayed clear for 30s (keep-firing-for)."),
                        "pgbouncer-down on PgBouncer edge (10.0.0.5:6432): its admin console answers again",
                        "PgBouncer edge (10.0.0.5:6432): its admin console answers again."));

    }

    @Test
    void everyRuleHasACase() {
        List<String> covered = new ArrayList<>(cases().map(Case::rule).toList());
        covered.add("deadlocks"); // its own test below: it counts over a 10-minute window, not the cases' 2 minutes
        covered.add("server-changed"); // likewise
        for (AlertRule rule : AlertRule.values()) {
            assertTrue(covered.contains(rule.label()), rule.label() + " has no wording case");
        }
    }

    @Test
    void aChangeOfServerFiresForTheTenMinutesItIsCountedOverThenResolves() {
        AlertEvaluator evaluator = new AlertEvaluator(rules(Map.of()), "pod-1", Optional.empty(), "http://poolwatch.test");
        AlertStateMachine machine = new AlertStateMachine(Duration.ofHours(1));
        PoolSnapshot s = snapshot("main", "main", 1, 0, 10, 0, 0);
        Function<Long, AlertEvaluator.Inputs> at = t -> Inputs.pools(new AlertEvaluator.PoolInput("main", "main",
                PoolRole.PRIMARY, true, Optional.of(s), Optional.of(health("main", "main", true, false)), 0, t == 0 ? 0 : 1,
                Optional.of(t == 0 ? "10.0.0.1:5432, started 2026-12-01T08:00:00Z"
                        : "10.0.0.2:5432, started 2026-12-01T08:05:00Z")))
                .at(T0.plusSeconds(t));
        assertTrue(machine.evaluate(T0, evaluator.observe(at.apply(0L))).stream()
                .noneMatch(a -> a.name().equals("server-changed")), "no change, no alert");
        Alert firing = only("server-changed", machine.evaluate(T0.plusSeconds(15), evaluator.observe(at.apply(15L))));
        assertEquals(AlertState.FIRING, firing.state());
        assertEquals("warning", firing.labels().get("severity"));
        assertWords("server-changed on pool main: 1 >= 1",
                "Pool main: the number of changes of its server in the last 10 minutes is 1; warning at 1 or more."
                        + " Its connections now reach 10.0.0.2:5432, started 2026-12-01T08:05:00Z; 1 change(s) since it opened.",
                firing);
        assertEquals(AlertState.FIRING,
                only("server-changed", machine.evaluate(T0.plusSeconds(590), evaluator.observe(at.apply(590L)))).state(),
                "still counted 9m50s later");
        machine.evaluate(T0.plusSeconds(630), evaluator.observe(at.apply(630L)));
        Alert resolved = only("server-changed", machine.evaluate(T0.plusSeconds(665), evaluator.observe(at.apply(665L))));
        assertEquals(AlertState.RESOLVED, resolved.state());
    }

    @Test
    void aDeadlockFiresForTheTenMinutesItIsCountedOverThenResolves() {
        AlertEvaluator evaluator = new AlertEvaluator(rules(Map.of()), "pod-1", Optional.empty(), "http://poolwatch.test");
        AlertStateMachine machine = new AlertStateMachine(Duration.ofHours(1));
        Function<Long, AlertEvaluator.Inputs> at = s -> Inputs
                .observed(List.of(), List.of(), List.of(blocking(Optional.empty(), s == 0 ? 3 : 4)))
                .at(T0.plusSeconds(s));
        assertTrue(machine.evaluate(T0, evaluator.observe(at.apply(0L))).stream().noneMatch(a -> a.name().equals("deadlocks")),
                "deadlocks before poolwatch started are not counted");
        Alert firing = only("deadlocks", machine.evaluate(T0.plusSeconds(15), evaluator.observe(at.apply(15L))));
        assertEquals(AlertState.FIRING, firing.state());
        assertWords("deadlocks on database db:5432/app: 1 >= 1",
                "Database db:5432/app: the number of deadlocks in the last 10 minutes is 1;"
                        + " warning at 1 or more. 4 deadlock(s) since the server's statistics were reset.",
                firing);
        assertEquals(AlertState.FIRING,
                only("deadlocks", machine.evaluate(T0.plusSeconds(590), evaluator.observe(at.apply(590L)))).state(),
                "still counted 9m50s later");
        machine.evaluate(T0.plusSeconds(630), evaluator.observe(at.apply(630L)));
        Alert resolved = only("deadlocks", machine.evaluate(T0.plusSeconds(665), evaluator.observe(at.apply(665L))));
        assertEquals(AlertState.RESOLVED, resolved.state());
        assertWords("deadlocks on database db:5432/app is back to 0 (warning at 1 or more)",
                "Database db:5432/app: the number of deadlocks in the"
                        + " last 10 minutes is back to 0, below 1. 4 deadlock(s) since the server's statistics were reset.",
                resolved);
    }

    @Test
    void anObservedRuleIsSetPerApplicationAndRefusedUnderAPool() {
        AlertRuleSet rules = rules(
                Map.of("poolwatch.applications.\"mingus-api\".alerts.\"application-sessions\".threshold", "0.5"));
        assertEquals(0.5, rules.observedSettings(AlertRule.APPLICATION_SESSIONS, "mingus-api").threshold());
        assertEquals(0.8, rules.observedSettings(AlertRule.APPLICATION_SESSIONS, "other").threshold());
        InvalidConfigurationException e = Assertions.assertThrows(
                InvalidConfigurationException.class,
                () -> rules(Map.of("poolwatch.applications.\"mingus-api\".alerts.\"pool-utilization\".threshold", "0.5",
                        "poolwatch.pools.\"main\".alerts.\"pgbouncer-max-wait\".threshold", "3")));
        assertTrue(e.getMessage()
                .contains("poolwatch.applications.\"mingus-api\".alerts.\"pool-utilization\": not a rule of this kind;"
                        + " accepted: application-sessions, application-idle-in-transaction"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains(
                        "poolwatch.pools.\"main\".alerts.\"pgbouncer-max-wait\": pgbouncer-max-wait is about a PgBouncer"),
                e.getMessage());
    }

    static AlertRuleSet rules(Map<String, String> properties) {
        PoolwatchConfig config = TestConfigs.mapping(properties);
        Map<String, Map<String, PoolwatchConfig.RuleConfig>> workloads = new LinkedHashMap<>();
        for (String w : List.of("main", "jobs", "analytics", "financial")) {
            PoolwatchConfig.PoolConfig p = config.pools().get(w);
            workloads.put(w, p == null ? Map.of() : p.alerts());
        }
        return AlertRuleSet.parse(config.alerting().rules(), workloads,
                Alerting.observedAlerts(config.applications(), PoolwatchConfig.ApplicationConfig::alerts),
                Alerting.observedAlerts(config.pgbouncer(), PoolwatchConfig.PgBouncerConfig::alerts), SEED);
    }

    private static Alert only(String rule, List<Alert> alerts) {
        List<Alert> of = alerts.stream().filter(a -> a.name().equals(rule)).toList();
        assertEquals(1, of.size(), "one " + rule + " alert: " + of);
        return of.get(0);
    }

    private static void assertWords(String summary, String description, Alert a) {
        assertEquals(summary, a.annotations().get("summary"), a.state() + " summary");
        assertEquals(description, a.annotations().get("description"), a.state() + " description");
    }

    /** The alert as the Alertmanager body carries it to receivers. */
    private static JsonNode sent(Alert a) throws Exception {
        ObjectMapper json = new ObjectMapper();
        NotificationDispatcher.GroupNotification n = new NotificationDispatcher.GroupNotification("ops",
                "{}:{alertname=\"" + a.name() + "\"}",
                new TreeMap<>(Map.of("alertname", a.name())), a.state().label(), List.of(a));
        return json.readTree(AlertmanagerPayload.body(json, "ops", n, "http://poolwatch.test")).get("alerts").get(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void firingReadsAsBreachingAndResolvedAsResolved(Case c) throws Exception {
        AlertRuleSet rules = rules(Map.of());
        RuleSettings settings = rules.settings(AlertRule.of(c.rule()).orElseThrow(), Optional.of("main"));
        AlertEvaluator evaluator = new AlertEvaluator(rules, "pod-1", Optional.empty(), "http://poolwatch.test");
        AlertStateMachine machine = new AlertStateMachine(Duration.ofHours(1));

        assertTrue(machine
                .evaluate(T0.minusSeconds(10), evaluator.observe(c.inputs().apply(Phase.BASE).at(T0.minusSeconds(10)))).stream()
                .noneMatch(a -> a.name().equals(c.rule())), "no alert before the condition");
        machine.evaluate(T0, evaluator.observe(c.inputs().apply(Phase.BREACH).at(T0)));
        Instant fires = T0.plus(settings.forDuration());
        Alert firing = only(c.rule(), machine.evaluate(fires, evaluator.observe(c.inputs().apply(Phase.BREACH).at(fires))));
        assertEquals(AlertState.FIRING, firing.state());
        assertEquals(c.severity(), firing.labels().get("severity"));
        assertWords(c.firingSummary(), c.firingDescription(), firing);

        Instant clears = fires.plusSeconds(120);
        Alert cleared = only(c.rule(), machine.evaluate(clears, evaluator.observe(c.inputs().apply(Phase.CLEAR).at(clears))));
        if (c.keepFiring() != null) {
            assertEquals(AlertState.FIRING, cleared.state(), "kept firing for keep-firing-for");
            assertWords(c.keepFiring()[0], c.keepFiring()[1], cleared);
        }
        Instant resolves = clears.plus(settings.keepFiringFor());
        Alert resolved = only(c.rule(),
                machine.evaluate(resolves, evaluator.observe(c.inputs().apply(Phase.CLEAR).at(resolves))));
        assertEquals(AlertState.RESOLVED, resolved.state());
        assertEquals(c.severity(), resolved.labels().get("severity"), "resolved with the severity it fired with");
        assertWords(c.resolvedSummary(), c.resolvedDescription(), resolved);

        JsonNode firingSent = sent(firing);
        assertEquals(c.firingSummary(), firingSent.get("annotations").get("summary").asText());
        assertEquals(c.firingDescription(), firingSent.get("annotations").get("description").asText());
        JsonNode resolvedSent = sent(resolved);
        assertEquals("resolved", resolvedSent.get("status").asText());
        assertEquals(c.resolvedSummary(), resolvedSent.get("annotations").get("summary").asText());
        assertEquals(c.resolvedDescription(), resolvedSent.get("annotations").get("description").asText());
    }

    @Test
    void aCheckThatErroredOrTimedOutSaysSo() {
        AlertEvaluator evaluator = new AlertEvaluator(rules(Map.of()), "pod-1", Optional.empty(), "http://poolwatch.test");
        Observation error = evaluator.observe(new Inputs(List.of(), List.of(), List.of(new AlertEvaluator.CheckInput(check(),
                Optional.of(result("error", null, "relation \"orders\" does not exist")))), List.of()).at(T0)).get(0);
        assertEquals("consistency-check on check orders-have-customers: the latest run ended in an error",
                error.annotations().get("summary"));
        assertEquals("Check orders-have-customers (every order has a customer): the latest run ended in an error:"
                + " relation \"orders\" does not exist; full, whole table.", error.annotations().get("description"));
        Observation timeout = evaluator.observe(new Inputs(List.of(), List.of(), List.of(new AlertEvaluator.CheckInput(check(),
                Optional.of(result("timeout", null, null)))), List.of()).at(T0)).get(0);
        assertEquals("consistency-check on check orders-have-customers: the latest run timed out",
                timeout.annotations().get("summary"));
    }

    @Test
    void anAlertWhoseSubjectIsNoLongerMeasuredResolvesSayingSo() {
        AlertEvaluator evaluator = new AlertEvaluator(
                rules(Map.of("poolwatch.alerting.rules.\"server-connections\".for", "0s")), "pod-1",
                Optional.empty(), "http://poolwatch.test");
        AlertStateMachine machine = new AlertStateMachine(Duration.ofHours(1));
        Inputs breach = new Inputs(List.of(), List.of(server(85, Optional.empty())), List.of(), List.of());
        assertEquals(AlertState.FIRING,
                only("server-connections", machine.evaluate(T0, evaluator.observe(breach.at(T0)))).state());
        Inputs unreadable = new Inputs(List.of(),
                List.of(ServerSnapshot.unavailable(DB, DatabaseKind.POSTGRESQL, T0, "timeout")), List.of(),
                List.of());
        machine.evaluate(T0.plusSeconds(5), evaluator.observe(unreadable.at(T0.plusSeconds(5))));
        Alert resolved = only("server-connections",
                machine.evaluate(T0.plusSeconds(35), evaluator.observe(unreadable.at(T0.plusSeconds(35)))));
        assertEquals(AlertState.RESOLVED, resolved.state());
        assertWords("server-connections on database db:5432/app is no longer measured (last 85.0% > 80.0%)",
                "Database db:5432/app: client sessions / (max_connections - reserved) is no longer measured, so the alert is resolved;"
                        + " the last value was 85.0% (warning above 80.0%).",
                resolved);
    }

    @Test
    void aPrimaryOnAReadOnlyServerIsNotCalledUnhealthy() {
        AlertEvaluator evaluator = new AlertEvaluator(rules(Map.of()), "pod-1", Optional.empty(), "http://poolwatch.test");
        List<Observation> seen = evaluator.observe(Inputs.pools(onReadOnlyServer("main", "main", true)).at(T0));
        assertTrue(seen.stream().anyMatch(o -> o.rule() == AlertRule.PRIMARY_READ_ONLY && o.breached()), seen.toString());
        assertTrue(seen.stream().noneMatch(o -> o.rule() == AlertRule.UNHEALTHY_POOLS && o.breached()), seen.toString());
    }

    @Test
    void aPoolWhoseDatabaseAnswersAtAThresholdOfZeroIsNotCalledDown() {
        AlertEvaluator evaluator = new AlertEvaluator(
                rules(Map.of("poolwatch.alerting.rules.\"unhealthy-pools\".threshold", "0")), "pod-1",
                Optional.empty(), "http://poolwatch.test");
        Observation o = evaluator.observe(Inputs.pools(quiet("main", "main", false)).at(T0)).stream()
                .filter(x -> x.rule() == AlertRule.UNHEALTHY_POOLS).findFirst().orElseThrow();
        assertTrue(o.breached());
        assertEquals("unhealthy-pools on pool main: its database answers (threshold 0)", o.annotations().get("summary"));
    }

    // --- error-rate: one alert per pool, its severity rising to critical above DB_ERROR_RATE_CRITICAL ------------------

    @Test
    void byDefaultEachPoolHasOneErrorRateAlertAndItIsCritical() {
        AlertEvaluator evaluator = new AlertEvaluator(rules(Map.of("poolwatch.alerting.rules.\"error-rate\".for", "0s")),
                "pod-1", Optional.empty(),
                "http://poolwatch.test");
        AlertStateMachine machine = new AlertStateMachine(Duration.ofHours(1));
        List<AlertEvaluator.PoolInput> pools = new ArrayList<>();
        for (String w : List.of("main", "jobs", "analytics", "financial")) {
            pools.add(pool(w, w, w.equals("financial"), snapshot(w, w, 1, 0.5, 10, 0, 0), false));
        }
        List<Alert> alerts = machine.evaluate(T0,
                evaluator.observe(new AlertEvaluator.Inputs(T0, pools, List.of(), List.of())));
        List<Alert> errorRate = alerts.stream().filter(a -> a.name().equals("error-rate")).toList();
        assertEquals(4, errorRate.size(), "one per pool: " + errorRate);
        assertTrue(errorRate.stream().allMatch(a -> a.labels().get("severity").equals("critical")), errorRate.toString());
        assertEquals(4, errorRate.stream().map(a -> a.annotations().get("summary")).distinct().count());
    }

    @Test
    void anErrorRateAlertKeepsItsIdentityWhileItsSeverityRises() {
        AlertRuleSet rules = rules(Map.of("poolwatch.alerting.rules.\"error-rate\".threshold", "0.02",
                "poolwatch.alerting.rules.\"error-rate\".for",
                "0s"));
        AlertEvaluator evaluator = new AlertEvaluator(rules, "pod-1", Optional.empty(), "http://poolwatch.test");
        AlertStateMachine machine = new AlertStateMachine(Duration.ofHours(1));
        Alert warning = only("error-rate", machine.evaluate(T0, evaluator.observe(Inputs.pools(pool("main", "main", false,
                snapshot("main", "main", 1, 0.03, 10, 0, 0), false)).at(T0))));
        assertEquals(AlertState.FIRING, warning.state());
        assertEquals("warning", warning.labels().get("severity"));
        assertEquals("error-rate on pool main: 3.0% > 2.0%", warning.annotations().get("summary"));
        assertEquals("Pool main: the error rate (failed / attempted acquisitions over the error-rate window) is 3.0%;"
                + " warning above 2.0%, critical above 5.0%.", warning.annotations().get("description"));

        Alert critical = only("error-rate",
                machine.evaluate(T0.plusSeconds(5), evaluator.observe(Inputs.pools(pool("main", "main", false,
                        snapshot("main", "main", 1, 0.08, 10, 0, 0), false)).at(T0.plusSeconds(5)))));
        assertEquals("critical", critical.labels().get("severity"));
        assertEquals(warning.fingerprint(), critical.fingerprint(), "the same alert");
        assertEquals(warning.startsAt(), critical.startsAt());

        // Back between the thresholds: still the alert that paged, until it resolves.
        Alert easing = only("error-rate",
                machine.evaluate(T0.plusSeconds(10), evaluator.observe(Inputs.pools(pool("main", "main", false,
                        snapshot("main", "main", 1, 0.03, 10, 0, 0), false)).at(T0.plusSeconds(10)))));
        assertEquals("critical", easing.labels().get("severity"));
        machine.evaluate(T0.plusSeconds(15),
                evaluator.observe(Inputs.pools(quiet("main", "main", false)).at(T0.plusSeconds(15))));
        Alert resolved = only("error-rate",
                machine.evaluate(T0.plusSeconds(45), evaluator.observe(Inputs.pools(quiet("main", "main", false))
                        .at(T0.plusSeconds(45)))));
        assertEquals(AlertState.RESOLVED, resolved.state());
        assertEquals("critical", resolved.labels().get("severity"), "the resolution reaches whoever was paged");
        assertEquals("error-rate on pool main is back to 0.0% (warning above 2.0%, critical above 5.0%)",
                resolved.annotations().get("summary"));
    }
}
