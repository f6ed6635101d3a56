package io.poolwatch.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which Host headers poolwatch answers to. */
class AllowedHostsTest {

    private static final AllowedHosts LOOPBACK = AllowedHosts.of(List.of(AllowedHosts.DEFAULT.split(",")));

    @Test
    void theDefaultIsLoopbackNamesAndAnyIpLiteral() {
        for (String h : List.of("localhost", "localhost:8080", "LocalHost:1", "localhost.", "a.localhost:9", "a.b.localhost",
                "127.0.0.1:8080",
                "[::1]:8080", "[::1]", "10.0.3.7", "192.168.1.1:443", "[fd00::1]:80", "[::ffff:10.0.0.1]:80")) {
            assertTrue(LOOPBACK.allows(h), h);
        }
        assertTrue(LOOPBACK.allows(null), "no Host: not a browser");
    }

    @Test
    void otherNamesAndMalformedHostsAreRefused() {
        for (String h : List.of("evil.example", "evil.example:8080", "localhost.evil.example", "xlocalhost", "localhost:",
                "localhost:abc",
                "localhost:8080:1", "127.0.0.1.nip.io", "127.1", "0x7f000001", "2130706433", "256.0.0.1", "[::1", "[zz::1]",
                "[::1]x", "",
                "local host", "localhost/x", "localhost@evil.example")) {
            assertFalse(LOOPBACK.allows(h), h);
        }
    }

    @Test
    void namesWildcardsAndAny() {
        AllowedHosts hosts = AllowedHosts.of(List.of("poolwatch.example.com", "*.svc.cluster.local"));
        assertTrue(hosts.allows("PoolWatch.Example.com:443"));
        assertTrue(hosts.allows("poolwatch.monitoring.svc.cluster.local:8080"));
        assertFalse(hosts.allows("svc.cluster.local"), "a wildcard names what is below, not the name itself");
        assertFalse(hosts.allows("localhost"), "the list replaces the default");
        assertFalse(hosts.allows("evilsvc.cluster.local"));
        assertTrue(AllowedHosts.of(List.of("*")).allows("anything.example"));
    }

    @Test
    void aBadEntryIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllowedHosts.of(List.of("ok.example", "http://x", "*x.example")));
        assertTrue(e.getMessage().contains(AllowedHosts.KEY + "=http://x") && e.getMessage().contains("*x.example"),
                e.getMessage());
    }
}
