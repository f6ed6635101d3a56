package io.poolwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.RootPath;

/** The overview's pool filter: what it accepts, what it refuses and how it says so, how it matches, the links it makes. */
class PoolFilterTest {

    /** The overview's path under poolwatch's root (the extension's default here). */
    private static final String ROOT = RootPath.link("/");

    @Test
    void noParametersIsEveryPoolOnTheFirstPage() {
        assertEquals(PoolFilter.NONE, PoolFilter.parse(null, null, null));
        assertEquals(PoolFilter.NONE, PoolFilter.parse("  ", "", " "));
        assertEquals("", PoolFilter.NONE.query());
        assertEquals(ROOT + "?fragment=pools", PoolFilter.NONE.fragmentLink());
        assertEquals(ROOT + "#pool-list", PoolFilter.NONE.pageLink());
        assertFalse(PoolFilter.NONE.narrows());
    }

    @Test
    void textIsPlainAndMatchesNameWorkloadOrDatabaseIgnoringCase() {
        PoolFilter f = PoolFilter.parse(" Jobs ", "TROUBLE", "3");
        assertEquals(new PoolFilter("Jobs", "trouble", 3), f);
        assertTrue(f.matches("batch-JOBS-1"));
        assertTrue(f.matches("x", "y", "127.0.0.1:5432/jobs"));
        assertFalse(f.matches("main", null, "127.0.0.1:5432/app"));
        // Regular-expression syntax is only text: it matches itself, nothing else.
        PoolFilter pattern = PoolFilter.parse("p.*", null, null);
        assertFalse(pattern.matches("p00"));
        assertTrue(pattern.matches("weird-p.*-name"));
        assertTrue(PoolFilter.containsIgnoreCase("abc", ""));
        assertFalse(PoolFilter.containsIgnoreCase("ab", "abc"));
    }

    @Test
    void linksCarryTheFilterEncoded() {
        PoolFilter f = new PoolFilter("a&b <c>", "trouble", 2);
        assertEquals("q=a%26b+%3Cc%3E&show=trouble&page=2", f.query());
        assertEquals(ROOT + "?fragment=pools&q=a%26b+%3Cc%3E&show=trouble&page=2", f.fragmentLink());
        assertEquals(ROOT + "?q=a%26b+%3Cc%3E&show=trouble#pool-list", f.onPage(1).pageLink());
    }

    @Test
    void refusedValuesNameTheFieldTheValueAndWhatIsAccepted() {
        String longText = "x".repeat(PoolFilter.MAX_TEXT + 1);
        PoolFilter.Invalid tooLong = assertThrows(PoolFilter.Invalid.class, () -> PoolFilter.parse(longText, null, null));
        assertEquals("q", tooLong.field());
        assertTrue(tooLong.getMessage().startsWith("q=xxxx"), tooLong.getMessage());
        assertTrue(tooLong.getMessage().contains("(101 characters): accepted: at most 100 characters"), tooLong.getMessage());
        assertTrue(tooLong.getMessage().length() < 300, "a long value is quoted cut");

        PoolFilter.Invalid control = assertThrows(PoolFilter.Invalid.class, () -> PoolFilter.parse("a\u0000b", null, null));
        assertEquals("q", control.field());
        assertTrue(control.getMessage().startsWith("q=a\\u0000b: accepted: plain text without control"), control.getMessage());

        PoolFilter.Invalid show = assertThrows(PoolFilter.Invalid.class, () -> PoolFilter.parse(null, "broken", null));
        assertEquals("show=broken: accepted: all (every pool) or trouble (pools that need a look)", show.getMessage());

        for (String bad : new String[] { "0", "-1", "abc", "10001", "1e3", "99999999999" }) {
            PoolFilter.Invalid page = assertThrows(PoolFilter.Invalid.class, () -> PoolFilter.parse(null, null, bad));
            assertEquals("page=" + bad + ": accepted: a whole number from 1 to 10000", page.getMessage());
        }
        assertEquals(10_000, PoolFilter.parse(null, null, "10000").page());
    }
}
