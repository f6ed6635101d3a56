package io.poolwatch.metrics.otlp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import io.poolwatch.metrics.MetricNames;
import io.poolwatch.pool.DurationHistogram;
import io.poolwatch.pool.PoolRecorder;
import io.poolwatch.pool.WorkloadPool;

/**
 * The pools' duration histograms as OpenTelemetry explicit-bucket histograms: {@code db.client.connection.wait_time}
 * (checkout), {@code db.client.connection.use_time} (lease) and {@code db.client.connection.create_time} (opening a
 * connection), in seconds, one point per pool, with {@link DurationHistogram}'s bounds and cumulative counts.
 * <p>
 * OpenTelemetry's API has no asynchronous histogram, and recording every checkout again into a synchronous one would
 * cost the hot path; the SDK's {@link MetricProducer} instead hands the reader data that already exists, read when the
 * SDK collects. Its points are cumulative since each histogram began counting, whatever temporality the exporter prefers
 * for the SDK's own instruments.
 */
public final class PoolHistogramProducer implements MetricProducer {

    /** The instrumentation scope of every pool figure poolwatch sends. */
    static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("io.poolwatch");
    static final String CONNECTION = "{connection}";
    static final String SECONDS = "s";

    /** One exported histogram: its name, what it says, and which of a pool's histograms it reads. */
    record Kind(String name, String description, Function<PoolRecorder, DurationHistogram> histogram) {
    }

    static final List<Kind> KINDS = List.of(
            new Kind(MetricNames.OTEL_WAIT_TIME, "The time it took to obtain an open connection from the pool.",
                    PoolRecorder::checkoutHistogram),
            new Kind(MetricNames.OTEL_USE_TIME, "The time between borrowing a connection and returning it to the pool.",
                    PoolRecorder::leaseHistogram),
            new Kind(MetricNames.OTEL_CREATE_TIME, "The time it took to create a new connection.",
                    PoolRecorder::creationHistogram));

    private static final List<Double> BOUNDARIES = Arrays.stream(DurationHistogram.BOUNDS_SECONDS).boxed().toList();

    private final Supplier<List<WorkloadPool>> pools;

    /** @param pools the pools to read, asked at every collection */
    public PoolHistogramProducer(Supplier<List<WorkloadPool>> pools) {
        this.pools = pools;
    }

    @Override
    public Collection<MetricData> produce(Resource resource) {
        List<WorkloadPool> all = pools.get();
        if (all.isEmpty()) {
            return List.of();
        }
        long now = epochNanos(Instant.now());
        List<MetricData> out = new ArrayList<>(KINDS.size());
        for (Kind kind : KINDS) {
            List<HistogramPointData> points = new ArrayList<>(all.size());
            for (WorkloadPool pool : all) {
                points.add(point(kind.histogram().apply(pool.recorder()), pool.name(), now));
            }
            out.add(new HistogramMetric(resource, kind.name(), kind.description(),
                    HistogramData.create(AggregationTemporality.CUMULATIVE, points)));
        }
        return out;
    }

    /** One pool's histogram as a point: per-bucket counts (+Inf last), their total, the sum; no minimum or maximum is kept. */
    static HistogramPointData point(DurationHistogram histogram, String pool, long now) {
        DurationHistogram.Snapshot s = histogram.snapshot();
        List<Long> counts = Arrays.stream(s.bucketCounts()).boxed().toList();
        return HistogramPointData.create(histogram.startEpochNanos(), Math.max(now, histogram.startEpochNanos()),
                Attributes.builder().put(MetricNames.OTEL_POOL_NAME, pool).build(), s.sumSeconds(), false, 0, false, 0,
                BOUNDARIES,
                counts);
    }

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** A histogram metric as the SDK's exporters read it. */
    record HistogramMetric(Resource resource, String name, String description, HistogramData histogram) implements MetricData {

        @Override
        public Resource getResource() {
            return resource;
        }

        @Override
        public InstrumentationScopeInfo getInstrumentationScopeInfo() {
            return SCOPE;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getDescription() {
            return description;
        }

        @Override
        public String getUnit() {
            return SECONDS;
        }

        @Override
        public MetricDataType getType() {
            return MetricDataType.HISTOGRAM;
        }

        @Override
        public Data<?> getData() {
            return histogram;
        }
    }
}
