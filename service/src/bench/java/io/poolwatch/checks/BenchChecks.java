package io.poolwatch.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.poolwatch.engine.DatabaseKind;

/**
 * What a benchmark of the consistency checks needs from this package: a check validated as configuration would be, a
 * run from a chosen watermark through {@link CheckRunner}, and the statements such a run executes.
 */
public final class BenchChecks {

    private BenchChecks() {
    }

    /** One statement of a run: its text and its parameters, in order. */
    public record Statement(String text, List<Object> binds) {
    }

    /** A check on {@code workload}, a PostgreSQL pool, made of {@code keys}; parsed by {@link CheckDefinitionParser}. */
    public static CheckDefinition define(String name, String workload, Map<String, String> keys) {
        List<CheckDefinition> parsed = CheckDefinitionParser.parse(List.of(new CheckDefinitionParser.Source("bench", Map.of(name, keys))),
                Map.of(workload, DatabaseKind.POSTGRESQL));
        if (parsed.size() != 1) {
            throw new IllegalArgumentException("check " + name + " is disabled: " + keys);
        }
        return parsed.get(0);
    }

    /**
     * Runs {@code check} once, as the scheduler does. In chunked mode the run starts from a new cursor whose watermark
     * is {@code watermark}, so it reads keys {@code watermark + 1 .. watermark + chunk-size}; other modes ignore it.
     */
    public static CheckResult run(CheckDefinition check, DataSource dataSource, long watermark) {
        ChunkCursor cursor = new ChunkCursor();
        if (check.mode() == CheckMode.CHUNKED) {
            cursor.advance(watermark, List.of());
        }
        return CheckRunner.run(check, dataSource, cursor, "manual");
    }

    /**
     * The statements a run that finds no violation executes (a failing run also reads its sample rows): the count of
     * its scope, preceded in chunked mode by the key bounds the runner reads first. The chunk is the one
     * {@link #run(CheckDefinition, DataSource, long)} reads from {@code watermark}, assuming keys beyond its end exist.
     */
    public static List<Statement> statements(CheckDefinition check, long watermark) {
        List<Statement> out = new ArrayList<>();
        Scope scope = switch (check.mode()) {
            case FULL -> new Scope.Full();
            case SAMPLED -> check.sampleScope();
            case CHUNKED -> {
                // The same text as CheckRunner's bounds query, which it does not expose.
                CheckSpec.ChunkKey key = check.spec().chunkKey().orElseThrow();
                out.add(statement(new CheckQuery.Builder().sql("SELECT MIN(").sql(key.column()).sql("), MAX(").sql(key.column())
                        .sql(") FROM ").sql(key.table()).build()));
                yield new Scope.KeyRange(watermark, watermark + check.chunkSize());
            }
        };
        out.add(statement(check.spec().query(check.database(), scope, check.sampleRows()).count()));
        return List.copyOf(out);
    }

    private static Statement statement(CheckQuery.Sql sql) {
        return new Statement(sql.text(), sql.binds());
    }
}
