package io.poolwatch.observed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.poolwatch.testing.PgBouncerServer;
import io.poolwatch.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/**
 * What watching a PgBouncer costs: time per sample with 1 and 10 pools, and the console connections it holds, counted
 * by PgBouncer itself ({@code SHOW CLIENTS}). Prints one line per case ({@code PGBOUNCER-COST ...}, the figures in
 * docs/PERFORMANCE.md); asserts only what is not a timing.
 */
class PgBouncerSamplingCostTest {

    static final int WARM_UP = 30;
    static final int SAMPLES = 300;
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 10 })
    void timePerSampleAndConnectionsHeld(int pools) throws Exception {
        try (PgBouncerServer b = PgBouncerServer.builder().extraDatabases(pools - 1).start()) {
            for (String db : b.databases()) {
                try (Connection c = b.connect(db); Statement st = c.createStatement()) {
                    st.execute("SELECT 1"); // a pool exists once a client has logged in
                }
            }
            Map<String, String> keys = new HashMap<>();
            keys.put("poolwatch.pgbouncer.edge.url", b.consoleUrl());
            keys.put("poolwatch.pgbouncer.edge.username", b.statsUser());
            keys.put("poolwatch.pgbouncer.edge.password", b.statsPassword());
            PgBouncerSampler sampler = new PgBouncerSampler(vertx, TestConfigs.mapping(keys));
            try {
                for (int i = 0; i < WARM_UP; i++) {
                    sampler.sampleNow();
                }
                long[] nanos = new long[SAMPLES];
                for (int i = 0; i < SAMPLES; i++) {
                    long t = System.nanoTime();
                    sampler.sampleNow();
                    nanos[i] = System.nanoTime() - t;
                }
                PgBouncerSnapshot s = sampler.latest("edge").orElseThrow();
                assertTrue(s.up(), s.toString());
                assertEquals(pools, s.pools().size(), s.toString());
                int held = poolwatchClients(b);
                assertEquals(1, held, "console connections held by poolwatch, as PgBouncer counts them");
                Arrays.sort(nanos);
                double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
                System.out.printf(Locale.ROOT,
                        "PGBOUNCER-COST pools=%d samples=%d mean=%.3f ms p50=%.3f ms p95=%.3f ms max=%.3f ms "
                                + "console-connections=%d%n",
                        pools, SAMPLES, mean, nanos[SAMPLES / 2] / 1e6, nanos[SAMPLES * 95 / 100] / 1e6,
                        nanos[SAMPLES - 1] / 1e6, held);
            } finally {
                sampler.close();
            }
        }
    }

    /** Clients of PgBouncer's console whose application name is poolwatch's, from a console connection of the test's own. */
    private static int poolwatchClients(PgBouncerServer b) throws Exception {
        PgConnectOptions o = new PgConnectOptions().setHost(b.host()).setPort(b.port()).setDatabase("pgbouncer")
                .setUser(b.statsUser())
                .setPassword(b.statsPassword()).setProperties(new HashMap<>(Map.of("application_name", "cost-test")));
        PgConnection c = PgConnection.connect(vertx, o).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            RowSet<Row> rows = c.query("SHOW CLIENTS").execute().toCompletionStage().toCompletableFuture().get(10,
                    TimeUnit.SECONDS);
            int n = 0;
            for (Row r : rows) {
                if (PgBouncerConsole.APPLICATION_NAME
                        .equals(r.getValue("application_name") == null ? null : r.getValue("application_name").toString())) {
                    n++;
                }
            }
            return n;
        } finally {
            c.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
