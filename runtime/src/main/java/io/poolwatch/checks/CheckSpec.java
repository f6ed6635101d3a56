package io.poolwatch.checks;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.poolwatch.engine.DatabaseKind;

/**
 * What a check of each kind looks at, and the SQL it runs. Every statement reads a driving table {@code d}, whose
 * scope (whole table, a key range, a sample of pages) the run chooses.
 */
sealed interface CheckSpec {

    CheckKind kind();

    /** The table and numeric column a chunked run advances over; empty when the kind cannot be chunked. */
    Optional<ChunkKey> chunkKey();

    /** Whether a run may read a sample of the table's pages. */
    boolean sampleable();

    /** The statements of one run. */
    CheckQuery query(DatabaseKind db, Scope scope, int sampleRows);

    /** The parameters as configured, for the API and the dashboard. */
    Map<String, String> parameters();

    /** A table and its numeric key column. */
    record ChunkKey(SqlIdentifier table, SqlIdentifier column) {
    }

    /** A check of the rows of one table, walked by one key column: chunked by that key, and sampleable. */
    sealed interface KeyedCheck extends CheckSpec {

        /** The table checked. */
        SqlIdentifier table();

        /** Its key column, which chunks and samples walk. */
        SqlIdentifier key();

        @Override
        default Optional<ChunkKey> chunkKey() {
            return Optional.of(new ChunkKey(table(), key()));
        }

        @Override
        default boolean sampleable() {
            return true;
        }
    }

    /** Debit/credit columns of ledger entries, or signed amounts when there is no direction column. */
    record Entries(SqlIdentifier amount, Optional<SqlIdentifier> direction, String debit, String credit) {

        /** The entry's amount with credits positive and debits negative, on alias {@code e}. */
        void signedAmount(CheckQuery.Builder b, String alias) {
            if (direction.isEmpty()) {
                b.sql(alias).sql('.').sql(amount);
                return;
            }
            String dir = alias + "." + direction.get();
            b.sql("CASE WHEN ").sql(dir).sql(" = ").bind(credit).sql(" THEN ").sql(alias + "." + amount).sql(" WHEN ").sql(dir)
                    .sql(" = ").bind(debit).sql(" THEN -").sql(alias + "." + amount).sql(" ELSE 0 END");
        }

        void describe(Map<String, String> out) {
            out.put("amount-column", amount.text());
            direction.ifPresent(d -> {
                out.put("direction-column", d.text());
                out.put("debit-value", debit);
                out.put("credit-value", credit);
            });
        }
    }

    /** Child rows whose foreign key matches no parent row. */
    record Orphans(SqlIdentifier table, SqlIdentifier column, SqlIdentifier key, SqlIdentifier parentTable,
            SqlIdentifier parentColumn) implements KeyedCheck {

        @Override
        public CheckKind kind() {
            return CheckKind.ORPHANS;
        }

        private void from(CheckQuery.Builder b, Scope scope) {
            b.sql(" FROM ").sql(table).sql(" d").sql(scope.tableSample()).sql(" WHERE d.").sql(column).sql(" IS NOT NULL")
                    .sql(" AND NOT EXISTS (SELECT 1 FROM ").sql(parentTable).sql(" p WHERE p.").sql(parentColumn).sql(" = d.")
                    .sql(column).sql(')');
            scope.keyRange(b, "d." + key);
        }

        @Override
        public CheckQuery query(DatabaseKind db, Scope scope, int sampleRows) {
            CheckQuery.Builder count = new CheckQuery.Builder().sql("SELECT COUNT(*)");
            from(count, scope);
            CheckQuery.Builder sample = new CheckQuery.Builder().sql("SELECT d.").sql(key).sql(", d.").sql(column);
            from(sample, scope);
            sample.sql(" ORDER BY d.").sql(key).sql(" LIMIT " + sampleRows);
            return new CheckQuery(count.build(), Optional.of(sample.build()));
        }

        @Override
        public Map<String, String> parameters() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("table", table.text());
            p.put("column", column.text());
            p.put("key-column", key.text());
            p.put("parent-table", parentTable.text());
            p.put("parent-column", parentColumn.text());
            return p;
        }
    }

    /** Groups of entries (by a column's value, or by day or month of a timestamp) whose debits and credits differ. */
    record LedgerBalance(SqlIdentifier table, SqlIdentifier group, Optional<String> period,
            Entries entries) implements CheckSpec {

        @Override
        public CheckKind kind() {
            return CheckKind.LEDGER_BALANCE;
        }

        @Override
        public Optional<ChunkKey> chunkKey() {
            return period.isPresent() ? Optional.empty() : Optional.of(new ChunkKey(table, group));
        }

        @Override
        public boolean sampleable() {
            return period.isEmpty();
        }

        private String groupExpression(DatabaseKind db) {
            String column = "d." + group;
            if (period.isEmpty()) {
                return column;
            }
            return db.dialect().truncate(column, period.get());
        }

        /** The groups in scope: a sample of pages picks groups, and each picked group is read whole. */
        private void from(CheckQuery.Builder b, Scope scope) {
            b.sql(" FROM ").sql(table).sql(" d WHERE 1 = 1");
            scope.keyRange(b, "d." + group);
            if (scope instanceof Scope.Sample) {
                b.sql(" AND d.").sql(group).sql(" IN (SELECT s.").sql(group).sql(" FROM ").sql(table).sql(" s")
                        .sql(scope.tableSample()).sql(')');
            }
        }

        private void unbalanced(CheckQuery.Builder b) {
            b.sql(" HAVING SUM(");
            entries.signedAmount(b, "d");
            b.sql(") <> 0");
        }

        @Override
        public CheckQuery query(DatabaseKind db, Scope scope, int sampleRows) {
            String g = groupExpression(db);
            CheckQuery.Builder count = new CheckQuery.Builder().sql("SELECT COUNT(*) FROM (SELECT ").sql(g).sql(" AS grp");
            from(count, scope);
            count.sql(" GROUP BY ").sql(g);
            unbalanced(count);
            count.sql(") x");
            CheckQuery.Builder sample = new CheckQuery.Builder().sql("SELECT ").sql(g).sql(" AS ")
                    .sql(period.isPresent() ? "period_start" : group.text())
                    .sql(", SUM(");
            entries.signedAmount(sample, "d");
            sample.sql(") AS credits_minus_debits, COUNT(*) AS entries");
            from(sample, scope);
            sample.sql(" GROUP BY ").sql(g);
            unbalanced(sample);
            sample.sql(" ORDER BY 1 LIMIT " + sampleRows);
            return new CheckQuery(count.build(), Optional.of(sample.build()));
        }

        @Override
        public Map<String, String> parameters() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("table", table.text());
            p.put("group-column", group.text());
            period.ifPresent(v -> p.put("period", v));
            entries.describe(p);
            return p;
        }
    }

    /** Accounts whose balance is not the sum of their entries. */
    record AccountBalance(SqlIdentifier table, SqlIdentifier key, SqlIdentifier balance, SqlIdentifier entriesTable,
            SqlIdentifier account, Entries entries, boolean creditPositive) implements KeyedCheck {

        @Override
        public CheckKind kind() {
            return CheckKind.ACCOUNT_BALANCE;
        }

        /** Each account in scope with its balance and the sum of its entries. */
        private void accounts(CheckQuery.Builder b, Scope scope) {
            b.sql("(SELECT d.").sql(key).sql(" AS ").sql(key).sql(", d.").sql(balance).sql(" AS ").sql(balance)
                    .sql(", (SELECT COALESCE(SUM(").sql(creditPositive ? "" : "-(");
            entries.signedAmount(b, "e");
            b.sql(creditPositive ? "" : ")").sql("), 0) FROM ").sql(entriesTable).sql(" e WHERE e.").sql(account).sql(" = d.")
                    .sql(key)
                    .sql(") AS entries_total FROM ").sql(table).sql(" d").sql(scope.tableSample()).sql(" WHERE 1 = 1");
            scope.keyRange(b, "d." + key);
            b.sql(") a WHERE a.").sql(balance).sql(" <> a.entries_total");
        }

        @Override
        public CheckQuery query(DatabaseKind db, Scope scope, int sampleRows) {
            CheckQuery.Builder count = new CheckQuery.Builder().sql("SELECT COUNT(*) FROM ");
            accounts(count, scope);
            CheckQuery.Builder sample = new CheckQuery.Builder().sql("SELECT a.* FROM ");
            accounts(sample, scope);
            sample.sql(" ORDER BY a.").sql(key).sql(" LIMIT " + sampleRows);
            return new CheckQuery(count.build(), Optional.of(sample.build()));
        }

        @Override
        public Map<String, String> parameters() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("table", table.text());
            p.put("key-column", key.text());
            p.put("balance-column", balance.text());
            p.put("entries-table", entriesTable.text());
            p.put("account-column", account.text());
            entries.describe(p);
            p.put("balance-sign", creditPositive ? "credit-positive" : "debit-positive");
            return p;
        }
    }

    /** Values outside [min, max], optionally only on rows whose filter column has one of some values. */
    record Range(SqlIdentifier table, SqlIdentifier column, SqlIdentifier key, Optional<BigDecimal> min,
            Optional<BigDecimal> max,
            Optional<SqlIdentifier> filterColumn, List<String> filterValues) implements KeyedCheck {

        @Override
        public CheckKind kind() {
            return CheckKind.RANGE;
        }

        private void from(CheckQuery.Builder b, Scope scope) {
            b.sql(" FROM ").sql(table).sql(" d").sql(scope.tableSample()).sql(" WHERE (");
            String c = "d." + column;
            if (min.isPresent()) {
                b.sql(c).sql(" < ").bind(min.get());
            }
            if (min.isPresent() && max.isPresent()) {
                b.sql(" OR ");
            }
            if (max.isPresent()) {
                b.sql(c).sql(" > ").bind(max.get());
            }
            b.sql(')');
            filterColumn.ifPresent(f -> b.sql(" AND d.").sql(f).sql(" IN ").bindList(filterValues));
            scope.keyRange(b, "d." + key);
        }

        @Override
        public CheckQuery query(DatabaseKind db, Scope scope, int sampleRows) {
            CheckQuery.Builder count = new CheckQuery.Builder().sql("SELECT COUNT(*)");
            from(count, scope);
            CheckQuery.Builder sample = new CheckQuery.Builder().sql("SELECT d.").sql(key).sql(", d.").sql(column);
            filterColumn.ifPresent(f -> sample.sql(", d.").sql(f));
            from(sample, scope);
            sample.sql(" ORDER BY d.").sql(key).sql(" LIMIT " + sampleRows);
            return new CheckQuery(count.build(), Optional.of(sample.build()));
        }

        @Override
        public Map<String, String> parameters() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("table", table.text());
            p.put("column", column.text());
            p.put("key-column", key.text());
            min.ifPresent(v -> p.put("min", v.toPlainString()));
            max.ifPresent(v -> p.put("max", v.toPlainString()));
            filterColumn.ifPresent(f -> {
                p.put("filter-column", f.text());
                p.put("filter-values", String.join(",", filterValues));
            });
            return p;
        }
    }

    /**
     * Rows sharing their business key with another row. A full run groups the whole table; a bounded run looks up
     * each row in scope against the whole table (an index on the key keeps that cheap). Either way the count is the
     * number of rows whose key another row has.
     */
    record Duplicates(SqlIdentifier table, List<SqlIdentifier> keyColumns, SqlIdentifier key) implements KeyedCheck {

        @Override
        public CheckKind kind() {
            return CheckKind.DUPLICATES;
        }

        private String columns(String alias) {
            return keyColumns.stream().map(c -> alias + "." + c).collect(Collectors.joining(", "));
        }

        private String notNull(String alias) {
            return keyColumns.stream().map(c -> alias + "." + c + " IS NOT NULL").collect(Collectors.joining(" AND "));
        }

        private void twins(CheckQuery.Builder b, Scope scope) {
            b.sql(" FROM ").sql(table).sql(" d").sql(scope.tableSample()).sql(" WHERE ").sql(notNull("d"));
            scope.keyRange(b, "d." + key);
            b.sql(" AND EXISTS (SELECT 1 FROM ").sql(table).sql(" o WHERE ")
                    .sql(keyColumns.stream().map(c -> "o." + c + " = d." + c).collect(Collectors.joining(" AND ")))
                    .sql(" AND o.").sql(key).sql(" <> d.").sql(key).sql(')');
        }

        @Override
        public CheckQuery query(DatabaseKind db, Scope scope, int sampleRows) {
            if (scope instanceof Scope.Full) {
                String group = " FROM " + table + " d WHERE " + notNull("d") + " GROUP BY " + columns("d")
                        + " HAVING COUNT(*) > 1";
                CheckQuery.Builder count = new CheckQuery.Builder().sql("SELECT COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n")
                        .sql(group).sql(") x");
                CheckQuery.Builder sample = new CheckQuery.Builder().sql("SELECT ").sql(columns("d"))
                        .sql(", COUNT(*) AS copies")
                        .sql(group).sql(" ORDER BY COUNT(*) DESC LIMIT " + sampleRows);
                return new CheckQuery(count.build(), Optional.of(sample.build()));
            }
            CheckQuery.Builder count = new CheckQuery.Builder().sql("SELECT COUNT(*)");
            twins(count, scope);
            CheckQuery.Builder sample = new CheckQuery.Builder().sql("SELECT d.").sql(key).sql(", ").sql(columns("d"));
            twins(sample, scope);
            sample.sql(" ORDER BY d.").sql(key).sql(" LIMIT " + sampleRows);
            return new CheckQuery(count.build(), Optional.of(sample.build()));
        }

        @Override
        public Map<String, String> parameters() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("table", table.text());
            p.put("key-columns", keyColumns.stream().map(SqlIdentifier::text).collect(Collectors.joining(",")));
            p.put("key-column", key.text());
            return p;
        }
    }

    /** PostgreSQL constraints added NOT VALID and never validated: rows written before them were never checked. */
    record NotValidConstraints(Optional<String> schema) implements CheckSpec {

        @Override
        public CheckKind kind() {
            return CheckKind.NOT_VALID_CONSTRAINTS;
        }

        @Override
        public Optional<ChunkKey> chunkKey() {
            return Optional.empty();
        }

        @Override
        public boolean sampleable() {
            return false;
        }

        private void from(CheckQuery.Builder b) {
            b.sql(" FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace WHERE NOT c.convalidated")
                    .sql(" AND n.nspname NOT IN ('pg_catalog', 'information_schema')");
            schema.ifPresent(s -> b.sql(" AND n.nspname = ").bind(s));
        }

        @Override
        public CheckQuery query(DatabaseKind db, Scope scope, int sampleRows) {
            CheckQuery.Builder count = new CheckQuery.Builder().sql("SELECT COUNT(*)");
            from(count);
            CheckQuery.Builder sample = new CheckQuery.Builder()
                    .sql("SELECT n.nspname AS schema_name, c.conrelid::regclass::text AS table_name, "
                            + "c.conname AS constraint_name, pg_catalog.pg_get_constraintdef(c.oid) AS definition");
            from(sample);
            sample.sql(" ORDER BY 1, 2, 3 LIMIT " + sampleRows);
            return new CheckQuery(count.build(), Optional.of(sample.build()));
        }

        @Override
        public Map<String, String> parameters() {
            return schema.map(s -> Map.of("schema", s)).orElse(Map.of());
        }
    }

    /** An operator's query: its first column of its first row is the number of violations. */
    record CustomSql(String sql, Optional<String> sampleSql) implements CheckSpec {

        @Override
        public CheckKind kind() {
            return CheckKind.SQL;
        }

        @Override
        public Optional<ChunkKey> chunkKey() {
            return Optional.empty();
        }

        @Override
        public boolean sampleable() {
            return false;
        }

        @Override
        public CheckQuery query(DatabaseKind db, Scope scope, int sampleRows) {
            return new CheckQuery(new CheckQuery.Sql(sql, List.of()), sampleSql.map(s -> new CheckQuery.Sql(s, List.of())));
        }

        @Override
        public Map<String, String> parameters() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("sql", sql);
            sampleSql.ifPresent(s -> p.put("sample-sql", s));
            return p;
        }
    }
}
