package io.poolwatch.web;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.poolwatch.alerting.Alert;
import io.poolwatch.alerting.AlertState;
import io.poolwatch.alerting.Alerting;
import io.poolwatch.cluster.ClusterJobs;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.security.SecurityMode;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * What every page of the dashboard shows around its own view: the title, the alert counts, the refresh interval and
 * whether the one asking may use the admin forms. Each page has a view model of its own ({@link OverviewViews},
 * {@link PoolPageViews}, {@link CheckPageViews}, {@link AlertsPageViews}, {@link FaultViews} ...), fed by services and
 * reading only what they keep in memory: rendering a page never waits on a database.
 */
@ApplicationScoped
public class DashboardViews {

    private final ClusterJobs cluster;
    private final PoolRegistry registry;
    private final SecurityMode securityMode;
    private final Instance<SecurityIdentity> identity;
    private final Alerting alerting;
    private final Duration interval;
    private final Clock clock = Clock.systemUTC();

    DashboardViews(PoolRegistry registry, Alerting alerting, PoolwatchConfig config, ClusterJobs cluster,
            SecurityMode securityMode, Instance<SecurityIdentity> identity) {
        this.cluster = cluster;
        this.securityMode = securityMode;
        this.identity = identity;
        this.registry = registry;
        this.alerting = alerting;
        this.interval = config.sampling().interval();
    }

    /** The sampling interval in whole seconds (at least 1): how often the pages' fragments refresh. */
    public int refreshSeconds() {
        return (int) Math.max(1, Math.round(interval.toMillis() / 1000.0));
    }

    /** The layout's figures for a page. */
    public DashboardModel.Page page(String title, String active, String notice) {
        int firing = 0;
        int pending = 0;
        for (Alert a : alerting.alerts()) {
            if (a.state() == AlertState.FIRING) {
                firing++;
            } else if (a.state() == AlertState.PENDING) {
                pending++;
            }
        }
        return new DashboardModel.Page(title, active, clock.instant(), refreshSeconds(), registry.embedded(), firing, pending,
                notice,
                cluster.coordinated() && !cluster.leads(), mayAct());
    }

    /**
     * Whether the one asking may use the admin forms: the admin role, or anyone while poolwatch runs without users
     * (loopback only, see {@link SecurityMode}). A viewer sees the pages without the forms it could not post.
     */
    private boolean mayAct() {
        if (securityMode.decision().anonymous()) {
            return true;
        }
        try {
            SecurityIdentity id = identity.get();
            return securityMode.decision().admin(id);
        } catch (RuntimeException e) {
            // Rendered outside a request (a test): no one to ask.
            return false;
        }
    }
}
