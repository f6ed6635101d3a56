package io.poolwatch.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.checks.BenchChecks;

/**
 * The work PostgreSQL did for one statement, from {@code EXPLAIN (ANALYZE, BUFFERS)}: shared buffers touched (found in
 * PostgreSQL's cache, or read from the operating system's) and rows read by the scans.
 *
 * @param hit buffers found in shared buffers
 * @param read buffers read from outside shared buffers (the OS page cache or the disk)
 * @param rows rows the scans read: those they returned plus those their filters removed
 * @param plan the plan's node types, outermost first
 */
record PlanWork(long hit, long read, long rows, String plan) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SCANS = Set.of("Seq Scan", "Sample Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan");

    static final PlanWork NONE = new PlanWork(0, 0, 0, "");

    /** Shared buffers touched, wherever they came from. */
    long buffers() {
        return hit + read;
    }

    PlanWork plus(PlanWork o) {
        return new PlanWork(hit + o.hit, read + o.read, rows + o.rows, plan.isEmpty() ? o.plan : plan + "; " + o.plan);
    }

    /**
     * Explains statements on one connection as a long-lived pool connection runs them. pgjdbc prepares a statement on
     * the server from its 5th execution, and from then on PostgreSQL's plan cache may pick a generic plan, made without
     * the parameters' values (a chunk's bounds): so each statement is prepared once, executed 5 times, and only then
     * explained, {@code EXPLAIN (ANALYZE, BUFFERS) EXECUTE}, with the values of the run being explained.
     */
    static final class Explainer {
        /** Executions before the plan cache decides between a custom and a generic plan. */
        private static final int SETTLING_RUNS = 5;

        private final Connection connection;
        private final Map<String, String> prepared = new HashMap<>();

        Explainer(Connection connection) {
            this.connection = connection;
        }

        PlanWork explain(BenchChecks.Statement statement) throws SQLException {
            String arguments = statement.binds().isEmpty() ? ""
                    : statement.binds().stream().map(PlanWork::literal).collect(Collectors.joining(", ", "(", ")"));
            try (Statement st = connection.createStatement()) {
                String name = prepared.get(statement.text());
                if (name == null) {
                    name = "bench_" + prepared.size();
                    st.execute("PREPARE " + name + " AS " + numbered(statement.text()));
                    // Without parameters the generic plan is the custom one: nothing to settle.
                    for (int i = 0; i < (statement.binds().isEmpty() ? 0 : SETTLING_RUNS); i++) {
                        st.execute("EXECUTE " + name + arguments);
                    }
                    prepared.put(statement.text(), name);
                }
                try (ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE " + name + arguments)) {
                    rs.next();
                    return of(JSON.readTree(rs.getString(1)).get(0).get("Plan"));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new SQLException("unreadable EXPLAIN output", e);
                }
            }
        }
    }

    /** The statement with its JDBC markers numbered as PostgreSQL's ($1, $2 ...); check SQL has no other '?'. */
    static String numbered(String text) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (char ch : text.toCharArray()) {
            if (ch == '?') {
                out.append('$').append(++n);
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** A bound value as a literal: the checks benchmarked bind only numbers (keys, bounds). */
    private static String literal(Object value) {
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Long || value instanceof Integer) {
            return value.toString();
        }
        throw new IllegalArgumentException("not a number: " + value);
    }

    /**
     * Sums the plan's nodes. A node's buffers include its children's, so a node counts the larger of its own figure
     * and its children's sum: that also counts parallel workers' buffers whether or not the Gather above them reports them.
     */
    static PlanWork of(JsonNode node) {
        long childHit = 0;
        long childRead = 0;
        long rows = 0;
        StringBuilder plan = new StringBuilder(node.path("Parallel Aware").asBoolean() ? "Parallel " : "");
        String type = node.get("Node Type").asText();
        String join = node.path("Join Type").asText("Inner");
        plan.append(join.equals("Inner") ? type : type.replace(" Join", " " + join + " Join"));
        if (node.has("Relation Name")) {
            plan.append(" on ").append(node.get("Relation Name").asText());
        }
        if (node.has("Plans")) {
            plan.append(" (");
            boolean first = true;
            for (JsonNode child : node.get("Plans")) {
                PlanWork w = of(child);
                childHit += w.hit;
                childRead += w.read;
                rows += w.rows;
                plan.append(first ? "" : ", ").append(w.plan);
                first = false;
            }
            plan.append(')');
        }
        long hit = Math.max(childHit, node.path("Shared Hit Blocks").asLong());
        long read = Math.max(childRead, node.path("Shared Read Blocks").asLong());
        if (SCANS.contains(node.get("Node Type").asText())) {
            // Per-loop averages in EXPLAIN; times the loops (workers count as loops) for the total.
            double perLoop = node.path("Actual Rows").asDouble() + node.path("Rows Removed by Filter").asDouble()
                    + node.path("Rows Removed by Index Recheck").asDouble();
            rows += Math.round(perLoop * node.path("Actual Loops").asDouble());
        }
        return new PlanWork(hit, read, rows, plan.toString());
    }
}
