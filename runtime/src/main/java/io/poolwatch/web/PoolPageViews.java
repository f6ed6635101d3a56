package io.poolwatch.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import io.poolwatch.alerting.Alert;
import io.poolwatch.alerting.Alerting;
import io.poolwatch.config.Durations;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.health.PoolHealth;
import io.poolwatch.pool.FaultPhases;
import io.poolwatch.pool.LeakRecord;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.sampling.Autosizer;
import io.poolwatch.sampling.PoolPoint;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.sampling.PoolSnapshot;
import io.poolwatch.sampling.Trends;
import io.poolwatch.web.DashboardModel.Chart;
import io.poolwatch.web.DashboardModel.Event;
import io.poolwatch.web.DashboardModel.LeakRow;
import io.poolwatch.web.DashboardModel.PoolCard;
import io.poolwatch.web.DashboardModel.PoolPage;
import io.poolwatch.web.DashboardModel.Setting;

/**
 * A pool's page: its card, its charts over the history in memory and over 24 hours, its leaks, slow statements,
 * settings, replicas and events.
 */
@Singleton
public class PoolPageViews {

    /** Events listed on a pool's page. */
    static final int EVENTS_SHOWN = 30;

    private final OverviewViews overview;
    private final PoolRegistry registry;
    private final PoolHealth health;
    private final PoolSampler sampler;
    private final Trends trends;
    private final Alerting alerting;
    private final Instance<FaultPhases> faultPhases;
    private final Autosizer autosizer;
    private final Duration interval;
    private final Clock clock = Clock.systemUTC();

    PoolPageViews(OverviewViews overview, PoolRegistry registry, PoolHealth health, PoolSampler sampler, Trends trends,
            Alerting alerting, Instance<FaultPhases> faultPhases, Autosizer autosizer, PoolwatchConfig config) {
        this.alerting = alerting;
        this.autosizer = autosizer;
        this.faultPhases = faultPhases;
        this.overview = overview;
        this.registry = registry;
        this.health = health;
        this.sampler = sampler;
        this.trends = trends;
        this.interval = config.sampling().interval();
    }

    public PoolPage poolPage(String name) {
        Instant now = clock.instant();
        WorkloadPool p = registry.pool(name);
        PoolHealth.PoolState state = health.pools().stream().filter(h -> h.pool().equals(name)).findFirst().orElse(null);
        List<PoolSnapshot> history = sampler.history(name);
        PoolCard card = overview.card(p, state, history.stream().map(PoolPoint::of).toList(),
                history.isEmpty() ? null : history.get(history.size() - 1),
                now);
        Instant from = history.isEmpty() ? now.minus(OverviewViews.SPARKLINE_WINDOW) : history.get(0).takenAt();
        Duration gap = interval.multipliedBy(3);
        int w = 600;
        int h = 160;
        // Autosizing's changes are marked where the charts show their effect: use, waits and the max-size itself.
        Autosizer.View autosize = autosizer.view(p);
        List<Sparkline.Event> marks = new ArrayList<>();
        for (Autosizer.Change c : autosize.changes()) {
            marks.add(0, new Sparkline.Event(c.at(), "autosize " + c.direction() + " " + c.from() + " to " + c.to()
                    + (c.applied() ? "" : " (dry-run, not applied)")));
        }
        List<Chart> charts = List.of(
                new Chart("utilization", "Utilization (active / max-size)", "ratio",
                        Sparkline.of(history, PoolSnapshot::takenAt, PoolSnapshot::utilization, from, now, w, h, 1.0,
                                card.utilization().warning(), gap).marked(marks),
                        "pool-utilization threshold"),
                new Chart("max-size", "Max-size in effect (autosizing changes it)", "count",
                        Sparkline.of(history, PoolSnapshot::takenAt, s -> s.maxSize(), from, now, w, h, 1.0, Double.NaN, gap)
                                .marked(marks),
                        null),
                new Chart("checkout", "Checkout time, p95 per sample", "ms",
                        Sparkline.of(history, PoolSnapshot::takenAt, OverviewViews::p95OrGap, from, now, w, h, 1.0,
                                card.checkoutThresholdMs(), gap).marked(marks),
                        "checkout-time threshold"),
                new Chart("awaiting", "Callers waiting for a connection", "count",
                        Sparkline.of(history, PoolSnapshot::takenAt, s -> s.awaiting(), from, now, w, h, 1.0, Double.NaN, gap),
                        null),
                new Chart("errors", "Error rate (failed / attempted acquisitions)", "ratio",
                        Sparkline.of(history, PoolSnapshot::takenAt, PoolSnapshot::errorRate, from, now, w, h,
                                card.errorRateThreshold() * 2,
                                card.errorRateThreshold(), gap),
                        "error-rate threshold"));
        List<LeakRow> leaks = p.recorder().leaks().stream()
                .map(l -> new LeakRow(l.connection(), l.holderThread(), l.holderThreadState(),
                        l.firstDetected(), l.lastDetected(), Durations.format(l.heldAtLeast()), l.stack(), l.current(),
                        l.returnedAt().orElse(null)))
                .toList();
        PoolView view = PoolView.of(p, history.isEmpty() ? null : history.get(history.size() - 1), autosize);
        return new PoolPage(card, charts, leaks, p.statements().slowTexts(), settings(view, p.settings()),
                OverviewViews.replicaRows(p.settings()),
                events(p, history, autosize), sampler.baseline(name).at(), history.size(), trendCharts(name, card, now),
                autosize);
    }

    /**
     * The pool page's 24-hour charts, from the trends' 5-minute means: checkout time p95 (in ms, as the charts above) and
     * utilization, over the whole day whatever has been collected, so the axis always reads 24 hours.
     */
    List<Chart> trendCharts(String name, PoolCard card, Instant now) {
        Instant from = now.minus(Trends.SPAN);
        // A missing bucket breaks the line; with samples further apart than two buckets, the sampling interval decides.
        Duration gap = Trends.BUCKET.multipliedBy(2).compareTo(interval.multipliedBy(3)) > 0 ? Trends.BUCKET.multipliedBy(2)
                : interval.multipliedBy(3);
        List<Trends.Point> checkout = trends.series(Trends.POOL, name, "checkout_time", Trends.SPAN).map(Trends.Series::points)
                .orElse(List.of());
        List<Trends.Point> utilization = trends.series(Trends.POOL, name, "utilization", Trends.SPAN).map(Trends.Series::points)
                .orElse(List.of());
        return List.of(
                new Chart("trend-checkout", "Checkout time p95, 5-minute means over 24 hours", "ms",
                        Sparkline.of(checkout, Trends.Point::at, pt -> pt.value() * 1000, from, now, 600, 120, 1.0,
                                card.checkoutThresholdMs(), gap),
                        "checkout-time threshold"),
                new Chart("trend-utilization", "Utilization, 5-minute means over 24 hours", "ratio",
                        Sparkline.of(utilization, Trends.Point::at, Trends.Point::value, from, now, 600, 120, 1.0,
                                card.utilization().warning(), gap),
                        "pool-utilization threshold"));
    }

    /** The configuration in effect, from the same masked view the API shows; the password only as whether there is one. */
    static List<Setting> settings(PoolView v, PoolSettings s) {
        Map<String, String> src = v.sources();
        List<Setting> out = new ArrayList<>();
        out.add(new Setting("url", v.url(), src.getOrDefault("url", "")));
        out.add(new Setting("database", v.database(), ""));
        out.add(new Setting("username", s.username().orElse("(none)"), src.getOrDefault("username", "")));
        out.add(new Setting("password", s.password().isPresent() ? "****" : "(none)", src.getOrDefault("password", "")));
        out.add(new Setting("application-name", v.applicationName(), src.getOrDefault("application-name", "")));
        out.add(new Setting("min-size", Integer.toString(v.minSize()), src.getOrDefault("min-size", "")));
        out.add(new Setting("max-size", Integer.toString(s.maxSize()), src.getOrDefault("max-size", "")));
        if (v.maxSize() != s.maxSize()) {
            out.add(new Setting("max-size (in effect)", Integer.toString(v.maxSize()), "autosizing"));
        }
        out.add(new Setting("acquisition-timeout", v.acquisitionTimeout(), src.getOrDefault("acquisition-timeout", "")));
        out.add(new Setting("statement-timeout", v.statementTimeout(), src.getOrDefault("statement-timeout", "")));
        out.add(new Setting("socket-timeout", v.socketTimeout(), src.getOrDefault("socket-timeout", "")));
        out.add(new Setting("max-lifetime", v.maxLifetime(), src.getOrDefault("max-lifetime", "")));
        out.add(new Setting("leak-detection-interval", v.leakDetectionInterval(),
                src.getOrDefault("leak-detection-interval", "")));
        out.add(new Setting("isolation", v.isolation(), src.getOrDefault("isolation", "")));
        out.add(new Setting("read-only", Boolean.toString(v.readOnly()), src.getOrDefault("read-only", "")));
        out.add(new Setting("critical", Boolean.toString(v.critical()), src.getOrDefault("critical", "")));
        out.add(new Setting("validate-on-borrow", Boolean.toString(s.validateOnBorrow()),
                src.getOrDefault("validate-on-borrow", "")));
        out.add(new Setting("connect-timeout", Durations.format(s.connectTimeout()), src.getOrDefault("connect-timeout", "")));
        TlsView tls = v.tls();
        if (tls.applicable()) {
            out.add(new Setting("tls.mode", tls.mode(), src.getOrDefault("tls.mode", "")));
            out.add(new Setting("tls.ca-file", tls.caFile() == null ? "(none)" : tls.caFile(),
                    src.getOrDefault("tls.ca-file", "")));
        }
        out.add(new Setting("tls (measured)", tls.detail(), tls.applicable() ? "reported by the server" : ""));
        out.add(new Setting("validation-query-timeout", Durations.format(s.upkeep().validationQueryTimeout()),
                src.getOrDefault("validation-query-timeout", "")));
        PoolSettings.Autosize a = s.autosize();
        if (!s.replica()) {
            out.add(new Setting("autosize.mode", a.mode().label(), src.getOrDefault("autosize.mode", "")));
            out.add(new Setting("autosize.floor", Integer.toString(a.floor()), src.getOrDefault("autosize.floor", "built-in")));
            out.add(new Setting("autosize.ceiling", a.ceiling().map(String::valueOf).orElse("(none: the server's budget)"),
                    src.getOrDefault("autosize.ceiling", "built-in")));
            out.add(new Setting("autosize.step", Integer.toString(a.step()), src.getOrDefault("autosize.step", "")));
            out.add(new Setting("autosize.wait-target", Durations.format(a.waitTarget()),
                    src.getOrDefault("autosize.wait-target", "")));
            out.add(new Setting("autosize.raise-cooldown", Durations.format(a.raiseCooldown()),
                    src.getOrDefault("autosize.raise-cooldown", "")));
            out.add(new Setting("autosize.lower-after", Durations.format(a.lowerAfter()),
                    src.getOrDefault("autosize.lower-after", "")));
        }
        PoolView.ServerRoleView server = v.server();
        if (server != null) {
            out.add(new Setting("server (measured)", (server.primaryReadOnly() ? "primary is read-only: refuses writes"
                    : server.role().equals("primary") ? "takes writes" : "refuses writes (read-only)") + " since "
                    + server.since() + (server.changes() > 0 ? ", " + server.changes() + " change(s)" : ""),
                    "reported by the server"));
        }
        return out;
    }

    private List<Event> events(WorkloadPool p, List<PoolSnapshot> history, Autosizer.View autosize) {
        List<Event> events = new ArrayList<>();
        for (Autosizer.Change c : autosize.changes()) {
            events.add(new Event(c.at(), "autosize", (c.applied() ? "max-size " : "dry-run: would set max-size ") + c.from()
                    + " → " + c.to() + ": " + c.reason()));
        }
        for (Alert a : alerting.alerts()) {
            if (!p.name().equals(a.labels().get("pool"))) {
                continue;
            }
            // The summary says how things stand now: it goes with the latest of the alert's events.
            String now = ": " + a.annotations().getOrDefault("summary", a.name());
            events.add(new Event(a.activeAt(), "alert", a.name() + " pending" + (a.startsAt() == null ? now : "")));
            if (a.startsAt() != null) {
                events.add(
                        new Event(a.startsAt(), "alert", a.name() + " firing (" + a.labels().getOrDefault("severity", "") + ")"
                                + (a.endsAt() == null ? now : "")));
            }
            if (a.endsAt() != null) {
                events.add(new Event(a.endsAt(), "alert", a.name() + " resolved" + now));
            }
        }
        for (LeakRecord l : p.recorder().leaks()) {
            events.add(new Event(l.firstDetected(), "leak",
                    "connection " + l.connection() + " held past the leak interval by thread "
                            + l.holderThread()));
            l.returnedAt()
                    .ifPresent(at -> events.add(new Event(at, "leak", "leaked connection " + l.connection() + " returned")));
        }
        p.recorder().lastCreationErrorAt().ifPresent(at -> events.add(new Event(at, "error",
                "opening a connection failed: " + p.recorder().lastCreationError().orElse(""))));
        Instant reset = sampler.baseline(p.name()).at();
        if (reset != null) {
            events.add(new Event(reset, "admin", "metrics reset"));
        }
        // Faults started through the simulator's API show here even where the dashboard does not offer the form.
        for (var f : faultPhases.isResolvable() ? faultPhases.get().faults() : List.<FaultPhases.Fault> of()) {
            if (f.workload().equals(p.name())) {
                events.add(new Event(f.startedAt(), "demo", "simulated fault '" + f.kind() + "' until "
                        + DashboardFormat.clock(f.until()) + " UTC (" + f.state() + ")"));
            }
        }
        // Timeouts seen in a sample interval are worth a line each: they are callers that got no connection.
        for (PoolSnapshot s : history) {
            if (s.interval().timeouts() > 0) {
                events.add(new Event(s.takenAt(), "timeout",
                        s.interval().timeouts() + " caller(s) timed out waiting for a connection"));
            }
        }
        events.sort(Comparator.comparing(Event::at, Comparator.nullsLast(Comparator.reverseOrder())));
        return events.size() > EVENTS_SHOWN ? List.copyOf(events.subList(0, EVENTS_SHOWN))
                : events;
    }
}
