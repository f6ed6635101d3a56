package io.poolwatch.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The one reading of a request path that access is decided on. */
class RequestPathTest {

    @Test
    void matrixParametersAreDroppedFromEverySegment() {
        assertEquals("/api/v1/audit", RequestPath.normalize("/api/v1/audit;x"));
        assertEquals("/api/v1/audit", RequestPath.normalize("/api/v1;x/audit"));
        assertEquals("/api/v1/audit", RequestPath.normalize("/api;/v1/audit"));
        assertEquals("/api/v1/audit", RequestPath.normalize("/api;a=1;b/v1;c/audit;jsessionid=9"));
    }

    @Test
    void percentEncodingIsDecodedWhateverTheCaseOfItsDigits() {
        assertEquals("/api/v1/audit", RequestPath.normalize("/%61pi/v1/%61udit"));
        assertEquals("/api/v1/audit", RequestPath.normalize("/api/%76%31/audi%74"));
        assertEquals("/pools/caf\u00e9 x", RequestPath.normalize("/pools/caf%C3%A9%20x"));
        assertEquals("/pools/a.b", RequestPath.normalize("/pools/a%2eb"));
    }

    @Test
    void dotSegmentsAndATrailingSlashAreResolved() {
        assertEquals("/api/v1/audit", RequestPath.normalize("/api/./v1/x/../audit"));
        assertEquals("/api/v1/audit", RequestPath.normalize("/api/v1/audit/"));
        assertEquals("/api/v1/audit", RequestPath.normalize("/api/v1/audit/."));
        assertEquals("/", RequestPath.normalize("/"));
        assertEquals("/", RequestPath.normalize("/x/.."));
    }

    @Test
    void caseIsKeptAsTheRouterMatchesIt() {
        assertEquals("/API/v1/Audit", RequestPath.normalize("/API/v1/Audit"));
    }

    @Test
    void whatLayersCouldReadDifferentlyIsRefused() {
        for (String p : List.of("/api/v1%2Faudit", "/api/v1%2faudit", "/api%5Cv1/audit", "/api\\v1/audit", "/api/v1/audit%3Bx",
                "/api//v1/audit", "//api/v1/audit", "/api/%2e%2e/audit", "/api/%2E/audit", "/api/.%2e/audit",
                "/api/v1/x/..;/audit",
                "/api/v1/.;x/audit", "/;x", "/..", "/x/../..", "/api/v1/pools/%252F", "/api/v1/%zz", "/api/v1/%4", "/api/v1/%",
                "/api/%00/audit",
                "/api/%0A", "/api/%C3", "/api/%FF", "api/v1", "", "/api/v1/au dit", "/api/v1/caf\u00e9", "/a".repeat(1100))) {
            assertThrows(RequestPath.UnclearPathException.class, () -> RequestPath.normalize(p), p);
        }
        assertThrows(RequestPath.UnclearPathException.class, () -> RequestPath.normalize(null));
    }

    @Test
    void theMessageSaysWhatIsAmbiguous() {
        assertEquals("the path contains an encoded '/'",
                assertThrows(RequestPath.UnclearPathException.class, () -> RequestPath.normalize("/a%2Fb")).getMessage());
        assertEquals("the path has an empty segment ('//')",
                assertThrows(RequestPath.UnclearPathException.class, () -> RequestPath.normalize("/a//b")).getMessage());
    }
}
