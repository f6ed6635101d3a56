package io.poolwatch.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.poolwatch.checks.BenchChecks;
import io.poolwatch.checks.CheckDefinition;
import io.poolwatch.checks.CheckResult;
import io.poolwatch.config.DatabaseUrl;

/**
 * One run of a consistency check on 5 million rows in each mode (full, chunked 100,000 keys, sampled 1 %), through
 * the real path: definitions parsed as configuration is, run by the check runner on a poolwatch pool, in a read-only
 * transaction. Each chunked run reads a fresh chunk at a random place. After the measurement, the statements of each
 * mode run under EXPLAIN (ANALYZE, BUFFERS) and the buffers and rows they read are printed ("work ..." lines).
 * Needs PostgreSQL on 127.0.0.1:5432, database poolwatch_test (override with -Dbench.url=...); the first run builds
 * schema bench_checks (about 600 MB with its indexes), later runs reuse it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 5, time = 5)
public class CheckModesBenchmark extends PoolUnderTest {

    private static final String WORKLOAD = "bench";
    /** EXPLAIN runs per mode for the work figures; chunks and samples differ from run to run, so they are averaged. */
    private static final int EXPLAINS = 5;

    @Param({ "orphans", "range" })
    String check;

    @Param({ "full", "chunked", "sampled" })
    String mode;

    private String url;
    private CheckDefinition definition;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        url = System.getProperty("bench.url", "jdbc:postgresql://127.0.0.1:5432/poolwatch_test?user=postgres");
        try (Connection c = DriverManager.getConnection(url)) {
            CheckBenchTable.ensure(c);
        }
        // One connection, as a check holds one; the pool is poolwatch's, with its statement timing, as in production.
        open("poolwatch", BenchPools.settings(DatabaseUrl.parse(url), 1));
        definition = BenchChecks.define(check, WORKLOAD, keys(check, mode));
    }

    /** The check's configuration keys, as they would be written under poolwatch.consistency.checks."name". */
    static Map<String, String> keys(String check, String mode) {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("workload", WORKLOAD);
        k.put("schedule", "off");
        // Above the 30 s default, so a slow full scan on a busy machine is measured rather than cancelled.
        k.put("timeout", "5m");
        k.put("table", CheckBenchTable.ENTRIES);
        switch (check) {
            case "orphans" -> {
                k.put("kind", "orphans");
                k.put("column", "account_id");
                k.put("parent-table", CheckBenchTable.ACCOUNTS);
            }
            case "range" -> {
                k.put("kind", "range");
                k.put("column", "amount");
                k.put("min", "0");
                k.put("max", "1000");
            }
            default -> throw new IllegalArgumentException(check);
        }
        k.put("mode", mode);
        switch (mode) {
            case "chunked" -> k.put("chunk-size", "100000");
            case "sampled" -> k.put("sample-percent", "1");
            case "full" -> {
            }
            default -> throw new IllegalArgumentException(mode);
        }
        return k;
    }

    /** A watermark whose next chunk is whole: keys w+1 .. w+chunk-size, all present. */
    private long randomWatermark() {
        return ThreadLocalRandom.current().nextLong(CheckBenchTable.ENTRY_ROWS - definition.chunkSize() + 1);
    }

    @Benchmark
    public CheckResult run() {
        CheckResult r = BenchChecks.run(definition, dataSource, randomWatermark());
        // The data is clean: anything but a pass (an error, a timeout) would be a wrong figure, not a slow one.
        if (!"pass".equals(r.status())) {
            throw new IllegalStateException(r.toString());
        }
        return r;
    }

    /**
     * Prints the work of the mode's statements (averaged over {@value #EXPLAINS} chunks or samples), after the
     * measurement, so the caches are as the runs left them, and with the plan the runs settled on (see {@link PlanWork.Explainer}).
     */
    @TearDown(Level.Trial)
    public void work() throws SQLException {
        int runs = mode.equals("full") ? 1 : EXPLAINS;
        PlanWork sum = PlanWork.NONE;
        String plan = "";
        System.out.println(); // JMH has started the last iteration's line
        try (Connection c = DriverManager.getConnection(url)) {
            // As the runner does: read-only, repeatable read, rolled back.
            c.setAutoCommit(false);
            try (var st = c.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            PlanWork.Explainer explainer = new PlanWork.Explainer(c);
            for (int i = 0; i < runs; i++) {
                PlanWork run = PlanWork.NONE;
                List<BenchChecks.Statement> statements = BenchChecks.statements(definition, randomWatermark());
                for (BenchChecks.Statement s : statements) {
                    run = run.plus(explainer.explain(s));
                }
                plan = run.plan();
                sum = new PlanWork(sum.hit() + run.hit(), sum.read() + run.read(), sum.rows() + run.rows(), plan);
                if (i == 0) {
                    statements.forEach(s -> System.out.println("sql " + check + " " + mode + ": " + s.text() + " " + s.binds()));
                }
            }
            c.rollback();
        }
        System.out.printf(Locale.ROOT, "work check=%s mode=%s runs=%d buffers=%d hit=%d read=%d rows=%d plan=[%s]%n", check, mode, runs,
                sum.buffers() / runs, sum.hit() / runs, sum.read() / runs, sum.rows() / runs, plan);
    }
}
