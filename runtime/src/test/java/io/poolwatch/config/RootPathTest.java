package io.poolwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The root path: its canonical form, what is refused, and how request paths are seen from it. */
class RootPathTest {

    @Test
    void theRootIsCanonical() {
        assertEquals("/", RootPath.normalize("/"));
        assertEquals("/q/poolwatch", RootPath.normalize(" /q/poolwatch/ "));
        assertEquals("/ops/pools", RootPath.normalize("/ops/pools"));
    }

    @Test
    void aRootThatIsNotAPlainAbsolutePathIsRefusedNamingTheKey() {
        for (String bad : new String[] { "", "q/poolwatch", "/q//poolwatch", "/q/../admin", "/./x", "/q/pool watch", "/q?x=1",
                "/q;x" }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RootPath.normalize(bad), bad);
            assertTrue(e.getMessage().startsWith("poolwatch.http.root-path=" + bad + ": accepted:"), e.getMessage());
        }
    }

    @Test
    void requestPathsAreSeenFromTheRoot() {
        String host = "/q/poolwatch/";
        assertEquals("/api/v1/audit", RootPath.relative("/q/poolwatch/api/v1/audit", host));
        assertEquals("/", RootPath.relative("/q/poolwatch", host));
        assertEquals("/", RootPath.relative("/q/poolwatch/", host));
        assertEquals("/accounts", RootPath.relative("/accounts", host), "a path outside the root is left as it is");
        assertTrue(RootPath.under("/q/poolwatch/actions/silences", host));
        assertTrue(RootPath.under("/q/poolwatch", host));
        assertFalse(RootPath.under("/q/poolwatcher", host), "a prefix is a path segment, not a string prefix");
        assertFalse(RootPath.under("/accounts", host));
        assertTrue(RootPath.under("/accounts", "/"), "in the standalone service every path is poolwatch's");
        assertEquals("/api/v1/audit", RootPath.relative("/api/v1/audit", "/"));
    }
}
