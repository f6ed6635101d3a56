package io.poolwatch.metrics;

import java.util.ArrayList;
import java.util.List;

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

    private final PoolHistograms histograms;

    PoolHistogramCollector(PoolHistograms histograms) {
        this.histograms = histograms;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<PoolHistograms.Family> families = histograms.families();
        List<MetricFamilySamples> out = new ArrayList<>(families.size());
        for (PoolHistograms.Family f : families) {
            List<MetricFamilySamples.Sample> samples = new ArrayList<>(f.series().size() * (LE.size() + 2));
            List<String> bucketLabels = new ArrayList<>(f.labelNames());
            bucketLabels.add("le");
            for (PoolHistograms.Series s : f.series()) {
                DurationHistogram.Snapshot snapshot = s.snapshot();
                long[] cumulative = snapshot.cumulativeCounts();
                for (int i = 0; i < cumulative.length; i++) {
                    List<String> values = new ArrayList<>(s.labelValues().size() + 1);
                    values.addAll(s.labelValues());
                    values.add(LE.get(i));
                    samples.add(new MetricFamilySamples.Sample(f.name() + "_bucket", bucketLabels, values, cumulative[i]));
                }
                samples.add(new MetricFamilySamples.Sample(f.name() + "_count", f.labelNames(), s.labelValues(), snapshot.count()));
                samples.add(new MetricFamilySamples.Sample(f.name() + "_sum", f.labelNames(), s.labelValues(), snapshot.sumSeconds()));
            }
            out.add(new MetricFamilySamples(f.name(), Type.HISTOGRAM, f.help(), samples));
        }
        return out;
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
