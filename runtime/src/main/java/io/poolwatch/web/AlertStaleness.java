package io.poolwatch.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.poolwatch.alerting.Alerting;

/**
 * Says on every answer of {@code /api/v1/alerts} (the list and the rules) when alert evaluation is stalled, so the
 * alerts it serves are stale: the header {@value #HEADER} carries the watchdog's line, such as
 * {@code STALLED: last completed 2026-12-03T08:00:00Z; one running for 2m (interval 5s, stall bound 15s)}. Absent while
 * evaluation keeps up. A header, so the JSON stays as it is; the body's {@code evaluatedAt} gives the alerts' age.
 */
public class AlertStaleness {

    /** The header, present only while the alerts are stale. */
    public static final String HEADER = "Poolwatch-Alerts-Stale";

    @Inject
    Alerting alerting;

    @ServerResponseFilter
    public void staleness(ContainerResponseContext response, SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() != AlertResource.class) {
            return;
        }
        Alerting.EvaluationStatus status = alerting.evaluationStatus();
        if (status.stalled()) {
            response.getHeaders().putSingle(HEADER, status.describe());
        }
    }
}
