package io.poolwatch.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.OtlpReceiver;
import io.poolwatch.testing.PoolwatchProcess;
import io.poolwatch.testing.TestDatabases;

/**
 * The packaged jar, built with export off, turned on at run time by environment variables only: {@code
 * QUARKUS_OTEL_SDK_DISABLED=false} and the collector's address and protocol. A real OTLP/HTTP receiver on loopback gets
 * all nine db.client.connection.* metrics, decoded with OpenTelemetry's protocol classes.
 */
class OtlpExportIT {

    private static final Duration START = Duration.ofSeconds(90);

    @Test
    void oneRunTimeKeyTurnsTheExportOnInThePackagedJar() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start();
                PoolwatchProcess app = PoolwatchProcess.start(Map.of(
                        "DATABASE_URL", TestDatabases.postgres().seedUrl(),
                        "QUARKUS_OTEL_SDK_DISABLED", "false",
                        "QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                        "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                        "QUARKUS_OTEL_METRIC_EXPORT_INTERVAL", "500ms"),
                        Map.of("poolwatch.alerting.outbox.path", "target/otlp-it-outbox"))) {
            assertTrue(app.awaitStarted(START).isPresent(), "poolwatch did not start:\n" + app.output());
            Await.until("a request with all nine metrics",
                    () -> OtlpPoints.newestWith(receiver.requests(), OtlpExportTest.NINE).isPresent());
            ExportMetricsServiceRequest request = OtlpPoints.newestWith(receiver.requests(), OtlpExportTest.NINE).orElseThrow();
            Metric count = OtlpPoints.metric(request, MetricNames.OTEL_COUNT).orElseThrow();
            for (String pool : OtlpExportTest.POOLS) {
                for (String state : new String[] { "used", "idle" }) {
                    assertTrue(
                            OtlpPoints.number(count, Map.of(MetricNames.OTEL_POOL_NAME, pool, MetricNames.OTEL_STATE, state))
                                    .isPresent(),
                            pool + " " + state);
                }
            }
            assertEquals(0, receiver.undecodable());
            int exit = app.terminate(Duration.ofSeconds(30));
            assertTrue(exit == 0 || exit == 143, "stopped by SIGTERM, exit code " + exit);
            assertEquals(List.of(), OtlpExportTest.otelTrouble(app.output()));
        }
    }
}
