package io.poolwatch.observed;

/**
 * A name pattern with {@code *} (any run of characters, none included) and {@code ?} (one character); every other
 * character stands for itself, case-sensitively. Matched without backtracking: the pattern is cut at its stars, the
 * first piece must start the text, the last must end it, and each piece between is taken at its leftmost place after
 * the one before (leftmost is always safe, since a star can absorb whatever a later place would have skipped). That is
 * at most text length × pattern length comparisons, and both are bounded by the configuration check.
 */
public final class Glob {

    private final String pattern;
    private final String[] pieces;

    private Glob(String pattern) {
        this.pattern = pattern;
        this.pieces = pattern.split("\\*", -1);
    }

    /** A glob of this pattern (a literal when it holds neither {@code *} nor {@code ?}). */
    public static Glob of(String pattern) {
        return new Glob(pattern);
    }

    /** Whether the pattern holds {@code *} or {@code ?}. */
    public static boolean isGlob(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
    }

    /** The pattern as written. */
    public String pattern() {
        return pattern;
    }

    /** Whether the whole of {@code text} matches. */
    public boolean matches(String text) {
        if (pieces.length == 1) {
            return text.length() == pattern.length() && regionMatches(text, 0, pattern);
        }
        String first = pieces[0];
        String last = pieces[pieces.length - 1];
        if (text.length() < first.length() + last.length()) {
            return false;
        }
        if (!regionMatches(text, 0, first) || !regionMatches(text, text.length() - last.length(), last)) {
            return false;
        }
        int from = first.length();
        int end = text.length() - last.length();
        for (int i = 1; i < pieces.length - 1; i++) {
            String piece = pieces[i];
            int at = find(text, from, end, piece);
            if (at < 0) {
                return false;
            }
            from = at + piece.length();
        }
        return true;
    }

    /** The leftmost place at or after {@code from} where {@code piece} matches wholly before {@code end}, or -1. */
    private static int find(String text, int from, int end, String piece) {
        for (int at = from; at + piece.length() <= end; at++) {
            if (regionMatches(text, at, piece)) {
                return at;
            }
        }
        return -1;
    }

    private static boolean regionMatches(String text, int at, String piece) {
        for (int i = 0; i < piece.length(); i++) {
            char p = piece.charAt(i);
            if (p != '?' && p != text.charAt(at + i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
