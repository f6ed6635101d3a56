package io.poolwatch.observed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.TestConfigs;

/** The PgBouncer keys: the accepted URL forms, and every problem reported at once with key, value and what is accepted. */
class PgBouncerConfigurationCheckTest {

    @Test
    void everyAcceptedFormParsesToHostPortAndTheConsoleDatabase() {
        assertEquals(new PgBouncerAddress("db.example", 6432, "pgbouncer"),
                PgBouncerAddress.parse("postgresql://db.example:6432/pgbouncer"));
        assertEquals(new PgBouncerAddress("db.example", 6543, "pgbouncer"),
                PgBouncerAddress.parse("postgres://db.example:6543/pgbouncer"));
        assertEquals(new PgBouncerAddress("10.0.0.7", 7000, "pgbouncer"),
                PgBouncerAddress.parse("jdbc:postgresql://10.0.0.7:7000/pgbouncer"));
        assertEquals(new PgBouncerAddress("bouncer", 6433, "pgbouncer"), PgBouncerAddress.parse("bouncer:6433"));
        assertEquals(new PgBouncerAddress("bouncer", 6432, "pgbouncer"), PgBouncerAddress.parse("bouncer"));
        assertEquals(new PgBouncerAddress("bouncer", 6432, "pgbouncer"), PgBouncerAddress.parse("postgresql://bouncer"));
        assertEquals(new PgBouncerAddress("bouncer", 6432, "pgbouncer"), PgBouncerAddress.parse("postgresql://bouncer/"));
        PgBouncerAddress v6 = PgBouncerAddress.parse("postgresql://[::1]:6434/pgbouncer");
        assertEquals(new PgBouncerAddress("::1", 6434, "pgbouncer"), v6);
        assertEquals("[::1]:6434", v6.label());
    }

    @Test
    void aWrongFormSaysWhatIsWrongAndWhatIsAccepted() {
        for (String bad : List.of("postgresql://bouncer:6432/appdb", "bouncer:0", "bouncer:99999", "bouncer:x",
                "mysql://bouncer:3306",
                "bouncer/pgbouncer", "postgresql://bouncer:6432/pgbouncer?sslmode=require", "::1:6432", "bad host:6432", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PgBouncerAddress.parse(bad), bad);
            assertTrue(e.getMessage().contains("accepted: postgresql://host:port/pgbouncer"), e.getMessage());
        }
        IllegalArgumentException db = assertThrows(IllegalArgumentException.class,
                () -> PgBouncerAddress.parse("postgresql://b:6432/appdb"));
        assertTrue(db.getMessage().contains("'appdb' is not the admin console"), db.getMessage());
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutShowingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PgBouncerAddress.parse("postgresql://stats:hunter2-secret@bouncer:6432/pgbouncer"));
        assertFalse(e.getMessage().contains("hunter2-secret"), e.getMessage());
        assertTrue(e.getMessage().contains("credentials"), e.getMessage());
    }

    @Test
    void everyProblemIsReportedAtOnceNamingItsKey() {
        Map<String, String> keys = new HashMap<>();
        keys.put("poolwatch.pgbouncer.edge.url", "postgresql://edge:6432/appdb");
        keys.put("poolwatch.pgbouncer.edge.password", "top-secret-password");
        keys.put("poolwatch.pgbouncer.\"bad name!\".url", "bouncer:6432");
        keys.put("poolwatch.pgbouncer.\"bad name!\".username", "stats");
        keys.put("poolwatch.pgbouncer.nourl.username", "stats");
        keys.put("poolwatch.pgbouncer.blank.url", "bouncer");
        keys.put("poolwatch.pgbouncer.blank.username", " ");
        List<String> problems = PgBouncerConfigurationCheck.problems(TestConfigs.mapping(keys));
        String all = String.join("\n", problems);
        assertEquals(5, problems.size(), all);
        assertTrue(all.contains(
                "poolwatch.pgbouncer.\"edge\".url='postgresql://edge:6432/appdb': database 'appdb' is not the admin console"),
                all);
        assertTrue(
                all.contains(
                        "poolwatch.pgbouncer.\"edge\".username is missing; accepted: a user listed in PgBouncer's stats_users"),
                all);
        assertTrue(all.contains("poolwatch.pgbouncer.\"bad name!\": the name is not accepted; accepted: letters, digits"), all);
        assertTrue(all.contains("poolwatch.pgbouncer.\"nourl\".url is missing; accepted: postgresql://host:port/pgbouncer"),
                all);
        assertTrue(all.contains("poolwatch.pgbouncer.\"blank\".username=\" \": blank"), all);
        assertFalse(all.contains("top-secret-password"), all);
    }

    @Test
    void aValidDefinitionHasNoProblemAndBecomesADefinition() {
        Map<String, String> keys = Map.of("poolwatch.pgbouncer.edge.url", "jdbc:postgresql://127.0.0.1:6432/pgbouncer",
                "poolwatch.pgbouncer.edge.username", "stats", "poolwatch.pgbouncer.edge.password", "pw");
        assertEquals(List.of(), PgBouncerConfigurationCheck.problems(TestConfigs.mapping(keys)));
        List<PgBouncerDefinition> defs = PgBouncerDefinition.of(TestConfigs.mapping(keys));
        assertEquals(1, defs.size());
        assertEquals("127.0.0.1:6432", defs.get(0).address().label());
        assertEquals("stats", defs.get(0).username());
        assertFalse(defs.get(0).toString().contains("pw]"), defs.get(0).toString());
    }

    @Test
    void theNumberOfPgBouncersIsBounded() {
        Map<String, String> keys = new HashMap<>();
        for (int i = 0; i <= PgBouncerConfigurationCheck.MAX_PGBOUNCERS; i++) {
            keys.put("poolwatch.pgbouncer.b" + i + ".url", "bouncer" + i);
            keys.put("poolwatch.pgbouncer.b" + i + ".username", "stats");
        }
        List<String> problems = PgBouncerConfigurationCheck.problems(TestConfigs.mapping(keys));
        assertEquals(List.of("poolwatch.pgbouncer.\"<name>\": 51 PgBouncers defined; accepted: at most 50"), problems);
    }
}
