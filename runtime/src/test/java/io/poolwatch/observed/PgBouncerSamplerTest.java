package io.poolwatch.observed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.poolwatch.metrics.MetricNames;
import io.poolwatch.metrics.PgBouncerMetricsAccess;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.PgBouncerServer;
import io.poolwatch.testing.TestConfigs;
import io.vertx.core.Vertx;

/** The sampler and its meters against a real PgBouncer in front of the test PostgreSQL. */
class PgBouncerSamplerTest {

    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A sampler built from the configuration keys, as the application builds it. */
    static PgBouncerSampler sampler(String name, String url, String user, String password) {
        Map<String, String> keys = new HashMap<>();
        keys.put("poolwatch.pgbouncer.\"" + name + "\".url", url);
        keys.put("poolwatch.pgbouncer.\"" + name + "\".username", user);
        if (password != null) {
            keys.put("poolwatch.pgbouncer.\"" + name + "\".password", password);
        }
        keys.put("poolwatch.sampling.server-query-timeout", "2s");
        return new PgBouncerSampler(vertx, TestConfigs.mapping(keys));
    }

    static PgBouncerSampler sampler(PgBouncerServer b) {
        return sampler("edge", b.consoleUrl(), b.statsUser(), b.statsPassword());
    }

    @Test
    void clientsMadeToWaitShowInTheSnapshotAndTheMetersThenGoAway() throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (PgBouncerServer b = PgBouncerServer.builder().poolSize(1).poolMode("transaction").start()) {
            PgBouncerSampler sampler = sampler(b);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            PgBouncerMetricsAccess.bind(registry, sampler);
            try (Connection holder = b.connect()) {
                holder.setAutoCommit(false);
                try (Statement st = holder.createStatement()) {
                    st.execute("SELECT 1");
                }
                // The one server connection is the holder's until it commits: the next client's query waits at PgBouncer.
                Future<Integer> waiter = background.submit(() -> {
                    try (Connection c = b.connect();
                            Statement st = c.createStatement();
                            ResultSet rs = st.executeQuery("SELECT 42")) {
                        rs.next();
                        return rs.getInt(1);
                    }
                });
                Await.until("a client waits at PgBouncer", () -> {
                    sampler.sampleNow();
                    return sampler.latest("edge").map(s -> s.clientsWaiting() >= 1 && s.maxWaitSeconds() > 0).orElse(false);
                });
                PgBouncerSnapshot s = sampler.latest("edge").orElseThrow();
                assertTrue(s.up(), s.toString());
                assertEquals(b.address(), s.address());
                PgBouncerPool pool = s.pools().stream().filter(p -> p.database().equals(PgBouncerServer.DATABASE)).findFirst()
                        .orElseThrow();
                assertEquals(1, pool.clientsWaiting(), s.toString());
                assertEquals("transaction", pool.mode());
                assertEquals(1, pool.serversActive(), s.toString());
                assertTrue(pool.maxWaitSeconds() > 0, s.toString());
                // holder + waiter + poolwatch's own console connection
                assertTrue(s.clientConnections() >= 3, s.toString());
                assertEquals(100, s.maxClientConnections().getAsInt());
                assertEquals(1, s.defaultPoolSize().getAsInt());
                assertTrue(s.version().orElse("").startsWith("PgBouncer"), s.toString());
                assertFalse(s.pools().stream().anyMatch(p -> p.database().equals("pgbouncer")),
                        "the console is not a pool: " + s);
                assertEquals(1, sampler.openConnections());

                Map<String, String> tags = Map.of(MetricNames.PGBOUNCER, "edge", MetricNames.DATABASE, PgBouncerServer.DATABASE,
                        MetricNames.USER, pool.user());
                assertEquals(1.0, value(registry, MetricNames.PGBOUNCER_CLIENTS_WAITING, tags));
                assertTrue(value(registry, MetricNames.PGBOUNCER_MAX_WAIT, tags) > 0);
                assertEquals(1.0, value(registry, MetricNames.PGBOUNCER_UP, Map.of(MetricNames.PGBOUNCER, "edge")));
                assertEquals(100.0,
                        value(registry, MetricNames.PGBOUNCER_MAX_CLIENT_CONNECTIONS, Map.of(MetricNames.PGBOUNCER, "edge")));
                assertTrue(value(registry, MetricNames.PGBOUNCER_CLIENT_CONNECTION_USE,
                        Map.of(MetricNames.PGBOUNCER, "edge")) >= 0.03);

                holder.commit();
                assertEquals(42, waiter.get(10, TimeUnit.SECONDS));
                Await.until("no client waits any more", () -> {
                    sampler.sampleNow();
                    return sampler.latest("edge").map(x -> x.clientsWaiting() == 0 && x.maxWaitSeconds() == 0).orElse(false);
                });
                assertEquals(0.0, value(registry, MetricNames.PGBOUNCER_CLIENTS_WAITING, tags));
                // Still the one console connection: it is kept between samples.
                assertEquals(1, sampler.openConnections());
            } finally {
                sampler.close();
            }
        } finally {
            background.shutdownNow();
        }
    }

    @Test
    void aStoppedPgBouncerIsDownNotZerosAndComesBackOnTheSamePort() throws Exception {
        try (PgBouncerServer b = PgBouncerServer.builder().start()) {
            PgBouncerSampler sampler = sampler(b);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            PgBouncerMetricsAccess.bind(registry, sampler);
            try {
                try (Connection c = b.connect(); Statement st = c.createStatement()) {
                    st.execute("SELECT 1"); // makes the pool exist
                }
                sampler.sampleNow();
                PgBouncerSnapshot up = sampler.latest("edge").orElseThrow();
                assertTrue(up.up(), up.toString());
                PgBouncerPool pool = up.pools().get(0);
                Map<String, String> tags = Map.of(MetricNames.PGBOUNCER, "edge", MetricNames.DATABASE, pool.database(),
                        MetricNames.USER,
                        pool.user());
                assertEquals(0.0, value(registry, MetricNames.PGBOUNCER_CLIENTS_WAITING, tags));

                b.stop();
                sampler.sampleNow();
                PgBouncerSnapshot down = sampler.latest("edge").orElseThrow();
                assertFalse(down.up(), down.toString());
                assertTrue(down.downReason().isPresent() && !down.downReason().get().isBlank(), down.toString());
                assertTrue(down.pools().isEmpty());
                assertEquals(0.0, value(registry, MetricNames.PGBOUNCER_UP, Map.of(MetricNames.PGBOUNCER, "edge")));
                assertTrue(Double.isNaN(value(registry, MetricNames.PGBOUNCER_CLIENTS_WAITING, tags)), "down is not zero");
                assertTrue(Double.isNaN(
                        value(registry, MetricNames.PGBOUNCER_CLIENT_CONNECTIONS, Map.of(MetricNames.PGBOUNCER, "edge"))));
                assertEquals(0, sampler.openConnections());
                // Still down at the next sample: the reason is the refused connection now.
                sampler.sampleNow();
                assertTrue(sampler.latest("edge").orElseThrow().downReason().orElse("").contains(b.address()),
                        sampler.latest("edge").toString());

                b.restart();
                sampler.sampleNow();
                PgBouncerSnapshot back = sampler.latest("edge").orElseThrow();
                assertTrue(back.up(), back.toString());
                assertEquals(1.0, value(registry, MetricNames.PGBOUNCER_UP, Map.of(MetricNames.PGBOUNCER, "edge")));
                assertEquals(1, sampler.openConnections());
            } finally {
                sampler.close();
            }
        }
    }

    @Test
    void aWrongPasswordOrAUserOutsideStatsUsersIsDownWithAReasonWithoutThePassword() throws Exception {
        try (PgBouncerServer b = PgBouncerServer.builder().start()) {
            String wrong = "wrong-secret-" + System.nanoTime();
            PgBouncerSampler badPassword = sampler("edge", b.consoleUrl(), b.statsUser(), wrong);
            PgBouncerSampler notStats = sampler("edge", b.consoleUrl(), b.otherUser(), b.otherPassword());
            try {
                badPassword.sampleNow();
                PgBouncerSnapshot s = badPassword.latest("edge").orElseThrow();
                assertFalse(s.up(), s.toString());
                String reason = s.downReason().orElseThrow();
                assertTrue(reason.contains("password authentication failed"), reason);
                assertFalse(s.toString().contains(wrong), s.toString());

                notStats.sampleNow();
                PgBouncerSnapshot n = notStats.latest("edge").orElseThrow();
                assertFalse(n.up(), n.toString());
                assertTrue(n.downReason().orElseThrow().contains("not allowed"), n.toString());
                assertFalse(n.toString().contains(b.otherPassword()), n.toString());
            } finally {
                badPassword.close();
                notStats.close();
            }
        }
    }

    @Test
    void aConsoleThatAsksForScramIsRead() throws Exception {
        try (PgBouncerServer b = PgBouncerServer.builder().authType("scram-sha-256").start()) {
            PgBouncerSampler sampler = sampler(b);
            PgBouncerSampler wrong = sampler("edge", b.consoleUrl(), b.statsUser(), "not-" + b.statsPassword());
            try {
                sampler.sampleNow();
                assertTrue(sampler.latest("edge").orElseThrow().up(), sampler.all() + "\n" + b.log());
                wrong.sampleNow();
                PgBouncerSnapshot s = wrong.latest("edge").orElseThrow();
                assertFalse(s.up(), s.toString());
                assertTrue(s.downReason().orElseThrow().contains("SASL authentication failed"), s.toString());
                assertFalse(s.toString().contains(b.statsPassword()), s.toString());
            } finally {
                sampler.close();
                wrong.close();
            }
        }
    }

    @Test
    void aHungConsoleHoldsNoOtherPgBouncerBeyondItsTimeout() throws Exception {
        // A listener that accepts connections and never answers: a hung console.
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                PgBouncerServer b = PgBouncerServer.builder().start()) {
            Map<String, String> keys = new HashMap<>();
            keys.put("poolwatch.pgbouncer.a-hung.url", "127.0.0.1:" + hung.getLocalPort());
            keys.put("poolwatch.pgbouncer.a-hung.username", "nobody");
            keys.put("poolwatch.pgbouncer.b-real.url", b.consoleUrl());
            keys.put("poolwatch.pgbouncer.b-real.username", b.statsUser());
            keys.put("poolwatch.pgbouncer.b-real.password", b.statsPassword());
            keys.put("poolwatch.sampling.server-query-timeout", "1s");
            PgBouncerSampler sampler = new PgBouncerSampler(vertx, TestConfigs.mapping(keys));
            try {
                // In the same samples as the hung one (read first, in name order), the real one is read. Several samples
                // are allowed: on a loaded machine, a cold JVM's first log-in can take longer than the timeout.
                Await.until("b-real read while a-hung hangs", () -> {
                    sampler.sampleNow();
                    PgBouncerSnapshot hungSnapshot = sampler.latest("a-hung").orElseThrow();
                    assertFalse(hungSnapshot.up(), hungSnapshot.toString());
                    assertTrue(hungSnapshot.downReason().orElseThrow().contains("no answer"), hungSnapshot.toString());
                    return sampler.latest("b-real").orElseThrow().up();
                });
                assertEquals(List.of("a-hung", "b-real"), sampler.all().stream().map(PgBouncerSnapshot::name).toList());
            } finally {
                sampler.close();
            }
        }
    }

    static double value(SimpleMeterRegistry registry, String name, Map<String, String> tags) {
        var search = registry.find(name);
        for (Map.Entry<String, String> t : tags.entrySet()) {
            search = search.tag(t.getKey(), t.getValue());
        }
        Gauge g = search.gauge();
        if (g == null) {
            throw new AssertionError(name + tags + " not registered; have: "
                    + registry.getMeters().stream().map(m -> m.getId().toString()).toList());
        }
        return g.value();
    }
}
