package io.poolwatch.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.PostgresTestResource;
import io.poolwatch.testing.RawHttp;
import io.poolwatch.testing.SecurityProfile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * DNS rebinding: a page of evil.example whose name now points at 127.0.0.1 drives the reader's browser against
 * poolwatch. The browser sends {@code Host: evil.example:<port>} and an Origin that matches it, so the same-origin
 * rule alone lets it in; the Host is refused (421) before anything else, naming the host and the key to set.
 */
@QuarkusTest
@TestProfile(SecurityProfile.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AllowedHostsTest {

    @Test
    void aForeignHostIsRefusedEvenWithCredentialsAndAMatchingOrigin() {
        int port = RestAssured.port;
        String evil = "evil.example:" + port;
        RawHttp admin = RawHttp.to(port).basic(SecurityProfile.ADMIN, SecurityProfile.ADMIN_PASSWORD).header("Host", evil)
                .header("Origin", "http://" + evil);
        RawHttp.Answer reset = admin.send("POST", "/api/v1/pools/main/reset-metrics");
        assertEquals(421, reset.status(), reset.body());
        assertTrue(reset.body().contains("evil.example") && reset.body().contains("poolwatch.http.allowed-hosts"),
                reset.body());
        RawHttp viewer = RawHttp.to(port).basic(SecurityProfile.VIEWER, SecurityProfile.VIEWER_PASSWORD).header("Host", evil);
        RawHttp.Answer pools = viewer.send("GET", "/api/v1/pools");
        assertEquals(421, pools.status(), pools.body());
        assertFalse(pools.body().contains("\"main\""), pools.body());
        // without credentials: no challenge, the same refusal
        assertEquals(421, RawHttp.to(port).header("Host", evil).send("GET", "/api/v1/pools").status());
        // every spelling of a name that is not loopback
        for (String host : List.of("evil.example", "localhost.evil.example:" + port, "127.0.0.1.nip.io:" + port, "EVIL.example",
                "xlocalhost", "0x7f000001", "2130706433")) {
            assertEquals(421, viewer.header("Host", host).send("GET", "/api/v1/pools").status(), host);
        }
        // malformed: refused by the HTTP server itself (400) or here (421), never answered. (Vert.x 4 leaves the
        // connection without an answer for some malformed names, such as [::2 and local%68ost: nothing is served.)
        for (String host : List.of("localhost:x", "localhost:80:80")) {
            int status = viewer.header("Host", host).send("GET", "/api/v1/pools").status();
            assertTrue(status == 400 || status == 421, host + ": " + status);
        }
    }

    @Test
    void loopbackNamesAndIpAddressesAreAccepted() {
        int port = RestAssured.port;
        RawHttp viewer = RawHttp.to(port).basic(SecurityProfile.VIEWER, SecurityProfile.VIEWER_PASSWORD);
        for (String host : List.of("localhost:" + port, "LOCALHOST:" + port, "localhost", "localhost.:" + port,
                "app.localhost:" + port,
                "127.0.0.1:" + port, "[::1]:" + port, "10.1.2.3:8080", "[fd00::7]:8080")) {
            assertEquals(200, viewer.header("Host", host).send("GET", "/api/v1/pools").status(), host);
        }
        // kubelet probes address the pod by IP
        assertEquals(200, RawHttp.to(port).header("Host", "10.244.0.17:" + port).send("GET", "/q/health/live").status());
    }
}
