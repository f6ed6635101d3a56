package io.poolwatch.checks;

import java.util.Locale;

/** The part of a table one run of a check reads. */
sealed interface Scope {

    /** The whole table. */
    record Full() implements Scope {
        @Override
        public String describe() {
            return "whole table";
        }
    }

    /** Keys in (after, upTo]. */
    record KeyRange(long after, long upTo) implements Scope {
        @Override
        public String describe() {
            return "keys " + (after + 1) + ".." + upTo;
        }
    }

    /** A random sample of the table's pages. */
    record Sample(double percent) implements Scope {
        @Override
        public String describe() {
            return String.format(Locale.ROOT, "%s%% of the table's pages", CheckDefinitionParser.formatPercent(percent));
        }
    }

    /** How the scope reads in results: whole table, keys 1..100000, 1% of the table's pages. */
    String describe();

    /** The TABLESAMPLE clause for a sampled scope, empty otherwise. The percent is a validated number, not text. */
    default String tableSample() {
        return this instanceof Sample s ? " TABLESAMPLE SYSTEM (" + CheckDefinitionParser.formatPercent(s.percent()) + ")" : "";
    }

    /** {@code AND <column> > ? AND <column> <= ?} for a key range, nothing otherwise. */
    default void keyRange(CheckQuery.Builder b, String column) {
        if (this instanceof KeyRange r) {
            b.sql(" AND ").sql(column).sql(" > ").bind(r.after()).sql(" AND ").sql(column).sql(" <= ").bind(r.upTo());
        }
    }
}
