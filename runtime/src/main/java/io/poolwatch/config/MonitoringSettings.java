package io.poolwatch.config;

import java.time.Duration;

/**
 * Global monitoring settings in effect.
 *
 * @param enabled whether pools are sampled and monitored
 * @param slowQueryThreshold a statement running longer is slow
 * @param errorRateCritical error rate (0..1) at which the error-rate alert is critical
 * @param leakThreshold leaked connections that raise an alert
 * @param sqlEcho whether every statement is logged
 */
public record MonitoringSettings(boolean enabled, Duration slowQueryThreshold, double errorRateCritical, int leakThreshold,
        boolean sqlEcho) {
}
