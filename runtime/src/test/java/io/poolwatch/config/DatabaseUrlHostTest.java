package io.poolwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.poolwatch.testing.TestConfigs;

/** Hosts and ports of database URLs: every form, with and without credentials, malformed ones refused without the password. */
class DatabaseUrlHostTest {

    static final List<String> SCHEMES = List.of("postgresql://", "postgres://", "postgresql+asyncpg://", "mysql://",
            "mariadb://",
            "jdbc:postgresql://", "jdbc:mariadb://", "jdbc:mysql://");
    static final List<String> USERS = List.of("", "app@", "app:topsecret@", "app:top%40secret@");

    static final List<String> MALFORMED = List.of("[::1", "[::1:5432", "[::1]x", "[::1]:", "[::1]:0", "[::1]:65536", "[zz::1]",
            "[]", "[1.2.3.4]", ":5432", "db:", "db:abc", "db:topsecret", "db:99999", "db:-1", "db:+5", "db::5432", "::1",
            "db,,db2",
            "db,", ",db", "db]", "d b", "db:5432:1", "-db", "db.");
    static final List<String> WELL_FORMED = List.of("db", "db:5432", "[::1]", "[::1]:5432", "10.0.0.1:5432",
            "db1:5432,db2:5433",
            "[fe80::1%eth0]:5432", "my_host.example.com:1", "db:65535", "[2001:db8::8a2e:370:7334]");

    static Stream<String> malformed() {
        List<String> out = new ArrayList<>();
        for (String scheme : SCHEMES) {
            for (String user : USERS) {
                if (scheme.startsWith("jdbc:") && !user.isEmpty() && !user.equals("app:topsecret@")) {
                    continue;
                }
                for (String host : MALFORMED) {
                    if (host.contains("/") && scheme.startsWith("jdbc:")) {
                        continue;
                    }
                    out.add(scheme + user + host + "/app");
                    out.add(scheme + user + host);
                }
            }
        }
        return out.stream();
    }

    static Stream<String> wellFormed() {
        List<String> out = new ArrayList<>();
        for (String scheme : SCHEMES) {
            for (String user : scheme.startsWith("jdbc:") ? List.of("") : USERS) {
                for (String host : WELL_FORMED) {
                    out.add(scheme + user + host + "/app");
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedHostsArRefusedWithoutThePassword(String raw) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(raw), raw);
        assertFalse(e.getMessage().contains("topsecret") || e.getMessage().contains("top%40secret"), e.getMessage());
        assertTrue(e.getMessage().contains("accepted"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("wellFormed")
    void wellFormedHostsAreAccepted(String raw) {
        DatabaseUrl url = DatabaseUrl.parse(raw);
        assertFalse(url.jdbcUrl().contains("topsecret"), url.jdbcUrl());
    }

    @Test
    void theVariableIsNamedWithWhatIsWrong() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> TestConfigs.resolve(Map.of(), Map.of("DATABASE_URL", "postgresql://u:topsecret@[::1/db")));
        assertEquals(1, e.problems().size(), e.getMessage());
        String problem = e.problems().get(0);
        assertTrue(problem.startsWith("DATABASE_URL: "), problem);
        assertTrue(problem.contains("'[' is not closed"), problem);
        assertTrue(problem.contains("accepted: "), problem);
        assertFalse(problem.contains("topsecret"), problem);
    }
}
