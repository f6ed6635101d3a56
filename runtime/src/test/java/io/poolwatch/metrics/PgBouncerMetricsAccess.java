package io.poolwatch.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.poolwatch.observed.PgBouncerSampler;

/** Builds {@link PgBouncerMetrics} outside CDI, for tests of other packages. */
public final class PgBouncerMetricsAccess {

    private PgBouncerMetricsAccess() {
    }

    /** Meters of {@code sampler} bound to {@code registry}. */
    public static PgBouncerMetrics bind(MeterRegistry registry, PgBouncerSampler sampler) {
        PgBouncerMetrics m = new PgBouncerMetrics(registry, sampler);
        m.bind();
        return m;
    }
}
