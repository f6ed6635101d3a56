package io.poolwatch.web;

import java.util.Map;

import io.poolwatch.config.Durations;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.pool.WorkloadPool;

/**
 * A pool as the API and the page show it: configuration in effect (URL masked, no password) and current use.
 *
 * @param sources for each setting, the key or variable that chose it
 */
public record PoolView(String name, String database, String url, boolean critical, boolean readOnly, String isolation,
        int minSize, int maxSize, String acquisitionTimeout, String statementTimeout, String maxLifetime,
        String applicationName, long open, long leased, long idle, long acquisitions, Map<String, String> sources) {

    static PoolView of(WorkloadPool pool) {
        PoolSettings s = pool.settings();
        return new PoolView(s.name(), s.url().kind().label(), s.url().masked(), s.critical(), s.readOnly(),
                s.isolation().configName(), s.minSize(), s.maxSize(), Durations.format(s.acquisitionTimeout()),
                s.statementTimeout().map(Durations::format).orElse("none"), Durations.format(s.maxLifetime()),
                s.applicationName(), pool.recorder().open(), pool.recorder().leased(),
                Math.max(0, pool.recorder().open() - pool.recorder().leased()), pool.recorder().counters().acquired(), s.sources());
    }
}
