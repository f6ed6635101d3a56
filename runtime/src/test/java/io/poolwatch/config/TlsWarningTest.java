package io.poolwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.poolwatch.engine.TlsMode;
import io.poolwatch.testing.TestConfigs;

/** The production warning: no TLS required, and a host that is not loopback. */
class TlsWarningTest {

    @Test
    void loopbackHosts() {
        for (String h : List.of("localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "db.localhost",
                "localhost.")) {
            assertTrue(TlsWarning.isLoopback(h), h);
        }
        for (String h : List.of("db.example", "10.0.0.5", "128.0.0.1", "::2", "localhost.example.com", "127.0.0.1.nip.io")) {
            assertFalse(TlsWarning.isLoopback(h), h);
        }
    }

    @Test
    void warnsOnlyWhenTlsIsNotRequiredAndTheHostIsNotLoopback() {
        assertTrue(TlsWarning.warns("db.example", TlsMode.DISABLE));
        assertTrue(TlsWarning.warns("db.example", TlsMode.PREFER));
        assertTrue(TlsWarning.warns("10.0.0.5", TlsMode.ALLOW));
        assertFalse(TlsWarning.warns("db.example", TlsMode.REQUIRE));
        assertFalse(TlsWarning.warns("db.example", TlsMode.VERIFY_FULL));
        assertFalse(TlsWarning.warns("127.0.0.1", TlsMode.DISABLE));
        assertFalse(TlsWarning.warns("localhost", TlsMode.PREFER));
    }

    @Test
    void hostsOfEachUrlForm() {
        assertEquals(List.of("db1", "db2"),
                TlsWarning.hosts(DatabaseUrl.parse("jdbc:postgresql://db1:5432,db2/app?sslmode=disable")));
        assertEquals(List.of("[::1]"), TlsWarning.hosts(DatabaseUrl.parse("jdbc:postgresql://[::1]:5432/app")));
        assertEquals(List.of("db.example"), TlsWarning.hosts(DatabaseUrl.parse("mysql://u:secret@db.example:3306/app")));
        assertEquals(List.of("a", "b"),
                TlsWarning.hosts(
                        DatabaseUrl.parse("jdbc:mariadb://address=(host=a)(port=3306),address=(host=b)(port=3307)/app")));
        assertEquals(List.of(), TlsWarning.hosts(DatabaseUrl.parse("jdbc:h2:mem:x")));
    }

    @Test
    void theWarningNamesPoolHostModeAndKeysButNeverThePassword() {
        PoolSettings s = TestConfigs.resolve(TestConfigs.only(Map.of(), "main"),
                Map.of("DATABASE_URL", "postgresql://app:topsecret@db.example:5432/ledger?sslmode=disable")).pool("main")
                .orElseThrow();
        String w = TlsWarning.warning(s).orElseThrow();
        assertTrue(w.contains("pool main connects to db.example without TLS"), w);
        assertTrue(w.contains("poolwatch.pools.\"main\".tls.mode=verify-full"), w);
        assertTrue(w.contains("DATABASE_URL"), w);
        assertFalse(w.contains("topsecret"), w);
        PoolSettings local = TestConfigs.resolve(TestConfigs.only(Map.of(), "main"),
                Map.of("DATABASE_URL", "postgresql://app:pw@127.0.0.1:5432/ledger?sslmode=disable")).pool("main").orElseThrow();
        assertTrue(TlsWarning.warning(local).isEmpty());
    }
}
