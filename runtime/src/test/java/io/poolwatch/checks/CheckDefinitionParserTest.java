package io.poolwatch.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.Severity;
import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.testing.TestConfigs;

/** Check definitions are validated together at start-up, each problem naming its key, its value and what is accepted. */
class CheckDefinitionParserTest {

    private static final Map<String, DatabaseKind> PG = Map.of("main", DatabaseKind.POSTGRESQL, "analytics",
            DatabaseKind.POSTGRESQL);
    private static final Map<String, DatabaseKind> MARIADB = Map.of("main", DatabaseKind.MARIADB, "analytics",
            DatabaseKind.MARIADB);

    private static Map<String, String> keys(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<CheckDefinition> parse(Map<String, Map<String, String>> checks, Map<String, DatabaseKind> workloads) {
        return CheckDefinitionParser.parse(List.of(new CheckDefinitionParser.Source("configuration", checks)), workloads);
    }

    private static CheckDefinition one(Map<String, DatabaseKind> workloads, String... kv) {
        return parse(Map.of("c", keys(kv)), workloads).get(0);
    }

    private static List<String> problems(Map<String, Map<String, String>> checks, Map<String, DatabaseKind> workloads) {
        return assertThrows(InvalidConfigurationException.class, () -> parse(checks, workloads)).problems();
    }

    private static void assertProblem(List<String> problems, String... fragments) {
        assertTrue(problems.stream().anyMatch(p -> Arrays.stream(fragments).allMatch(p::contains)),
                "no problem containing " + List.of(fragments) + " in " + problems);
    }

    @Test
    void defaultsRunOnAnalyticsEveryFiveMinutesAsAWarning() {
        CheckDefinition d = one(PG, "kind", "orphans", "table", "ledger_entries", "column", "account_id", "parent-table",
                "accounts");
        assertEquals("analytics", d.workload());
        assertEquals("5m", d.schedule().toString());
        assertEquals(Duration.ofSeconds(30), d.timeout());
        assertEquals(Severity.WARNING, d.severity());
        assertEquals(0, d.allowedViolations());
        assertEquals(CheckMode.FULL, d.mode());
        assertEquals(Map.of("table", "ledger_entries", "column", "account_id", "key-column", "id", "parent-table", "accounts",
                "parent-column", "id"), d.parameters());
    }

    @Test
    void everyProblemOfEveryCheckIsReportedAtOnce() {
        Map<String, Map<String, String>> checks = new LinkedHashMap<>();
        checks.put("bad-identifier", keys("kind", "orphans", "table", "accounts; DROP TABLE accounts", "column", "id",
                "parent-table", "p"));
        checks.put("unknown-workload", keys("kind", "sql", "sql", "SELECT 0", "workload", "reporting"));
        checks.put("missing-sql", keys("kind", "sql"));
        checks.put("bad-schedule", keys("kind", "sql", "sql", "SELECT 0", "schedule", "every tuesday"));
        checks.put("bad-cron", keys("kind", "sql", "sql", "SELECT 0", "schedule", "0 99 * * *"));
        checks.put("typo", keys("kind", "orphans", "table", "t", "column", "c", "paren-table", "p"));
        checks.put("no-kind", keys("table", "t"));
        checks.put("Bad Name", keys("kind", "sql", "sql", "SELECT 0"));
        List<String> p = problems(checks, PG);
        assertProblem(p, "poolwatch.consistency.checks.\"bad-identifier\".table", "accounts; DROP TABLE accounts",
                "plain identifier");
        assertProblem(p, "poolwatch.consistency.checks.\"unknown-workload\".workload=reporting", "no such workload", "[");
        assertProblem(p, "poolwatch.consistency.checks.\"missing-sql\".sql", "not set");
        assertProblem(p, "poolwatch.consistency.checks.\"bad-schedule\".schedule", "'every tuesday'", "cron expression");
        assertProblem(p, "poolwatch.consistency.checks.\"bad-cron\".schedule", "'0 99 * * *'", "not a valid cron expression");
        assertProblem(p, "poolwatch.consistency.checks.\"typo\".paren-table=p", "not a key of a check of kind orphans",
                "parent-table");
        assertProblem(p, "poolwatch.consistency.checks.\"typo\".parent-table", "not set");
        assertProblem(p, "poolwatch.consistency.checks.\"no-kind\".kind", "not set", "ledger-balance");
        assertProblem(p, "'Bad Name' is not a valid check name");
        assertEquals(9, p.size(), p.toString());
    }

    @Test
    void valuesAreValidatedWithWhatIsAccepted() {
        Map<String, Map<String, String>> checks = new LinkedHashMap<>();
        checks.put("c", keys("kind", "range", "table", "accounts", "column", "balance", "min", "ten", "max", "-5",
                "timeout", "0s", "severity", "urgent", "allowed-violations", "-1", "sample-rows", "1000", "mode", "everything",
                "filter-column", "kind"));
        List<String> p = problems(checks, PG);
        assertProblem(p, ".min: 'ten' is not a number");
        assertProblem(p, ".timeout=0s", "above 0s");
        assertProblem(p, ".severity: 'urgent' is not a severity; accepted: info, warning, critical");
        assertProblem(p, ".allowed-violations: '-1'", "0 or more");
        assertProblem(p, ".sample-rows: '1000' is out of range; accepted: 0 to 100");
        assertProblem(p, ".mode: 'everything' is not a mode; accepted: full, chunked, sampled");
        assertProblem(p, ".filter-values", "filter-column and filter-values go together");
    }

    @Test
    void modesAreRefusedWhereTheyCannotRun() {
        List<String> mariadb = problems(
                Map.of("c", keys("kind", "range", "table", "t", "column", "v", "min", "0", "mode", "sampled")),
                MARIADB);
        assertProblem(mariadb, ".mode=sampled", "TABLESAMPLE", "mariadb", "accepted there: full, chunked");
        assertProblem(problems(Map.of("c", keys("kind", "sql", "sql", "SELECT 0", "mode", "chunked")), PG),
                ".mode=chunked", "kind sql cannot be chunked; accepted: full");
        assertProblem(
                problems(Map.of("c", keys("kind", "ledger-balance", "table", "e", "group-column", "booked_at", "period", "day",
                        "mode", "chunked")), PG),
                ".mode=chunked", "grouped by period cannot be chunked");
        assertProblem(problems(Map.of("c", keys("kind", "not-valid-constraints")), MARIADB), ".kind=not-valid-constraints",
                "only on PostgreSQL");
        assertProblem(problems(Map.of("c", keys("kind", "sql", "sql", "SELECT 0", "chunk-size", "10")), PG), ".chunk-size=10",
                "applies only to mode=chunked");
        assertProblem(
                problems(Map.of("c", keys("kind", "sql", "sql", "SELECT 0", "workload", "nope")),
                        Map.of("main", DatabaseKind.H2)),
                "workload=nope: no such workload; accepted: one of [main]");
        assertProblem(problems(Map.of("c", keys("kind", "sql", "sql", "SELECT 0")), Map.of("main", DatabaseKind.H2)),
                ".workload: not set, and the default workload 'analytics' is not defined");
    }

    @Test
    void configurationValuesAreBoundNeverWrittenIntoTheSql() {
        CheckDefinition d = one(PG, "kind", "ledger-balance", "table", "ledger_entries", "group-column", "transaction_id",
                "direction-column", "direction", "debit-value", "D' OR '1'='1", "credit-value", "C");
        CheckQuery q = d.spec().query(DatabaseKind.POSTGRESQL, new Scope.Full(), 5);
        assertFalse(q.count().text().contains("OR '1'='1"), q.count().text());
        assertTrue(q.count().binds().contains("D' OR '1'='1"), q.count().binds().toString());

        CheckDefinition range = one(PG, "kind", "range", "table", "accounts", "column", "balance", "min", "0", "filter-column",
                "kind",
                "filter-values", "customer, business");
        CheckQuery r = range.spec().query(DatabaseKind.POSTGRESQL, new Scope.KeyRange(100, 200), 5);
        assertEquals("SELECT COUNT(*) FROM accounts d WHERE (d.balance < ?) AND d.kind IN (?, ?) AND d.id > ? AND d.id <= ?",
                r.count().text());
        assertEquals(List.of(new BigDecimal("0"), "customer", "business", 100L, 200L), r.count().binds());
    }

    @Test
    void schedulesAreIntervalsCronOrOff() {
        ZonedDateTime t = ZonedDateTime.of(2026, 11, 22, 10, 7, 30, 0, ZoneOffset.UTC);
        assertEquals(t.plusSeconds(300), CheckSchedule.parse("300s").next(t).orElseThrow());
        assertEquals("5m", CheckSchedule.parse("300s").toString());
        // crontab: at minute 0 of every hour
        assertEquals(ZonedDateTime.of(2026, 11, 22, 11, 0, 0, 0, ZoneOffset.UTC),
                CheckSchedule.parse("0 * * * *").next(t).orElseThrow());
        // Quartz, seconds first: every 15 seconds
        assertEquals(ZonedDateTime.of(2026, 11, 22, 10, 7, 45, 0, ZoneOffset.UTC),
                CheckSchedule.parse("0/15 * * * * ?").next(t).orElseThrow());
        assertTrue(CheckSchedule.parse("off").next(t).isEmpty());
        assertFalse(CheckSchedule.parse("OFF").scheduled());
        IllegalArgumentException tooOften = assertThrows(IllegalArgumentException.class, () -> CheckSchedule.parse("10ms"));
        assertTrue(tooOften.getMessage().contains("shorter than 1s"), tooOften.getMessage());
    }

    @Test
    void aDisabledCheckIsValidatedButNotDefined() {
        assertTrue(parse(Map.of("c", keys("kind", "sql", "sql", "SELECT 0", "enabled", "false")), PG).isEmpty());
        assertProblem(problems(Map.of("c", keys("kind", "sql", "enabled", "false")), PG), ".sql", "not set");
    }

    @Test
    void checksReadFromTheConfigurationMapping() {
        var config = TestConfigs.mapping(Map.of(
                "poolwatch.consistency.checks.\"ledger\".kind", "ledger-balance",
                "poolwatch.consistency.checks.\"ledger\".table", "ledger_entries",
                "poolwatch.consistency.checks.\"ledger\".group-column", "transaction_id",
                "poolwatch.consistency.checks.\"ledger\".schedule", "*/10 * * * *",
                "poolwatch.consistency.max-concurrent", "2"));
        assertEquals(2, config.consistency().maxConcurrent());
        CheckDefinition d = parse(config.consistency().checks(), PG).get(0);
        assertEquals("ledger", d.name());
        assertEquals(CheckKind.LEDGER_BALANCE, d.kind());
        assertEquals("*/10 * * * *", d.schedule().toString());
    }
}
