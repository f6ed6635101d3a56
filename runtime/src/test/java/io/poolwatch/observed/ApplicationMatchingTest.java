package io.poolwatch.observed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.UnconvertibleValues;
import io.poolwatch.engine.MariadbDialect;
import io.poolwatch.engine.ObservedSession;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Globs, client networks, which definition a session counts for, and the configuration's problems, read from real keys. */
class ApplicationMatchingTest {

    @Test
    void globsMatchWholeNamesWithStarsAndQuestionMarks() {
        assertTrue(Glob.of("mingus-api").matches("mingus-api"));
        assertFalse(Glob.of("mingus-api").matches("mingus-api2"));
        assertFalse(Glob.of("mingus-api").matches("Mingus-api"));
        assertTrue(Glob.of("mingus-*").matches("mingus-"));
        assertTrue(Glob.of("mingus-*").matches("mingus-celery"));
        assertFalse(Glob.of("mingus-*").matches("mingus"));
        assertTrue(Glob.of("*").matches(""));
        assertTrue(Glob.of("*-api").matches("billing-api"));
        assertFalse(Glob.of("*-api").matches("billing-api-2"));
        assertTrue(Glob.of("a*b*c").matches("abc"));
        assertTrue(Glob.of("a*b*c").matches("axxbyybzzc"));
        assertFalse(Glob.of("a*b*c").matches("axxcyyb"));
        assertTrue(Glob.of("worker-?").matches("worker-7"));
        assertFalse(Glob.of("worker-?").matches("worker-12"));
        assertTrue(Glob.of("?*?").matches("ab"));
        assertFalse(Glob.of("?*?").matches("a"));
        // The star before a piece must not let the piece overlap the last one: "ab" is both, once.
        assertFalse(Glob.of("*ab*ab").matches("ab"));
        assertTrue(Glob.of("*ab*ab").matches("abab"));
        // A regular expression's characters are plain characters.
        assertTrue(Glob.of("a.b+(c)").matches("a.b+(c)"));
        assertFalse(Glob.of("a.b+(c)").matches("axbb(c)"));
    }

    @Test
    void adversarialGlobsFinishAndAnswerRightly() {
        // The pattern that makes backtracking matchers exponential: here at most text × pattern comparisons.
        String pattern = "a*".repeat(60) + "b";
        String text = "a".repeat(10_000);
        assertFalse(Glob.of(pattern).matches(text));
        assertTrue(Glob.of(pattern).matches(text + "b"));
    }

    @Test
    void clientNetworksAreLiteralsOnly() {
        assertTrue(ClientNetwork.parse("127.0.0.1/32").contains("127.0.0.1"));
        assertFalse(ClientNetwork.parse("127.0.0.1/32").contains("127.0.0.2"));
        assertTrue(ClientNetwork.parse("10.0.0.0/8").contains("10.255.1.2"));
        assertFalse(ClientNetwork.parse("10.0.0.0/8").contains("127.0.0.1"));
        assertTrue(ClientNetwork.parse("10.1.2.3").contains("10.1.2.3"));
        assertTrue(ClientNetwork.parse("0.0.0.0/0").contains("192.168.1.1"));
        assertTrue(ClientNetwork.parse("192.168.7.130/25").contains("192.168.7.200"));
        assertFalse(ClientNetwork.parse("192.168.7.130/25").contains("192.168.7.100"));
        assertTrue(ClientNetwork.parse("::1/128").contains("::1"));
        assertTrue(ClientNetwork.parse("fd00::/8").contains("fd12:3456::1"));
        assertFalse(ClientNetwork.parse("fd00::/8").contains("fe80::1"));
        assertFalse(ClientNetwork.parse("::/0").contains("10.0.0.1"), "IPv4 is not in an IPv6 network");
        assertTrue(ClientNetwork.parse("10.0.0.0/8").contains("::ffff:10.1.2.3"), "an IPv4-mapped address is its IPv4 address");
        assertFalse(ClientNetwork.parse("0.0.0.0/0").contains("local"), "a socket connection has no address");
        assertFalse(ClientNetwork.parse("0.0.0.0/0").contains("localhost"), "a name is never resolved");
        for (String bad : List.of("localhost", "db.example.com", "10.1", "999.1.1.1", "10.0.0.0/33", "::1/129", "10.0.0.0/",
                "10.0.0.0/x",
                "fe80::1%eth0", "", "1.2.3.4.5", "::g")) {
            assertThrows(IllegalArgumentException.class, () -> ClientNetwork.parse(bad), bad);
        }
        assertEquals(ClientNetwork.parse("10.9.9.9/8"), ClientNetwork.parse("10.0.0.0/8"), "host bits are cleared");
    }

    @Test
    void processlistHostsLoseTheirPort() {
        assertEquals("10.1.2.3", MariadbDialect.clientAddress("10.1.2.3:51234"));
        assertEquals("::1", MariadbDialect.clientAddress("[::1]:51234"));
        assertEquals("local", MariadbDialect.clientAddress("localhost"));
        assertEquals("localhost", MariadbDialect.clientAddress("localhost:40000"));
        assertEquals("local", MariadbDialect.clientAddress(null));
    }

    @Test
    void theMostSpecificDefinitionCountsTheSession() {
        ApplicationDefinitions.Parsed parsed = parse(Map.of(
                "everyone", "*",
                "mingus", "mingus-*",
                "mingus-api", "mingus-api",
                "mingus-api-admin", "mingus-api"),
                Map.of("poolwatch.applications.\"mingus-api-admin\".user", "admin",
                        "poolwatch.applications.\"mingus-internal\".application-name", "mingus-*",
                        "poolwatch.applications.\"mingus-internal\".client-address", "10.0.0.0/8",
                        "poolwatch.applications.\"by-db\".application-name", "*",
                        "poolwatch.applications.\"by-db\".database", "other_db",
                        // No application-name: the definition's own name is the application name.
                        "poolwatch.applications.\"celery\".expected-max", "20"));
        assertEquals(List.of(), parsed.problems());
        assertEquals(List.of("mingus-api-admin", "mingus-api", "celery", "mingus-internal", "by-db", "mingus", "everyone"),
                parsed.definitions().stream().map(ApplicationDefinition::name).toList(),
                "exact names first, then more conditions, then more literal characters, then by name");
        ApplicationMatcher m = new ApplicationMatcher(parsed.definitions(), "poolwatch_test");
        assertEquals(Optional.of("mingus-api-admin"), name(m.match("mingus-api", "admin", "10.1.1.1")));
        assertEquals(Optional.of("mingus-api"), name(m.match("mingus-api", "app", "10.1.1.1")),
                "exact name beats the 10/8 glob");
        assertEquals(Optional.of("mingus-internal"), name(m.match("mingus-celery", "app", "10.1.1.1")));
        assertEquals(Optional.of("mingus"), name(m.match("mingus-celery", "app", "192.168.1.1")));
        assertEquals(Optional.of("celery"), name(m.match("celery", "app", "local")));
        assertEquals(Optional.of("everyone"), name(m.match("psql", "app", "local")));
        assertFalse(m.definitions().stream().anyMatch(d -> d.name().equals("by-db")), "by-db is looked for on other_db only");
        assertTrue(new ApplicationMatcher(parsed.definitions(), "other_db").definitions().stream()
                .anyMatch(d -> d.name().equals("by-db")));
        assertEquals(20, parsed.definitions().stream().filter(d -> d.name().equals("celery")).findFirst().orElseThrow()
                .expectedMax().getAsInt());
    }

    @Test
    void aSessionIsCountedOnceAndTheRestBecomeSuggestions() {
        ApplicationDefinitions.Parsed parsed = parse(Map.of("api", "api", "any-api", "*api*"), Map.of());
        Instant now = Instant.now();
        List<ObservedSession> sessions = List.of(
                session("api", "app", "10.0.0.1", "active"), session("api", "app", "10.0.0.2", "idle"),
                session("my-api", "app", "10.0.0.1", "idle"),
                session("psql", "alice", "local", "idle"), session("psql", "alice", "local", "idle"),
                session("psql", "bob", "local", "active"));
        ApplicationTally.Result r = ApplicationTally.tally(
                new SessionRead("127.0.0.1:5432/poolwatch_test", now, true, Optional.empty(), sessions, 0, true),
                parsed.definitions());
        ApplicationSnapshot api = r.snapshots().stream().filter(s -> s.application().equals("api")).findFirst().orElseThrow();
        ApplicationSnapshot anyApi = r.snapshots().stream().filter(s -> s.application().equals("any-api")).findFirst()
                .orElseThrow();
        assertEquals(2, api.sessions());
        assertEquals(2, api.instances());
        assertEquals(Map.of("active", 1, "idle", 1), api.sessionsByState());
        assertEquals(1, anyApi.sessions(), "the session counted for 'api' is not counted again for '*api*'");
        assertEquals(List.of(new UnmatchedSessions("127.0.0.1:5432/poolwatch_test", "psql", "alice", 2, 1),
                new UnmatchedSessions("127.0.0.1:5432/poolwatch_test", "psql", "bob", 1, 1)), r.unmatched());

        ApplicationTally.Result down = ApplicationTally.tally(
                SessionRead.unavailable("127.0.0.1:5432/poolwatch_test", now, "cannot connect"),
                parsed.definitions());
        assertEquals(2, down.snapshots().size());
        assertTrue(down.snapshots().stream().noneMatch(ApplicationSnapshot::available));
        assertEquals(Optional.of("cannot connect"), down.snapshots().get(0).unavailableReason());
        assertTrue(down.snapshots().get(0).utilization().isEmpty());
    }

    @Test
    void everyProblemIsReportedAtOnceWithKeyValueAndWhatIsAccepted() {
        Map<String, String> keys = new HashMap<>();
        keys.put("poolwatch.applications.a.expected-max", "0");
        keys.put("poolwatch.applications.b.expected-max", "lots");
        keys.put("poolwatch.applications.c.client-address", "db.example.com");
        keys.put("poolwatch.applications.d.client-address", "10.0.0.0/40");
        keys.put("poolwatch.applications.e.application-name", "x".repeat(129));
        keys.put("poolwatch.applications.f.user", " ");
        keys.put("poolwatch.applications.g.database", "db*");
        keys.put("poolwatch.applications.ok.application-name", "fine");
        ApplicationDefinitions.Parsed parsed = ApplicationDefinitions.parse(mapping(keys).applications());
        List<String> p = parsed.problems();
        assertEquals(7, p.size(), p.toString());
        assertTrue(
                p.get(0).startsWith("poolwatch.applications.\"a\".expected-max=0: accepted: a whole number from 1 to 1000000"),
                p.get(0));
        assertTrue(p.get(1).startsWith("poolwatch.applications.\"b\".expected-max=lots: accepted"), p.get(1));
        assertTrue(p.get(2).startsWith("poolwatch.applications.\"c\".client-address=\"db.example.com\": not an IP address"),
                p.get(2));
        assertTrue(p.get(2).contains("never a host name"), p.get(2));
        assertTrue(p.get(3).contains("client-address=\"10.0.0.0/40\": prefix length 40 is above 32"), p.get(3));
        assertTrue(p.get(4).startsWith("poolwatch.applications.\"e\".application-name=\"xxxx")
                && p.get(4).contains("(129 characters)")
                && p.get(4).contains("1 to 128 characters"), p.get(4));
        assertTrue(p.get(5).startsWith("poolwatch.applications.\"f\".user=\" \": accepted"), p.get(5));
        assertTrue(p.get(6).startsWith("poolwatch.applications.\"g\".database=\"db*\": accepted: a database name"), p.get(6));
        assertEquals(List.of("ok"), parsed.definitions().stream().map(ApplicationDefinition::name).toList(),
                "only the valid one is kept");

        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= ApplicationDefinitions.MAX_DEFINITIONS; i++) {
            many.put("poolwatch.applications.app" + i + ".expected-max", "5");
        }
        List<String> tooMany = new ApplicationConfigurationCheck(mapping(many)).problems(null);
        assertEquals(List.of("poolwatch.applications.*: 201 applications defined; accepted: at most 200"), tooMany);
    }

    private static ObservedSession session(String app, String user, String address, String state) {
        return new ObservedSession(app, user, address, state, state.startsWith("idle in transaction"), Optional.empty(),
                Optional.empty(),
                Optional.empty(), false);
    }

    private static Optional<String> name(Optional<ApplicationDefinition> d) {
        return d.map(ApplicationDefinition::name);
    }

    /** Definitions from real keys: name → application-name, plus any other keys. */
    static ApplicationDefinitions.Parsed parse(Map<String, String> applicationNames, Map<String, String> other) {
        Map<String, String> keys = new HashMap<>(other);
        applicationNames.forEach((n, a) -> keys.put("poolwatch.applications.\"" + n + "\".application-name", a));
        return ApplicationDefinitions.parse(mapping(keys).applications());
    }

    /** The configuration as Quarkus builds it, from these keys and a database URL. */
    static PoolwatchConfig mapping(Map<String, String> keys) {
        Map<String, String> all = new HashMap<>(keys);
        all.put("DATABASE_URL", "postgresql://app@db.example:5432/ledger");
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().withInterceptors(new UnconvertibleValues())
                .withMapping(PoolwatchConfig.class).withSources(new PropertiesConfigSource(all, "test", 100)).build();
        return config.getConfigMapping(PoolwatchConfig.class);
    }
}
