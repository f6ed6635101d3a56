package io.poolwatch.pool;

import java.util.regex.Pattern;

import io.poolwatch.engine.DatabaseKind;

/** Statement text as poolwatch shows it: literals replaced by ?, whitespace collapsed, length bounded. */
public final class SqlText {

    /** Longest text kept; longer statements are cut with an ellipsis. */
    public static final int MAX_LENGTH = 1000;

    /** A minus sign that makes a masked number negative rather than subtracting (not after a name or a value). */
    private static final Pattern SIGNED = Pattern.compile("(?<![A-Za-z_0-9$.?)\\]])-\\?");

    private SqlText() {
    }

    /**
     * Strips values so no parameter (a password, an account number) is kept or shown, reading the literals as
     * {@code kind}'s server does: on MariaDB a backslash escapes a quote inside a string, so read as PostgreSQL reads it
     * the rest of {@code 'it\\'s a secret'} would be shown as text.
     */
    public static String normalize(String sql, DatabaseKind kind) {
        // One linear pass (MaskedSql): the regular expressions used before overflowed the stack on a long string literal.
        // The sign of a negative number goes with it, so "x = -7" reads "x = ?" as before; no repetition, so linear.
        return SIGNED.matcher(MaskedSql.mask(sql, kind, MAX_LENGTH)).replaceAll("?");
    }
}
