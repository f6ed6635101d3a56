package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.config.TlsWarning;
import io.poolwatch.engine.TlsMode;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.TestConfigs;
import io.poolwatch.testing.TlsPostgresCluster;

/**
 * TLS to a real PostgreSQL with a certificate made by the test setup: verified with the right CA, refused with another CA
 * or a host name the certificate does not carry, and the encryption reported by the server on the pool's own connections.
 */
class TlsPostgresTest {

    private static TlsPostgresCluster.Server server;

    @BeforeAll
    static void cluster() {
        server = TlsPostgresCluster.require();
    }

    private static ResolvedConfiguration config(String host, String mode, String caFile) {
        Map<String, String> p = new HashMap<>();
        p.put("poolwatch.pools.main.url", server.jdbcUrl(host));
        p.put("poolwatch.pools.main.username", "postgres");
        p.put("poolwatch.pools.main.min-size", "1");
        p.put("poolwatch.pools.main.connect-timeout", "5s");
        p.put("poolwatch.pools.main.acquisition-timeout", "5s");
        p.put("poolwatch.pools.main.tls.mode", mode);
        if (caFile != null) {
            p.put("poolwatch.defaults.tls.ca-file", caFile);
        }
        return TestConfigs.resolve(TestConfigs.only(p, "main"), Map.of());
    }

    private static TlsStatus measured(WorkloadPool pool) throws InterruptedException {
        Await.until("the server reported the TLS of a connection", () -> pool.tls().measuredAt().isPresent());
        return pool.tls();
    }

    @Test
    void verifyFullWithTheCaConnectsEncrypted() throws Exception {
        ResolvedConfiguration config = config("localhost", "verify-full", server.caFile().toString());
        PoolSettings s = config.pool("main").orElseThrow();
        assertEquals(TlsMode.VERIFY_FULL, s.tls().mode());
        assertEquals("poolwatch.pools.\"main\".tls.mode", s.sources().get("tls.mode"));
        assertEquals("poolwatch.defaults.tls.ca-file", s.sources().get("tls.ca-file"));
        assertEquals(server.caFile().toString(), s.jdbcProperties().get("sslrootcert"));
        try (PoolGroup pools = PoolGroup.open(config.pools(), config.monitoring())) {
            WorkloadPool main = pools.get("main");
            try (Connection c = main.dataSource().getConnection()) {
                assertTrue(c.isValid(2));
            }
            TlsStatus tls = measured(main);
            assertEquals(Optional.of(true), tls.encrypted(), tls.toString());
            assertTrue(tls.protocol().orElseThrow().startsWith("TLSv"), tls.toString());
            assertFalse(tls.cipher().orElseThrow().isBlank());
            // The probe runs on the driver's connection, not through the pool's statement recorder.
            assertEquals(0, main.statements().statements());
        }
    }

    @Test
    void verifyFullWithAnotherCaFailsToCreateConnections() throws Exception {
        ResolvedConfiguration config = config("localhost", "verify-full", server.otherCaFile().toString());
        try (PoolGroup pools = PoolGroup.open(config.pools(), config.monitoring())) {
            WorkloadPool main = pools.get("main");
            assertThrows(SQLException.class, () -> main.dataSource().getConnection().close());
            Await.until("a creation failure is recorded", () -> main.recorder().lastCreationError().isPresent());
            String reason = main.recorder().lastCreationError().orElseThrow();
            assertTrue(reason.contains("SSL") || reason.contains("certificate") || reason.contains("PKIX"), reason);
            assertTrue(main.tls().encrypted().isEmpty(), "no connection, nothing measured: " + main.tls());
        }
    }

    @Test
    void verifyFullThroughAnAddressTheCertificateDoesNotNameFails() throws Exception {
        ResolvedConfiguration config = config(TlsPostgresCluster.UNNAMED_ADDRESS, "verify-full", server.caFile().toString());
        try (PoolGroup pools = PoolGroup.open(config.pools(), config.monitoring())) {
            WorkloadPool main = pools.get("main");
            assertThrows(SQLException.class, () -> main.dataSource().getConnection().close());
            Await.until("a creation failure is recorded", () -> main.recorder().lastCreationError().isPresent());
            String reason = main.recorder().lastCreationError().orElseThrow();
            assertTrue(reason.contains(TlsPostgresCluster.UNNAMED_ADDRESS), reason);
        }
        // The same address with verify-ca: the CA check alone passes, so the refusal above was the name.
        ResolvedConfiguration caOnly = config(TlsPostgresCluster.UNNAMED_ADDRESS, "verify-ca", server.caFile().toString());
        try (PoolGroup pools = PoolGroup.open(caOnly.pools(), caOnly.monitoring())) {
            WorkloadPool main = pools.get("main");
            main.dataSource().getConnection().close();
            assertEquals(Optional.of(true), measured(main).encrypted());
        }
    }

    @Test
    void disableReportsAnUnencryptedConnection() throws Exception {
        ResolvedConfiguration config = config("127.0.0.1", "disable", null);
        PoolSettings s = config.pool("main").orElseThrow();
        assertEquals("disable", s.jdbcProperties().get("sslmode"));
        // Loopback: no production warning even without TLS.
        assertTrue(TlsWarning.warning(s).isEmpty());
        try (PoolGroup pools = PoolGroup.open(config.pools(), config.monitoring())) {
            WorkloadPool main = pools.get("main");
            main.dataSource().getConnection().close();
            TlsStatus tls = measured(main);
            assertEquals(Optional.of(false), tls.encrypted(), tls.toString());
            assertTrue(tls.protocol().isEmpty());
        }
    }
}
