package io.poolwatch.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.enterprise.inject.Any;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.poolwatch.metrics.SemanticConventionMetrics;
import io.quarkus.arc.Arc;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A host application without quarkus-opentelemetry (poolwatch's dependency on it is optional): it gets neither the
 * OpenTelemetry SDK nor Quarkus's extension, so no tracing and no exporter, and poolwatch's OTLP classes are not beans,
 * while the pools and their semantic-convention meters are there as usual.
 */
class HostWithoutOpenTelemetryTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("no-otel");

    @Test
    void noOpenTelemetryAndNoOtlpBeans() {
        // Without quarkus-opentelemetry in the host, neither OpenTelemetry's SDK nor Quarkus's extension is on the class path.
        for (String absent : List.of("io.opentelemetry.sdk.OpenTelemetrySdk",
                "io.quarkus.opentelemetry.runtime.AutoConfiguredOpenTelemetrySdkBuilderCustomizer")) {
            assertThrows(ClassNotFoundException.class,
                    () -> Class.forName(absent, false, Thread.currentThread().getContextClassLoader()),
                    absent);
        }
        List<String> otlpBeans = Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE).stream()
                .map(b -> b.getBeanClass().getName()).filter(n -> n.startsWith("io.poolwatch.metrics.otlp.")).toList();
        assertEquals(List.of(), otlpBeans);
        assertTrue(Arc.container().instance(SemanticConventionMetrics.class).isAvailable());
    }
}
