package io.poolwatch.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The test PostgreSQL (as {@link PostgresTestResource}) and an {@link OtlpReceiver} that OpenTelemetry's exporter is
 * pointed at over OTLP/HTTP, exporting every 300 ms. Export is turned on with the one run-time key
 * {@code quarkus.otel.sdk.disabled=false}; with the argument {@code export=off} that key is left as the service ships
 * it (true), everything else the same, so a test can show that nothing is sent. The receiver is injected into the
 * test's field of type {@link OtlpReceiver}; the application's log also goes to {@link #logFile(boolean)}, new for each run.
 */
public class OtlpReceiverTestResource implements QuarkusTestResourceLifecycleManager {

    /** The application's log with export on or off. */
    public static Path logFile(boolean export) {
        return Path.of("target", export ? "otlp-export-on.log" : "otlp-export-off.log");
    }

    private OtlpReceiver receiver;
    private boolean export = true;

    @Override
    public void init(Map<String, String> initArgs) {
        export = !"off".equals(initArgs.get("export"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(new PostgresTestResource().start());
        try {
            Files.deleteIfExists(logFile(export));
            receiver = OtlpReceiver.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (export) {
            config.put("quarkus.otel.sdk.disabled", "false");
        }
        config.put("quarkus.otel.exporter.otlp.metrics.protocol", "http/protobuf");
        config.put("quarkus.otel.exporter.otlp.metrics.endpoint", receiver.endpoint());
        config.put("quarkus.otel.metric.export.interval", "300ms");
        config.put("quarkus.log.file.enabled", "true");
        config.put("quarkus.log.file.path", logFile(export).toString());
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(receiver, new TestInjector.MatchesType(OtlpReceiver.class));
    }

    @Override
    public void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }
}
