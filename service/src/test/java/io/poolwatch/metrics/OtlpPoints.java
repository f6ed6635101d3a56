package io.poolwatch.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

/** Finds metrics and data points in decoded OTLP requests, by name and attributes. */
final class OtlpPoints {

    private OtlpPoints() {
    }

    /** A metric with the scope it came in. */
    record Found(String scope, Metric metric) {
    }

    /** Every metric of this name in the request. */
    static List<Found> metrics(ExportMetricsServiceRequest request, String name) {
        List<Found> out = new ArrayList<>();
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    if (m.getName().equals(name)) {
                        out.add(new Found(sm.getScope().getName(), m));
                    }
                }
            }
        }
        return out;
    }

    /** The one metric of this name, if the request has it. */
    static Optional<Metric> metric(ExportMetricsServiceRequest request, String name) {
        List<Found> all = metrics(request, name);
        if (all.size() > 1) {
            throw new AssertionError(name + " came " + all.size() + " times in one request");
        }
        return all.stream().findFirst().map(Found::metric);
    }

    /** The newest request that has every one of these metrics. */
    static Optional<ExportMetricsServiceRequest> newestWith(List<ExportMetricsServiceRequest> requests, List<String> names) {
        for (int i = requests.size() - 1; i >= 0; i--) {
            ExportMetricsServiceRequest r = requests.get(i);
            if (names.stream().allMatch(n -> !metrics(r, n).isEmpty())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    static Map<String, String> attributes(List<KeyValue> attributes) {
        Map<String, String> out = new LinkedHashMap<>();
        attributes.forEach(kv -> out.put(kv.getKey(), kv.getValue().getStringValue()));
        return out;
    }

    /** The sum's or gauge's point with exactly these attributes. */
    static Optional<NumberDataPoint> number(Metric metric, Map<String, String> attributes) {
        List<NumberDataPoint> points = metric.hasSum() ? metric.getSum().getDataPointsList()
                : metric.getGauge().getDataPointsList();
        return points.stream().filter(p -> attributes(p.getAttributesList()).equals(attributes)).findFirst();
    }

    /** The histogram's point with exactly these attributes. */
    static Optional<HistogramDataPoint> histogram(Metric metric, Map<String, String> attributes) {
        return metric.getHistogram().getDataPointsList().stream()
                .filter(p -> attributes(p.getAttributesList()).equals(attributes))
                .findFirst();
    }

    static double value(NumberDataPoint p) {
        return p.hasAsInt() ? p.getAsInt() : p.getAsDouble();
    }

    /** A number point's value in the newest request that has it; empty when none has. */
    static Optional<Double> newestValue(List<ExportMetricsServiceRequest> requests, String name,
            Map<String, String> attributes) {
        for (int i = requests.size() - 1; i >= 0; i--) {
            Optional<NumberDataPoint> p = metric(requests.get(i), name).flatMap(m -> number(m, attributes));
            if (p.isPresent()) {
                return Optional.of(value(p.get()));
            }
        }
        return Optional.empty();
    }

    /** A histogram point in the newest request that has it. */
    static Optional<HistogramDataPoint> newestHistogram(List<ExportMetricsServiceRequest> requests, String name,
            Map<String, String> attributes) {
        for (int i = requests.size() - 1; i >= 0; i--) {
            Optional<HistogramDataPoint> p = metric(requests.get(i), name).flatMap(m -> histogram(m, attributes));
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }
}
