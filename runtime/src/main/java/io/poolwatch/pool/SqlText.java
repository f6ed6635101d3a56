package io.poolwatch.pool;

import java.util.regex.Pattern;

/** Statement text as poolwatch shows it: literals replaced by ?, whitespace collapsed, length bounded. */
public final class SqlText {

    /** Longest text kept; longer statements are cut with an ellipsis. */
    public static final int MAX_LENGTH = 1000;

    private static final Pattern STRING = Pattern.compile("'(?:[^']|'')*'");
    private static final Pattern DOLLAR_QUOTED = Pattern.compile("\\$([A-Za-z_]*)\\$.*?\\$\\1\\$", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z_0-9$.])-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?(?![A-Za-z_0-9])");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private SqlText() {
    }

    /** Strips values so no parameter (a password, an account number) is kept or shown. */
    public static String normalize(String sql) {
        if (sql == null) {
            return "";
        }
        String s = DOLLAR_QUOTED.matcher(sql).replaceAll("?");
        s = STRING.matcher(s).replaceAll("?");
        s = NUMBER.matcher(s).replaceAll("?");
        s = WHITESPACE.matcher(s).replaceAll(" ").strip();
        return s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH) + "…" : s;
    }
}
