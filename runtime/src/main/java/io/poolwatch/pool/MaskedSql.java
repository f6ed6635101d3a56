package io.poolwatch.pool;

import io.poolwatch.engine.DatabaseKind;

/**
 * A statement as poolwatch keeps and shows it (another application's, or a slow statement of its own pools): every literal
 * (quoted string, dollar-quoted string,
 * number) replaced by {@code ?}, comments dropped, whitespace collapsed, cut to {@link #MAX_LENGTH} characters.
 * <p>
 * One left-to-right pass without regular expressions, so any text, an unterminated quote or megabytes of it, costs
 * time linear in the part read, and at most {@link #MAX_INPUT} characters are read. Regular expressions are
 * avoided on purpose: an alternation inside a repeated group ({@code '(?:[^']|'')*'}) recurses once per character in
 * {@code java.util.regex} and overflows the stack on a long string, and a lazy dollar-quote pattern rescans an
 * unterminated one from every {@code $}. A quote left open (the statement was cut by the server's
 * {@code track_activity_query_size}) masks everything after it: more is hidden, never less.
 * <p>
 * Quoting follows the server: PostgreSQL's standard strings take no backslash escapes ({@code E'...'} strings do) and
 * {@code "..."} is an identifier, kept; MariaDB's strings take backslash escapes and {@code "..."} is a string (unless
 * the server runs with {@code ANSI_QUOTES}, where an identifier would be masked too: again more hidden, not less).
 */
public final class MaskedSql {

    /** Longest text kept; longer statements end with an ellipsis. */
    public static final int MAX_LENGTH = 500;
    /** Most characters of a statement read; what follows is dropped before masking. */
    public static final int MAX_INPUT = 16 * 1024;
    /** The longest dollar-quote tag recognised (PostgreSQL identifiers are at most 63 bytes). */
    private static final int MAX_TAG = 63;

    private MaskedSql() {
    }

    /** {@code sql} with every literal masked, whitespace collapsed and its length bounded; empty for null. */
    public static String mask(String sql, DatabaseKind kind) {
        return mask(sql, kind, MAX_LENGTH);
    }

    /** {@link #mask(String, DatabaseKind)} keeping at most {@code maxLength} characters (then an ellipsis). */
    public static String mask(String sql, DatabaseKind kind, int maxLength) {
        if (sql == null || sql.isEmpty()) {
            return "";
        }
        boolean mariadb = kind.dialect().backslashEscapes();
        boolean cut = sql.length() > MAX_INPUT;
        String s = cut ? sql.substring(0, MAX_INPUT) : sql;
        int n = s.length();
        Out out = new Out(maxLength);
        int i = 0;
        while (i < n && !out.full()) {
            char c = s.charAt(i);
            if (c == '\'') {
                // E'...' (PostgreSQL) takes backslash escapes; MariaDB's strings always do.
                boolean escapes = mariadb
                        || (i > 0 && (s.charAt(i - 1) == 'E' || s.charAt(i - 1) == 'e') && !identifierChar(s, i - 2));
                i = skipQuoted(s, i + 1, '\'', escapes);
                out.literal();
            } else if (c == '"') {
                if (mariadb) {
                    i = skipQuoted(s, i + 1, '"', true);
                    out.literal();
                } else {
                    int end = skipQuoted(s, i + 1, '"', false);
                    out.append(s, i, end);
                    i = end;
                }
            } else if (c == '`' && mariadb) {
                int end = skipQuoted(s, i + 1, '`', false);
                out.append(s, i, end);
                i = end;
            } else if (c == '$' && !mariadb && !identifierChar(s, i - 1)) {
                int tagEnd = dollarTagEnd(s, i);
                if (tagEnd < 0) {
                    out.append(c);
                    i++;
                } else {
                    // $tag$ ... $tag$: the closing tag is searched for once, from after the opening one.
                    String tag = s.substring(i, tagEnd + 1);
                    int close = s.indexOf(tag, tagEnd + 1);
                    i = close < 0 ? n : close + tag.length();
                    out.literal();
                }
            } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? n : nl;
                out.space();
            } else if (c == '#' && mariadb) {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? n : nl;
                out.space();
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int close = s.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
                out.space();
            } else if ((isDigit(c) || (c == '.' && i + 1 < n && isDigit(s.charAt(i + 1)))) && !identifierChar(s, i - 1)) {
                i = skipNumber(s, i);
                out.literal();
            } else if (Character.isWhitespace(c)) {
                out.space();
                i++;
            } else if (identifierStart(c)) {
                // A whole word at once, so the digits in "table2" or "$1" are not taken for numbers.
                int end = i + 1;
                while (end < n && identifierChar(s, end)) {
                    end++;
                }
                out.append(s, i, end);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.finish(cut || i < n);
    }

    /** Index just past the closing quote (a doubled quote, or a backslash-escaped one where allowed, does not close). */
    private static int skipQuoted(String s, int from, char quote, boolean backslash) {
        int n = s.length();
        int i = from;
        while (i < n) {
            char c = s.charAt(i);
            if (backslash && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < n && s.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /**
     * Index of the second {@code $} of a dollar-quote tag starting at {@code start}, or -1 when it is none ({@code $1}, a lone
     * $).
     */
    private static int dollarTagEnd(String s, int start) {
        int n = s.length();
        int i = start + 1;
        if (i < n && s.charAt(i) == '$') {
            return i;
        }
        if (i >= n || !(Character.isLetter(s.charAt(i)) || s.charAt(i) == '_')) {
            return -1;
        }
        int limit = Math.min(n, start + 2 + MAX_TAG);
        while (i < limit) {
            char c = s.charAt(i);
            if (c == '$') {
                return i;
            }
            if (!(Character.isLetterOrDigit(c) || c == '_')) {
                return -1;
            }
            i++;
        }
        return -1;
    }

    private static int skipNumber(String s, int from) {
        int n = s.length();
        int i = from;
        if (s.charAt(i) == '0' && i + 1 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
            i += 2;
            while (i < n && (Character.digit(s.charAt(i), 16) >= 0 || s.charAt(i) == '_')) {
                i++;
            }
            return i;
        }
        while (i < n && (isDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.')) {
            i++;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            if (j < n && isDigit(s.charAt(j))) {
                i = j;
                while (i < n && isDigit(s.charAt(i))) {
                    i++;
                }
            }
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean identifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '$' || c == '@';
    }

    /** Whether the character at {@code i} (if any) continues a word: a literal cannot start right after it. */
    private static boolean identifierChar(String s, int i) {
        if (i < 0 || i >= s.length()) {
            return false;
        }
        char c = s.charAt(i);
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** The output, whitespace collapsed as it is written, bounded at {@code max} characters. */
    private static final class Out {
        private final StringBuilder b = new StringBuilder(64);
        private final int max;
        private boolean pendingSpace;

        Out(int max) {
            this.max = max;
        }

        boolean full() {
            return b.length() > max;
        }

        void space() {
            pendingSpace = b.length() > 0;
        }

        void literal() {
            append('?');
        }

        void append(char c) {
            flushSpace();
            b.append(c);
        }

        void append(String s, int from, int to) {
            flushSpace();
            b.append(s, from, Math.min(to, from + max + 1 - Math.min(b.length(), max)));
        }

        private void flushSpace() {
            if (pendingSpace) {
                b.append(' ');
                pendingSpace = false;
            }
        }

        String finish(boolean more) {
            if (b.length() > max) {
                return b.substring(0, max) + "…";
            }
            return more ? b + "…" : b.toString();
        }
    }
}
