package io.poolwatch.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.util.List;

import jakarta.inject.Inject;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.testing.OtlpReceiver;
import io.poolwatch.testing.OtlpReceiverTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * As the service ships (quarkus.otel.sdk.disabled=true), with an endpoint, the protocol and a 300 ms export interval
 * all set and a receiver listening: nothing is sent, nothing about OpenTelemetry is logged as a problem, and the
 * Prometheus scrape has the figures as usual. {@link OtlpExportTest} is the same set-up with the key turned on.
 */
@QuarkusTest
@WithTestResource(value = OtlpReceiverTestResource.class, initArgs = @ResourceArg(name = "export", value = "off"))
class OtlpExportOffTest {

    /** Observed for ten export intervals. */
    private static final long WATCH_MILLIS = 3000;

    /** Injected by {@link OtlpReceiverTestResource}. */
    OtlpReceiver receiver;

    @Inject
    PoolRegistry registry;

    @Inject
    PoolSampler sampler;

    @Test
    void nothingIsSentAndNothingGoesWrong() throws Exception {
        try (Connection c = registry.dataSource("jobs").getConnection()) {
            c.isValid(1);
        }
        sampler.sampleNow();
        long deadline = System.nanoTime() + WATCH_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            assertEquals(0, receiver.received(), "nothing reaches the receiver");
            Thread.sleep(100);
        }
        given().when().get("/q/metrics").then().statusCode(200)
                .body(Matchers
                        .containsString("db_client_connection_count{db_client_connection_pool_name=\"jobs\""));
        assertTrue(Files.exists(OtlpReceiverTestResource.logFile(false)), "the application's log was written");
        assertEquals(List.of(), OtlpExportTest.otelTrouble(OtlpReceiverTestResource.logFile(false)));
    }
}
