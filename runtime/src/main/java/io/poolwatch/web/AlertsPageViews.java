package io.poolwatch.web;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import io.poolwatch.alerting.Alert;
import io.poolwatch.alerting.AlertRule;
import io.poolwatch.alerting.AlertState;
import io.poolwatch.alerting.Alerting;
import io.poolwatch.alerting.Silence;
import io.poolwatch.config.Limits;
import io.poolwatch.config.RootPath;
import io.poolwatch.config.Severity;
import io.poolwatch.web.DashboardModel.AlertRow;
import io.poolwatch.web.DashboardModel.AlertsPage;
import io.poolwatch.web.DashboardModel.ReceiverRow;
import io.poolwatch.web.DashboardModel.RuleRow;
import io.poolwatch.web.DashboardModel.SilenceForm;
import io.poolwatch.web.DashboardModel.SilenceRow;

/**
 * The alerts page: the alerts by state, the rules in effect, one page of silences and the receivers with how their
 * deliveries go; and the silence form pre-filled for one alert.
 */
@Singleton
public class AlertsPageViews {

    private final Alerting alerting;
    private final ReceiverViews receivers;
    private final Clock clock = Clock.systemUTC();

    AlertsPageViews(Alerting alerting, ReceiverViews receivers) {
        this.alerting = alerting;
        this.receivers = receivers;
    }

    public AlertsPage alertsPage(SilenceForm form) {
        return alertsPage(form, 0);
    }

    /**
     * The alerts page, its silences from the {@code silencesFrom}-th (newest first), at most
     * {@link io.poolwatch.config.Limits#PAGE_SILENCES} of them: with every field within its limit, the page's size is
     * bounded whatever was stored.
     */
    public AlertsPage alertsPage(SilenceForm form, int silencesFrom) {
        List<AlertRow> firing = new ArrayList<>();
        List<AlertRow> pending = new ArrayList<>();
        List<AlertRow> silenced = new ArrayList<>();
        List<AlertRow> resolved = new ArrayList<>();
        for (Alert a : sorted(alerting.alerts())) {
            AlertRow r = row(a);
            if (a.state() == AlertState.RESOLVED) {
                resolved.add(r);
            } else if (a.silenced()) {
                silenced.add(r);
            } else if (a.state() == AlertState.FIRING) {
                firing.add(r);
            } else {
                pending.add(r);
            }
        }
        List<RuleRow> rules = new ArrayList<>();
        alerting.rules().global().forEach(s -> rules.add(ruleRow(AlertResource.RuleView.of(s, null, alerting.rules()))));
        alerting.rules().perWorkload()
                .forEach((w, list) -> list.forEach(s -> rules.add(ruleRow(AlertResource.RuleView.of(s, w, alerting.rules())))));
        alerting.rules().perObserved()
                .forEach((w, list) -> list.forEach(s -> rules.add(ruleRow(AlertResource.RuleView.of(s, w, alerting.rules())))));
        Instant now = clock.instant();
        List<Silence> allSilences = alerting.silences().all();
        int per = Limits.PAGE_SILENCES;
        int from = Math.max(0, Math.min(silencesFrom, allSilences.size()));
        List<SilenceRow> silences = allSilences.subList(from, Math.min(allSilences.size(), from + per)).stream()
                .map(s -> new SilenceRow(s.id(), matchers(s), s.startsAt(), s.endsAt(), s.createdBy(), s.comment(),
                        s.active(now)))
                .toList();
        String next = from + per < allSilences.size()
                ? RootPath.link("/alerts") + "?silences-from=" + (from + per) + "#silences-title"
                : null;
        String previous = from > 0
                ? RootPath.link("/alerts") + (from - per > 0 ? "?silences-from=" + (from - per) : "") + "#silences-title"
                : null;
        List<ReceiverRow> receiverRows = new ArrayList<>();
        String outbox = null;
        for (ReceiverViews.ReceiverView r : receivers.list()) {
            var d = r.delivery();
            outbox = r.outbox();
            receiverRows.add(new ReceiverRow(r.name(), r.url(), String.join(", ", r.severities()), r.sendResolved(),
                    r.authentication(), r.signed(),
                    d == null ? null : d.lastSuccess(), d == null ? null : d.lastFailure(), d == null ? null : d.lastError(),
                    d == null ? 0 : d.consecutiveFailures(), d == null ? 0 : d.delivered(), d == null ? 0 : d.failedAttempts(),
                    d == null ? 0 : d.rejected(), d == null ? 0 : d.givenUp(), d == null ? 0 : d.depth()));
        }
        return new AlertsPage(firing, pending, silenced, resolved, alerting.lastEvaluation().orElse(null), rules, silences,
                !receiverRows.isEmpty(), outbox, receiverRows, alerting.unqueued(), form, allSilences.size(), from, next,
                previous);
    }

    /** A silence form pre-filled with the labels that identify one alert (all but severity and instance). */
    public SilenceForm silenceFormFor(String fingerprint) {
        for (Alert a : alerting.alerts()) {
            if (a.fingerprint().equals(fingerprint)) {
                List<Map.Entry<String, String>> matchers = new ArrayList<>();
                a.labels().forEach((k, v) -> {
                    if (!k.equals("severity") && !k.equals("instance")) {
                        matchers.add(Map.entry(k, v));
                    }
                });
                matchers.add(Map.entry("", ""));
                return new SilenceForm(matchers, "1h", "", "", null);
            }
        }
        return SilenceForm.blank();
    }

    private static RuleRow ruleRow(AlertResource.RuleView v) {
        String threshold = DashboardFormat.value(v.threshold(), v.unit());
        if (!v.unit().equals("ratio") && !v.unit().equals("seconds")) {
            threshold += " " + v.unit();
        }
        return new RuleRow(v.rule(), v.scope(), v.workload(), v.measures(), v.operator(), threshold, v.forDuration(),
                v.keepFiringFor(),
                v.severity(), v.enabled(), v.source());
    }

    private static String matchers(Silence s) {
        return s.matchers().stream()
                .map(m -> m.name() + (m.isEqual() ? "" : "!") + (m.isRegex() ? "=~" : "=") + "\"" + m.value() + "\"")
                .collect(Collectors.joining(", "));
    }

    static List<Alert> sorted(List<Alert> alerts) {
        List<Alert> out = new ArrayList<>(alerts);
        out.sort(Comparator.comparingInt((Alert a) -> switch (a.state()) {
            case FIRING -> 0;
            case PENDING -> 1;
            default -> 2;
        }).thenComparing((Alert a) -> severityRank(a.labels().get("severity"))).thenComparing(Alert::activeAt,
                Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
    }

    /** Critical first, then warning, then info, then an alert without a known severity. */
    private static int severityRank(String severity) {
        return Severity.find(severity).map(s -> -s.ordinal()).orElse(1);
    }

    static AlertRow row(Alert a) {
        Map<String, String> l = a.labels();
        String subject;
        String link;
        if (l.containsKey("pool")) {
            subject = "pool " + l.get("pool");
            link = RootPath.link("/pools/" + l.get("pool"));
        } else if (l.containsKey("check")) {
            subject = "check " + l.get("check");
            link = RootPath.link("/checks#" + l.get("check"));
        } else if (l.containsKey("database")) {
            subject = "database " + l.get("database");
            link = RootPath.link("/#servers");
        } else {
            subject = l.getOrDefault("instance", "");
            link = RootPath.link("/alerts");
        }
        Instant since = switch (a.state()) {
            case FIRING -> a.startsAt() != null ? a.startsAt() : a.activeAt();
            case RESOLVED -> a.endsAt() != null ? a.endsAt() : a.activeAt();
            default -> a.activeAt();
        };
        AlertRule rule = AlertRule.of(a.name()).orElse(null);
        return new AlertRow(a.fingerprint(), a.name(), a.state().label(), l.getOrDefault("severity", ""), subject, link,
                a.annotations().getOrDefault("summary", a.name()), a.annotations().getOrDefault("description", ""), a.value(),
                a.threshold(),
                rule == null ? ">" : rule.operator(), rule == null ? "" : rule.unit(), since, a.activeAt(), a.silenced(),
                a.silencedBy(), l);
    }
}
