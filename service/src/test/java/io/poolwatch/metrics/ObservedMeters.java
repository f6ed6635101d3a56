package io.poolwatch.metrics;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Prometheus names of the meters for what poolwatch observes but does not own (applications, PgBouncers,
 * blocking), from {@link MetricNames}. A scrape has them only once an application is defined, a PgBouncer answers or a
 * database is watched for blocking; the checks of the shipped PrometheusRule and Grafana dashboard hold these names
 * against {@link MetricNames} where the scrape has none (the end-to-end tests scrape them for real).
 */
public final class ObservedMeters {

    private static final Set<String> PREFIXES = Set.of("poolwatch.application.", "poolwatch.pgbouncer.", "poolwatch.blocking.");
    /** The counters among them, which Prometheus names with {@code _total}. */
    private static final Set<String> COUNTERS = Set.of(MetricNames.DEADLOCKS);

    private ObservedMeters() {
    }

    /** Every observed meter's name as a scrape writes it: dots to underscores, counters with {@code _total}. */
    public static Set<String> prometheusNames() {
        Set<String> out = new TreeSet<>();
        for (Field f : MetricNames.class.getFields()) {
            if (f.getType() != String.class || !Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            String name;
            try {
                name = (String) f.get(null);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            if (PREFIXES.stream().anyMatch(name::startsWith) || COUNTERS.contains(name)) {
                out.add(name.replace('.', '_') + (COUNTERS.contains(name) ? "_total" : ""));
            }
        }
        return out;
    }
}
