package io.poolwatch.config;

import static io.poolwatch.testing.TestConfigs.resolve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.poolwatch.engine.TlsMode;
import io.poolwatch.testing.TestConfigs;

/**
 * TLS keys: resolution through the layers, mapping to each driver, and every refusal named with key, value and what is
 * accepted.
 */
class TlsSettingsTest {

    /** A self-signed CA certificate; only parsed here, never used to verify anything. */
    private static final String CA_PEM = """
            -----BEGIN CERTIFICATE-----
            MIIBlzCCAT2gAwIBAgIUMHTrFvo7LLOjl1hRVBfy0Zbjf9MwCgYIKoZIzj0EAwIw
            ITEfMB0GA1UEAwwWcG9vbHdhdGNoIHVuaXQgdGVzdCBDQTAeFw0yNjEyMDExMDIx
            NDBaFw0zNjExMjgxMDIxNDBaMCExHzAdBgNVBAMMFnBvb2x3YXRjaCB1bml0IHRl
            c3QgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARTOsCRqd78FQt3M8o49i1x
            KJCvTZQl0PEEs1YEqYpiJwV6t4JrT9AP3AQL6Dkw8Z5aSRlXZT1vLQ+eoWB7JNZl
            o1MwUTAdBgNVHQ4EFgQUPPXDms8aQre8K9lzF9FeiW6rNZ8wHwYDVR0jBBgwFoAU
            PPXDms8aQre8K9lzF9FeiW6rNZ8wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQD
            AgNIADBFAiEA9qMga/lIVynFyIm3bFwB0K1YCZDeZcBqPC/08MRy5o0CIDGG4j2+
            kM37SE7jvkaW7rX9Cbfbi4ANhHOoUa1/o6/B
            -----END CERTIFICATE-----
            """;
    private static final Map<String, String> PG = Map.of("DATABASE_URL", "postgresql://app:topsecret@db.example:5432/ledger");
    private static final Map<String, String> MARIADB = Map.of("DATABASE_URL", "mysql://app:topsecret@db.example:3306/ledger");

    @TempDir
    static Path dir;
    private static String ca;
    private static String notPem;

    @BeforeAll
    static void files() throws IOException {
        ca = Files.writeString(dir.resolve("ca.pem"), CA_PEM, StandardCharsets.UTF_8).toString();
        notPem = Files.writeString(dir.resolve("notes.txt"), "not a certificate\n", StandardCharsets.UTF_8).toString();
    }

    private static Map<String, String> props(String... kv) {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return TestConfigs.only(p, "main");
    }

    private static PoolSettings main(Map<String, String> properties, Map<String, String> seed) {
        return resolve(properties, seed).pool("main").orElseThrow();
    }

    private static List<String> problems(Map<String, String> properties, Map<String, String> seed) {
        return assertThrows(InvalidConfigurationException.class, () -> resolve(properties, seed)).problems();
    }

    private static void assertProblem(List<String> problems, String... fragments) {
        assertTrue(problems.stream().anyMatch(p -> List.of(fragments).stream().allMatch(p::contains)),
                "no problem contains " + List.of(fragments) + " in " + problems);
    }

    @Test
    void verifyFullMapsToPgjdbcWithTheCaAndTheDefaultFactory() {
        PoolSettings s = main(props("poolwatch.defaults.tls.mode", "verify-full", "poolwatch.defaults.tls.ca-file", ca), PG);
        assertEquals(TlsMode.VERIFY_FULL, s.tls().mode());
        assertEquals(Optional.of(ca), s.tls().caFile());
        assertEquals("verify-full", s.jdbcProperties().get("sslmode"));
        assertEquals(ca, s.jdbcProperties().get("sslrootcert"));
        assertEquals("org.postgresql.ssl.LibPQFactory", s.jdbcProperties().get("sslfactory"));
        assertEquals("poolwatch.defaults.tls.mode", s.sources().get("tls.mode"));
        assertEquals("poolwatch.defaults.tls.ca-file", s.sources().get("tls.ca-file"));
    }

    @Test
    void modesMapToMariadbConnectorJ() {
        Map<String, String> expected = Map.of("disable", "disable", "prefer", "disable", "require", "trust", "verify-ca",
                "verify-ca",
                "verify-full", "verify-full");
        expected.forEach((mode, sslMode) -> {
            Map<String, String> p = props("poolwatch.pools.main.tls.mode", mode);
            if (mode.startsWith("verify")) {
                p.put("poolwatch.pools.main.tls.ca-file", ca);
            }
            PoolSettings s = main(p, MARIADB);
            assertEquals(sslMode, s.jdbcProperties().get("sslMode"), mode);
            assertEquals(mode.startsWith("verify") ? ca : null, s.jdbcProperties().get("serverSslCert"), mode);
            assertFalse(s.jdbcProperties().containsKey("sslmode"), mode);
        });
    }

    @Test
    void withoutKeysTheUrlThenTheDriverDefaultDecides() {
        PoolSettings fromUrl = main(props(), Map.of("DATABASE_URL", "postgresql://app:pw@db.example/ledger?ssl=require"));
        assertEquals(TlsMode.REQUIRE, fromUrl.tls().mode());
        assertEquals("DATABASE_URL (URL parameter sslmode)", fromUrl.tls().modeSource());
        PoolSettings pgDefault = main(props(), PG);
        assertEquals(TlsMode.PREFER, pgDefault.tls().mode());
        assertEquals("built-in", pgDefault.sources().get("tls.mode"));
        assertFalse(pgDefault.jdbcProperties().containsKey("sslmode"), "nothing set that the driver would not do anyway");
        assertEquals(TlsMode.DISABLE, main(props(), MARIADB).tls().mode());
        PoolSettings jdbc = main(
                props("poolwatch.pools.main.url", "jdbc:postgresql://db.example/ledger?ssl=true&sslrootcert=" + ca), Map.of());
        assertEquals(TlsMode.VERIFY_FULL, jdbc.tls().mode(), "pgjdbc: ssl=true without sslmode verifies fully");
        PoolSettings h2 = main(props("poolwatch.pools.main.url", "jdbc:h2:mem:tls"), Map.of());
        assertFalse(h2.tls().applicable());
    }

    @Test
    void theKeyWinsOverTheSeedUrl() {
        PoolSettings s = main(props("poolwatch.pools.main.tls.mode", "verify-ca", "poolwatch.pools.main.tls.ca-file", ca),
                Map.of("DATABASE_URL", "postgresql://app:pw@db.example/ledger?sslmode=require"));
        assertEquals("verify-ca", s.jdbcProperties().get("sslmode"));
        assertEquals("poolwatch.pools.\"main\".tls.mode", s.tls().modeSource());
    }

    @Test
    void replicasConnectWithTheirWorkloadsTls() {
        PoolSettings s = main(props("poolwatch.pools.main.tls.mode", "verify-full", "poolwatch.pools.main.tls.ca-file", ca,
                "poolwatch.pools.main.replicas.1.url", "postgresql://app:pw@replica.example/ledger"), PG);
        PoolSettings replica = s.replicas().get(0).pool();
        assertEquals(TlsMode.VERIFY_FULL, replica.tls().mode());
        assertEquals(ca, replica.jdbcProperties().get("sslrootcert"));
    }

    @Test
    void badValuesAreNamedWithKeyValueAndWhatIsAccepted() {
        assertProblem(problems(props("poolwatch.pools.main.tls.mode", "verify_full"), PG),
                "poolwatch.pools.\"main\".tls.mode=verify_full",
                "unknown TLS mode", "disable, prefer, require, verify-ca, verify-full");
        assertProblem(problems(
                props("poolwatch.pools.main.tls.mode", "verify-full", "poolwatch.pools.main.tls.ca-file", "/nowhere/ca.pem"),
                PG), "poolwatch.pools.\"main\".tls.ca-file=/nowhere/ca.pem", "no such file", "PEM");
        assertProblem(
                problems(props("poolwatch.pools.main.tls.mode", "verify-full", "poolwatch.pools.main.tls.ca-file", notPem), PG),
                "tls.ca-file=" + notPem, "no X.509 certificate");
        assertProblem(problems(
                props("poolwatch.pools.main.tls.mode", "verify-ca", "poolwatch.pools.main.tls.ca-file", dir.toString()), PG),
                "not a regular file");
        assertProblem(problems(props("poolwatch.pools.main.tls.mode", "verify-full"), PG),
                "poolwatch.pools.\"main\".tls.mode=verify-full",
                "needs the CA certificate", "~/.postgresql/root.crt", "poolwatch.pools.\"main\".tls.ca-file");
        assertProblem(problems(props(), Map.of("DATABASE_URL", "mysql://app:pw@db.example/ledger?ssl=verify-full")),
                "DATABASE_URL (URL parameter sslmode)=verify-full", "needs the CA certificate");
        assertProblem(problems(props("poolwatch.pools.main.tls.mode", "require", "poolwatch.pools.main.tls.ca-file", ca), PG),
                "tls.ca-file=" + ca, "tls.mode=require", "does not verify", "verify-full");
        assertProblem(problems(
                props("poolwatch.pools.main.tls.mode", "require", "poolwatch.pools.main.jdbc-properties.sslmode", "disable"),
                PG), "poolwatch.pools.\"main\".jdbc-properties.sslmode=disable", "both set TLS");
        assertProblem(problems(props("poolwatch.pools.main.tls.mode", "require", "poolwatch.pools.main.url",
                "jdbc:postgresql://db.example/ledger?sslmode=disable"), Map.of()), "URL parameter sslmode", "would override");
        assertProblem(
                problems(props("poolwatch.pools.main.tls.mode", "require", "poolwatch.pools.main.url", "jdbc:h2:mem:x"),
                        Map.of()),
                "H2", "tls.mode=disable");
    }

    @Test
    void everyProblemIsReportedTogether() {
        List<String> p = problems(props("poolwatch.pools.main.tls.mode", "sometimes", "poolwatch.pools.main.max-size", "0"),
                PG);
        assertProblem(p, "tls.mode=sometimes");
        assertProblem(p, "max-size");
    }
}
