package io.poolwatch.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.poolwatch.pool.DurationHistogram;
import io.prometheus.client.Collector;

/**
 * {@link PoolHistograms} as a Prometheus (simpleclient) collector: one histogram family per metric, with
 * {@code _bucket{le=...}} (cumulative, {@code +Inf} last), {@code _count} and {@code _sum} per pool, read at each scrape.
 * Micrometer cannot render a histogram from counts it did not record itself, so these join the Prometheus registry
 * beside Micrometer's collectors and are written with them, in the text format and in OpenMetrics alike. The
 * {@code le} values are written as Micrometer and simpleclient write theirs ({@code 1.0E-4}, {@code 2.0}, {@code +Inf}).
 * <p>
 * Describable, so that the registry checks its names against every other collector's when it is registered (a
 * collision fails there, not in a scrape).
 */
final class PoolHistogramCollector extends Collector implements Collector.Describable {

    /** The {@code le} label values, computed once: the bounds never change. */
    private static final List<String> LE = le();

    /** Most series whose bucket label values are kept (two per pool: poolwatch's labels and OpenTelemetry's). */
    static final int MAX_CACHED_SERIES = 20_000;

    private final PoolHistograms histograms;
    private final Map<List<String>, List<List<String>>> bucketValues = new ConcurrentHashMap<>();

    PoolHistogramCollector(PoolHistograms histograms) {
        this.histograms = histograms;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<PoolHistograms.Family> families = histograms.families();
        List<MetricFamilySamples> out = new ArrayList<>(families.size());
        for (PoolHistograms.Family f : families) {
            List<MetricFamilySamples.Sample> samples = new ArrayList<>(f.series().size() * (LE.size() + 2));
            List<String> bucketLabels = withLe(f.labelNames(), "le").get(0);
            String bucket = f.name() + "_bucket";
            String count = f.name() + "_count";
            String sum = f.name() + "_sum";
            for (PoolHistograms.Series s : f.series()) {
                DurationHistogram.Snapshot snapshot = s.snapshot();
                long[] cumulative = snapshot.cumulativeCounts();
                List<List<String>> bucketValues = bucketValues(s.labelValues());
                for (int i = 0; i < cumulative.length; i++) {
                    samples.add(new MetricFamilySamples.Sample(bucket, bucketLabels, bucketValues.get(i), cumulative[i]));
                }
                samples.add(new MetricFamilySamples.Sample(count, f.labelNames(), s.labelValues(), snapshot.count()));
                samples.add(new MetricFamilySamples.Sample(sum, f.labelNames(), s.labelValues(), snapshot.sumSeconds()));
            }
            out.add(new MetricFamilySamples(f.name(), Type.HISTOGRAM, f.help(), samples));
        }
        return out;
    }

    /**
     * A series' label values with each {@code le} value appended, one list per bucket, made once per pool: copying the
     * values into a new list for every bucket of every scrape was most of this collector's time (JFR, 100 pools;
     * PERFORMANCE.md "Pool histograms: scrape size and render time"). The pools are fixed at start; the bound only keeps
     * an application that renamed pools at run time from growing the cache.
     */
    List<List<String>> bucketValues(List<String> labelValues) {
        List<List<String>> cached = bucketValues.get(labelValues);
        if (cached == null) {
            if (bucketValues.size() >= MAX_CACHED_SERIES) {
                bucketValues.clear();
            }
            cached = withLe(labelValues, LE.toArray(String[]::new));
            bucketValues.put(List.copyOf(labelValues), cached);
        }
        return cached;
    }

    /** {@code values} followed by each of {@code last}, one immutable list each. */
    private static List<List<String>> withLe(List<String> values, String... last) {
        List<List<String>> out = new ArrayList<>(last.length);
        for (String le : last) {
            List<String> one = new ArrayList<>(values.size() + 1);
            one.addAll(values);
            one.add(le);
            out.add(List.copyOf(one));
        }
        return List.copyOf(out);
    }

    /** The families' names and types, without samples (the registry reads the names from these). */
    @Override
    public List<MetricFamilySamples> describe() {
        List<MetricFamilySamples> out = new ArrayList<>();
        for (String name : histograms.names()) {
            out.add(new MetricFamilySamples(name, Type.HISTOGRAM, "", List.of()));
        }
        return out;
    }

    private static List<String> le() {
        List<String> out = new ArrayList<>();
        for (double bound : DurationHistogram.BOUNDS_SECONDS) {
            out.add(doubleToGoString(bound));
        }
        out.add(doubleToGoString(Double.POSITIVE_INFINITY));
        return List.copyOf(out);
    }
}
