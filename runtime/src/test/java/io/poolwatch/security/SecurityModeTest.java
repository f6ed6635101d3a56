package io.poolwatch.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.testing.TestConfigs;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** When poolwatch may start open, and what it says when it may not. */
class SecurityModeTest {

    private static Config config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 100)).build();
    }

    private static PoolwatchConfig.SecurityConfig security(boolean allowAnonymous, String metrics, String token) {
        return new PoolwatchConfig.SecurityConfig() {
            @Override
            public boolean allowAnonymous() {
                return allowAnonymous;
            }

            @Override
            public String metrics() {
                return metrics;
            }

            @Override
            public Optional<String> metricsToken() {
                return Optional.ofNullable(token);
            }

            @Override
            public List<String> viewerRoles() {
                return List.of("viewer");
            }

            @Override
            public List<String> adminRoles() {
                return List.of("admin");
            }

            @Override
            public Optional<String> csrfKey() {
                return Optional.empty();
            }
        };
    }

    @Test
    void aHostWithItsOwnAuthenticationIsNotAnonymous() {
        SecurityMode.Decision d = SecurityMode.decide(config(Map.of("quarkus.http.host", "0.0.0.0")),
                security(false, "open", null),
                Optional.of("com.example.JwtIdentityProvider"));
        assertFalse(d.anonymous(), "a host that authenticates in its own way guards poolwatch's pages with it");
        assertThrows(InvalidConfigurationException.class,
                () -> SecurityMode.decide(config(Map.of("quarkus.http.host", "0.0.0.0")),
                        security(false, "open", null), Optional.empty()),
                "without any authentication the loopback rule still applies");
    }

    @Test
    void rolesAreMappedFromConfiguration() {
        var mapping = TestConfigs.mapping(Map.of("poolwatch.security.viewer-roles", "support,ops",
                "poolwatch.security.admin-roles", "sre"));
        SecurityMode.Decision d = SecurityMode.decide(config(Map.of("quarkus.http.host", "127.0.0.1")), mapping.security());
        assertEquals(Set.of("support", "ops"), d.viewerRoles());
        assertEquals(Set.of("sre"), d.adminRoles());
        var bad = TestConfigs.mapping(Map.of("poolwatch.security.admin-roles", "sre,has space"));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> SecurityMode.decide(config(Map.of("quarkus.http.host", "127.0.0.1")), bad.security()));
        assertTrue(
                e.problems().get(0).startsWith("poolwatch.security.admin-roles=sre,has space: 'has space' is not a role name"),
                e.problems().toString());
    }

    @Test
    void withoutUsersOnLoopbackItStartsOpen() {
        for (String host : new String[] { "127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2" }) {
            SecurityMode.Decision d = SecurityMode.decide(config(Map.of("quarkus.http.host", host)),
                    security(false, "open", null));
            assertTrue(d.anonymous(), host);
        }
    }

    @Test
    void withoutUsersOnAnyOtherAddressItRefusesToStartSayingHowToConfigureUsers() {
        for (String host : new String[] { "0.0.0.0", "::", "192.0.2.10" }) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> SecurityMode.decide(config(Map.of("quarkus.http.host", host)), security(false, "open", null)));
            assertEquals(1, e.problems().size());
            String p = e.problems().get(0);
            assertTrue(p.startsWith("quarkus.http.host=" + host + ": "), p);
            assertTrue(p.contains("quarkus.security.users.embedded.users.<name>") && p.contains("quarkus.oidc.auth-server-url")
                    && p.contains("poolwatch.security.allow-anonymous=true"), p);
        }
        // no host set at all: Quarkus's own default is every interface
        assertThrows(InvalidConfigurationException.class,
                () -> SecurityMode.decide(config(Map.of()), security(false, "open", null)));
    }

    @Test
    void anExplicitAllowAnonymousUsersOrOidcLetItStartOnAnyAddress() {
        assertTrue(
                SecurityMode.decide(config(Map.of("quarkus.http.host", "0.0.0.0")), security(true, "open", null)).anonymous());
        SecurityMode.Decision users = SecurityMode.decide(config(Map.of("quarkus.http.host", "0.0.0.0",
                "quarkus.security.users.embedded.users.ada", "ab12", "quarkus.security.users.embedded.roles.ada", "admin")),
                security(false, "open", null));
        assertFalse(users.anonymous());
        assertEquals(1, users.users());
        SecurityMode.Decision oidc = SecurityMode.decide(
                config(Map.of("quarkus.http.host", "0.0.0.0", "quarkus.oidc.auth-server-url",
                        "https://id.example/realms/ops", "quarkus.oidc.tenant-enabled", "true")),
                security(false, "open", null));
        assertFalse(oidc.anonymous());
        assertTrue(oidc.oidc());
        // an OIDC URL with the tenant left off is not an identity provider
        assertThrows(InvalidConfigurationException.class,
                () -> SecurityMode.decide(config(Map.of("quarkus.http.host", "0.0.0.0",
                        "quarkus.oidc.auth-server-url", "https://id.example/realms/ops", "quarkus.oidc.tenant-enabled",
                        "false")),
                        security(false, "open", null)));
    }

    @Test
    void theMetricsSettingIsValidatedWithEveryProblemAtOnceAndTheTokenNeverShown() {
        Map<String, String> local = new HashMap<>(Map.of("quarkus.http.host", "127.0.0.1"));
        InvalidConfigurationException bad = assertThrows(InvalidConfigurationException.class,
                () -> SecurityMode.decide(config(local), security(false, "secret", null)));
        assertEquals(List.of("poolwatch.security.metrics=secret: accepted: open, token, viewer"), bad.problems());

        InvalidConfigurationException missing = assertThrows(InvalidConfigurationException.class,
                () -> SecurityMode.decide(config(local), security(false, "token", null)));
        assertTrue(missing.problems().get(0).contains("poolwatch.security.metrics-token is not set"),
                missing.problems().toString());

        InvalidConfigurationException shortToken = assertThrows(InvalidConfigurationException.class,
                () -> SecurityMode.decide(config(local), security(false, "token", "hunter2")));
        assertTrue(shortToken.problems().get(0).contains("7 characters, not shown"), shortToken.problems().toString());
        assertFalse(shortToken.getMessage().contains("hunter2"));

        InvalidConfigurationException viewerWithoutUsers = assertThrows(InvalidConfigurationException.class,
                () -> SecurityMode.decide(config(local), security(false, "viewer", null)));
        assertTrue(viewerWithoutUsers.problems().get(0).startsWith("poolwatch.security.metrics=viewer but no users"));

        SecurityMode.Decision token = SecurityMode.decide(config(local), security(false, "TOKEN", "a-long-enough-token-123"));
        assertTrue(token.metricsTokenMatches("a-long-enough-token-123"));
        assertFalse(token.metricsTokenMatches("a-long-enough-token-124"));
        assertFalse(token.metricsTokenMatches(null));
    }

    @Test
    void theRoleTableCoversHealthMetricsReadsAndChanges() {
        assertEquals(Access.OPEN, Access.required("GET", "/q/health/ready"));
        assertEquals(Access.OPEN, Access.required("GET", "/q/health"));
        assertEquals(Access.METRICS, Access.required("GET", "/q/metrics"));
        assertEquals(Access.DEV, Access.required("GET", "/q/healthz"), "a prefix is a path segment, not a string prefix");
        assertEquals(Access.VIEWER, Access.required("GET", "/"));
        assertEquals(Access.VIEWER, Access.required("HEAD", "/api/v1/pools"));
        assertEquals(Access.ADMIN, Access.required("GET", "/api/v1/audit"));
        assertEquals(Access.ADMIN, Access.required("POST", "/api/v1/checks/x/run"));
        assertEquals(Access.ADMIN, Access.required("DELETE", "/api/v1/silences/x"));
        assertEquals(Access.DENY, Access.required("PATCH", "/anything"), "a path the table does not name");
        assertEquals(Access.OPEN, Access.required("POST", "/q/health/ready"), "health is open whatever the method");
    }

    @Test
    void anOriginIsTheSameOnlyWithTheSameHostAndPort() {
        assertTrue(AccessPolicy.sameOrigin("http://127.0.0.1:8080", "127.0.0.1:8080"));
        assertTrue(AccessPolicy.sameOrigin("https://poolwatch.example", "poolwatch.example"));
        assertFalse(AccessPolicy.sameOrigin("http://127.0.0.1:8081", "127.0.0.1:8080"));
        assertFalse(AccessPolicy.sameOrigin("http://evil.example", "poolwatch.example"));
        assertFalse(AccessPolicy.sameOrigin("null", "poolwatch.example"));
        assertFalse(AccessPolicy.sameOrigin("http://poolwatch.example", null));
    }
}
