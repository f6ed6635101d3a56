package io.poolwatch.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import io.poolwatch.config.Limits;
import io.poolwatch.config.RootPath;
import io.quarkus.qute.TemplateData;

/**
 * Which of the overview's pools a person asked for: {@code ?q=} (plain text looked for, ignoring case, in each pool's
 * name, workload and database; never a pattern, so matching takes time linear in what it reads), {@code ?show=}
 * ({@code all}, or {@code trouble}: only pools that are down, degraded, alerting, have callers waiting, are over their
 * utilization threshold or hold leaked connections) and {@code ?page=} (from 1, {@link #PAGE_SIZE} cards a page).
 *
 * @param text the text looked for, trimmed; empty for every pool
 * @param show {@code all} or {@code trouble}
 * @param page the page asked for, from 1 (a page past the last shows the last)
 */
@TemplateData
public record PoolFilter(String text, String show, int page) {

    /** The longest {@code q} accepted. */
    public static final int MAX_TEXT = 100;
    /** Pool cards on one page of the overview: the first rows of a wide screen, and a bounded render whatever the pools. */
    public static final int PAGE_SIZE = 24;
    /** The highest {@code page} accepted: more than any configuration holds pools for. */
    public static final int MAX_PAGE = 10_000;
    /** The values {@code show} accepts. */
    public static final List<String> SHOWS = List.of("all", "trouble");

    /** Every pool, first page. */
    public static final PoolFilter NONE = new PoolFilter("", "all", 1);

    /** A refused parameter; the message names it, quotes the value and says what is accepted. */
    public static final class Invalid extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /** The parameter refused: q, show or page. */
        private final String field;

        Invalid(String field, String message) {
            super(message);
            this.field = field;
        }

        /** The parameter refused: q, show or page. */
        public String field() {
            return field;
        }
    }

    /**
     * Reads the overview's query parameters; none given is {@link #NONE}.
     *
     * @throws Invalid naming the first parameter refused
     */
    public static PoolFilter parse(String q, String show, String page) {
        String text = q == null ? "" : q.strip();
        if (text.length() > MAX_TEXT) {
            throw new Invalid("q",
                    "q=" + Limits.quote(text) + " (" + text.length() + " characters): accepted: at most " + MAX_TEXT
                            + " characters of plain text, looked for in pool names, workloads and databases, ignoring case");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                throw new Invalid("q",
                        "q=" + Limits.quote(printable(text))
                                + ": accepted: plain text without control or format characters, at most "
                                + MAX_TEXT + " characters");
            }
        }
        String s = show == null || show.isBlank() ? "all" : show.strip().toLowerCase(Locale.ROOT);
        if (!SHOWS.contains(s)) {
            throw new Invalid("show", "show=" + Limits.quote(printable(show))
                    + ": accepted: all (every pool) or trouble (pools that need a look)");
        }
        int p = 1;
        if (page != null && !page.isBlank()) {
            String v = page.strip();
            p = v.matches("[0-9]{1,5}") ? Integer.parseInt(v) : -1;
            if (p < 1 || p > MAX_PAGE) {
                throw new Invalid("page",
                        "page=" + Limits.quote(printable(page)) + ": accepted: a whole number from 1 to " + MAX_PAGE);
            }
        }
        return new PoolFilter(text, s, p);
    }

    /** A refused value as it can be quoted: control characters written as {@code \\uXXXX}. */
    private static String printable(String value) {
        StringBuilder b = new StringBuilder();
        value.codePoints().limit(Limits.QUOTED + 1L).forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    /** Whether only pools in trouble are asked for. */
    public boolean troubleOnly() {
        return show.equals("trouble");
    }

    /** Whether anything narrows the list (text or show), so the page can say the count is of matches. */
    public boolean narrows() {
        return !text.isEmpty() || troubleOnly();
    }

    /** Whether any of {@code values} contains the text, ignoring case; always with no text. */
    public boolean matches(String... values) {
        if (text.isEmpty()) {
            return true;
        }
        for (String v : values) {
            if (v != null && containsIgnoreCase(v, text)) {
                return true;
            }
        }
        return false;
    }

    /** {@code String.contains} ignoring case, without building lower-case copies: at most |value| x |text| comparisons. */
    static boolean containsIgnoreCase(String value, String text) {
        int last = value.length() - text.length();
        for (int i = 0; i <= last; i++) {
            if (value.regionMatches(true, i, text, 0, text.length())) {
                return true;
            }
        }
        return false;
    }

    /** The same filter on another page. */
    public PoolFilter onPage(int p) {
        return new PoolFilter(text, show, p);
    }

    /**
     * The query string of this filter ({@code q}, {@code show}, {@code page}), only what differs from the default, encoded,
     * without the {@code ?}; empty for {@link #NONE}.
     */
    public String query() {
        StringBuilder b = new StringBuilder();
        if (!text.isEmpty()) {
            b.append("q=").append(URLEncoder.encode(text, StandardCharsets.UTF_8));
        }
        if (troubleOnly()) {
            b.append(b.isEmpty() ? "" : "&").append("show=trouble");
        }
        if (page > 1) {
            b.append(b.isEmpty() ? "" : "&").append("page=").append(page);
        }
        return b.toString();
    }

    /** The overview at this filter, its pools in view. */
    public String pageLink() {
        String q = query();
        return RootPath.link("/") + (q.isEmpty() ? "" : "?" + q) + "#pool-list";
    }

    /** What the pools fragment fetches to refresh itself at this filter. */
    public String fragmentLink() {
        String q = query();
        return RootPath.link("/") + "?fragment=pools" + (q.isEmpty() ? "" : "&" + q);
    }
}
