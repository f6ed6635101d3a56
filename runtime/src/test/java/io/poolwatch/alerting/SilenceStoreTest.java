package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.poolwatch.store.Database;

/** Silences kept with the outbox: across a restart (a new process on the same file) and between replicas sharing it. */
class SilenceStoreTest {

    private static final Instant NOW = Instant.now();
    private static final Map<String, String> JOBS = Map.of("alertname", "pool-utilization", "pool", "jobs");

    @TempDir
    Path dir;

    @Test
    void aSilenceSurvivesARestartAndItsEndIsKeptToo() {
        Silencer before = new Silencer(Clock.fixed(NOW, ZoneOffset.UTC));
        // Made before the store was there (the outbox opens after start-up): written to it when attached.
        Silence early = before.create(List.of(new Silence.Matcher("pool", "main", null, null)), NOW.plus(Duration.ofHours(2)),
                "a", "early");
        Silence s;
        try (Database database = Database.h2File(dir)) {
            before.attach(new JdbcSilenceStore(database));
            s = before.create(List.of(new Silence.Matcher("pool", "j.*", true, null)), NOW.plus(Duration.ofHours(1)), "oncall",
                    "deploy");
        }
        try (Database database = Database.h2File(dir)) {
            Silencer after = new Silencer(Clock.fixed(NOW, ZoneOffset.UTC));
            after.attach(new JdbcSilenceStore(database));
            assertEquals(List.of(s.id()), after.matching(JOBS, NOW));
            assertTrue(after.all().stream().anyMatch(x -> x.id().equals(early.id())), after.all().toString());
            Silence stored = after.all().stream().filter(x -> x.id().equals(s.id())).findFirst().orElseThrow();
            assertEquals(s, stored, "matchers, times, author and comment as made");
            after.expire(s.id());
        }
        try (Database database = Database.h2File(dir)) {
            Silencer third = new Silencer(Clock.fixed(NOW.plusSeconds(1), ZoneOffset.UTC));
            third.attach(new JdbcSilenceStore(database));
            assertTrue(third.matching(JOBS, NOW.plusSeconds(1)).isEmpty(), "expired before the restart");
        }
    }

    @Test
    void replicasSharingTheOutboxSeeEachOthersSilences() throws Exception {
        try (Database database = Database.h2File(dir)) {
            Silencer a = new Silencer(Clock.systemUTC());
            Silencer b = new Silencer(Clock.systemUTC());
            a.attach(new JdbcSilenceStore(database));
            b.attach(new JdbcSilenceStore(database));
            Silence s = a.create(List.of(new Silence.Matcher("pool", "jobs", null, null)),
                    Instant.now().plus(Duration.ofHours(1)), "a", "x");
            assertTrue(b.matching(JOBS, Instant.now()).isEmpty(), "not until b reads the store again");
            b.refresh();
            assertEquals(List.of(s.id()), b.matching(JOBS, Instant.now()));
        }
    }
}
