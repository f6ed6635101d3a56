package io.poolwatch.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of one run of a check: a statement returning the number of violations, and one returning some violating
 * rows. Values from the configuration are bound as parameters; only validated identifiers are part of the text.
 *
 * @param count returns one row whose first column is the number of violations
 * @param sample returns violating rows (at most the check's sample-rows), when the kind has them
 */
record CheckQuery(Sql count, Optional<Sql> sample) {

    /** One statement's text and its parameters, in order. */
    record Sql(String text, List<Object> binds) {
    }

    /** Builds a statement, appending text and binding values in order. */
    static final class Builder {
        private final StringBuilder text = new StringBuilder();
        private final List<Object> binds = new ArrayList<>();

        Builder sql(Object fragment) {
            text.append(fragment);
            return this;
        }

        /** Appends a parameter marker and binds {@code value} to it. */
        Builder bind(Object value) {
            text.append('?');
            binds.add(value);
            return this;
        }

        /** Appends {@code (?, ?, ...)} binding each value. */
        Builder bindList(List<?> values) {
            text.append('(');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    text.append(", ");
                }
                bind(values.get(i));
            }
            text.append(')');
            return this;
        }

        Sql build() {
            return new Sql(text.toString(), List.copyOf(binds));
        }
    }
}
