package io.poolwatch.checks;

import java.util.regex.Pattern;

/**
 * A table or column name a built-in check puts into its SQL. Only plain identifiers are accepted (letters, digits,
 * '_' and '$', not starting with a digit, optionally qualified by one schema), so no configuration value can
 * change the statement's meaning. They are written unquoted, exactly as the operator would type them in SQL.
 */
record SqlIdentifier(String text) {

    private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

    static final String ACCEPTED = "a plain identifier (letters, digits, '_' and '$', not starting with a digit, at most 63 "
            + "characters), optionally qualified as schema.table";

    /** Parses a table name, which may be schema-qualified. */
    static SqlIdentifier table(String text) {
        String value = text.trim();
        String[] parts = value.split("\\.", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("'" + text + "' is not a table name; accepted: " + ACCEPTED);
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a table name; accepted: " + ACCEPTED);
            }
        }
        return new SqlIdentifier(value);
    }

    /** Parses a column name, never qualified. */
    static SqlIdentifier column(String text) {
        String value = text.trim();
        if (!PART.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a column name; accepted: a plain identifier (letters, "
                    + "digits, '_' and '$', not starting with a digit, at most 63 characters)");
        }
        return new SqlIdentifier(value);
    }

    @Override
    public String toString() {
        return text;
    }
}
