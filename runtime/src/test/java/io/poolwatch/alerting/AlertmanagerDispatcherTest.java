package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.config.Severity;

/**
 * What is posted to an Alertmanager receiver and when, with an explicit clock: changes at once, unchanged firing alerts
 * every resend-interval, endsAt four intervals ahead (or when it resolved), resolutions for 15 minutes, severity routing,
 * silences ignored, and everything posted anew after a restart or a takeover.
 */
class AlertmanagerDispatcherTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Set<Severity> ALL = Set.of(Severity.values());
    private static final Duration RESEND = Duration.ofMinutes(1);
    private static final Duration EVALUATION = Duration.ofSeconds(5);
    private static final String EXTERNAL = "https://poolwatch.example";

    private static Instant t(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private static Alert alert(String name, String pool, AlertState state, String severity, Instant endsAt,
            List<String> silencedBy) {
        TreeMap<String, String> labels = new TreeMap<>(
                Map.of("alertname", name, "pool", pool, "severity", severity, "instance", "pod-1"));
        return new Alert(Fingerprint.of(labels), state, labels,
                Map.of("summary", name + " on " + pool, "dashboard", EXTERNAL + "/pools/" + pool), 1, 0.8, T0,
                state == AlertState.PENDING ? null : T0, endsAt, silencedBy);
    }

    private static Alert firing(String pool, String severity) {
        return alert("pool-utilization", pool, AlertState.FIRING, severity, null, List.of());
    }

    private static Alert resolved(String pool, String severity, Instant at) {
        return alert("pool-utilization", pool, AlertState.RESOLVED, severity, at, List.of());
    }

    private static AlertmanagerDispatcher dispatcher(Set<Severity> severities, boolean sendResolved) {
        return new AlertmanagerDispatcher(List.of(new AlertmanagerDispatcher.Route("am", severities, sendResolved, RESEND)),
                EVALUATION, EXTERNAL);
    }

    private static Map<String, AlertmanagerDispatcher.Posted> bySeverityAndPool(AlertmanagerDispatcher.Send s) {
        Map<String, AlertmanagerDispatcher.Posted> out = new TreeMap<>();
        s.alerts().forEach(p -> out.put(p.labels().get("pool") + "/" + p.labels().get("severity"), p));
        return out;
    }

    @Test
    void aNewFiringAlertIsPostedAtOnceWithEndsAtFourResendIntervalsAhead() {
        AlertmanagerDispatcher d = dispatcher(ALL, true);
        Alert main = firing("main", "warning");
        List<AlertmanagerDispatcher.Send> sent = d.tick(t(0), List.of(main));
        assertEquals(1, sent.size(), "no group-wait: Alertmanager groups");
        AlertmanagerDispatcher.Send s = sent.get(0);
        assertEquals("am", s.receiver());
        assertEquals(Notification.FIRING, s.status());
        AlertmanagerDispatcher.Posted p = s.alerts().get(0);
        assertTrue(p.firing());
        assertEquals(main.labels(), p.labels());
        assertEquals(T0, p.startsAt());
        assertEquals(t(0).plus(RESEND.multipliedBy(4)), p.endsAt());
        assertEquals(EXTERNAL + "/pools/main", p.generatorUrl(), "the alert's page on the dashboard");
    }

    @Test
    void unchangedFiringAlertsArePostedAgainEachResendIntervalWithALaterEndsAt() {
        AlertmanagerDispatcher d = dispatcher(ALL, true);
        Alert main = firing("main", "warning");
        assertEquals(1, d.tick(t(0), List.of(main)).size());
        // Evaluations every 5 s: nothing new until a minute has passed since the last post.
        for (int s = 5; s < 60; s += 5) {
            assertTrue(d.tick(t(s), List.of(main)).isEmpty(), "nothing at " + s + " s");
        }
        List<AlertmanagerDispatcher.Send> again = d.tick(t(60), List.of(main));
        assertEquals(1, again.size());
        assertEquals(t(60).plus(RESEND.multipliedBy(4)), again.get(0).alerts().get(0).endsAt());
        assertTrue(d.tick(t(65), List.of(main)).isEmpty());
        // A late evaluation posts at once, and the next resend counts from there.
        assertEquals(1, d.tick(t(127), List.of(main)).size());
        assertTrue(d.tick(t(180), List.of(main)).isEmpty());
        assertEquals(1, d.tick(t(187), List.of(main)).size());
    }

    @Test
    void endsAtCountsFromTheEvaluationIntervalWhenItIsLongerThanResend() {
        AlertmanagerDispatcher d = new AlertmanagerDispatcher(
                List.of(new AlertmanagerDispatcher.Route("am", ALL, true, Duration.ofSeconds(10))), Duration.ofSeconds(30),
                EXTERNAL);
        AlertmanagerDispatcher.Posted p = d.tick(t(0), List.of(firing("main", "warning"))).get(0).alerts().get(0);
        assertEquals(t(120), p.endsAt(), "4 x the 30 s evaluation interval, since posts come no oftener than evaluations");
    }

    @Test
    void aNewAlertOrAResolutionIsPostedAtTheNextTickCarryingEveryAlert() {
        AlertmanagerDispatcher d = dispatcher(ALL, true);
        Alert main = firing("main", "warning");
        d.tick(t(0), List.of(main));
        Alert jobs = firing("jobs", "critical");
        List<AlertmanagerDispatcher.Send> withJobs = d.tick(t(5), List.of(main, jobs));
        assertEquals(1, withJobs.size());
        assertEquals(List.of("jobs", "main"), withJobs.get(0).alerts().stream().map(p -> p.labels().get("pool")).toList(),
                "every alert, the most severe first");

        Alert mainResolved = resolved("main", "warning", t(8));
        List<AlertmanagerDispatcher.Send> resolution = d.tick(t(10), List.of(mainResolved, jobs));
        assertEquals(1, resolution.size());
        Map<String, AlertmanagerDispatcher.Posted> posted = bySeverityAndPool(resolution.get(0));
        assertFalse(posted.get("main/warning").firing());
        assertEquals(t(8), posted.get("main/warning").endsAt(), "a resolved alert's endsAt is when it resolved");
        assertTrue(posted.get("jobs/critical").firing());
        assertEquals(Notification.FIRING, resolution.get(0).status());
        assertTrue(d.tick(t(15), List.of(mainResolved, jobs)).isEmpty(), "a resolution is news once");
    }

    @Test
    void resolvedAlertsArePostedForFifteenMinutesThenNoMore() {
        AlertmanagerDispatcher d = dispatcher(ALL, true);
        d.tick(t(0), List.of(firing("main", "warning")));
        Alert gone = resolved("main", "warning", t(30));
        List<AlertmanagerDispatcher.Send> first = d.tick(t(30), List.of(gone));
        assertEquals(Notification.RESOLVED, first.get(0).status());
        // Posted again each resend-interval, as Prometheus does, so a newer post always carries what an older one did.
        assertEquals(1, d.tick(t(90), List.of(gone)).size());
        assertEquals(Notification.RESOLVED, d.tick(t(150), List.of(gone)).get(0).status());
        assertEquals(1, d.tick(t(29 + 15 * 60), List.of(gone)).size());
        assertTrue(d.tick(t(30 + 15 * 60 + 60), List.of(gone)).isEmpty(), "not after 15 minutes");
        assertTrue(d.tick(t(30 + 20 * 60), List.of(gone)).isEmpty());
    }

    @Test
    void withoutSendResolvedOnlyFiringAlertsArePosted() {
        AlertmanagerDispatcher d = dispatcher(ALL, false);
        Alert jobs = firing("jobs", "warning");
        d.tick(t(0), List.of(firing("main", "warning"), jobs));
        List<AlertmanagerDispatcher.Send> after = d.tick(t(5), List.of(resolved("main", "warning", t(5)), jobs));
        assertEquals(1, after.size(), "the change is posted");
        assertEquals(List.of("jobs"), after.get(0).alerts().stream().map(p -> p.labels().get("pool")).toList(),
                "without the resolution: Alertmanager resolves main once its endsAt passes");
        d.tick(t(65), List.of(jobs));
        assertTrue(d.tick(t(70), List.of(resolved("jobs", "warning", t(70)))).isEmpty(), "nothing to post");
    }

    @Test
    void severitiesRouteAsForWebhooks() {
        AlertmanagerDispatcher d = dispatcher(Set.of(Severity.CRITICAL), true);
        assertTrue(d.tick(t(0), List.of(firing("main", "warning"))).isEmpty(), "a warning is not taken");
        List<AlertmanagerDispatcher.Send> sent = d.tick(t(5), List.of(firing("main", "warning"), firing("jobs", "critical")));
        assertEquals(List.of("jobs"), sent.get(0).alerts().stream().map(p -> p.labels().get("pool")).toList());
    }

    @Test
    void silencedAndPendingAlerts() {
        AlertmanagerDispatcher d = dispatcher(ALL, true);
        Alert silenced = alert("pool-utilization", "main", AlertState.FIRING, "warning", null, List.of("silence-1"));
        Alert pending = alert("pool-utilization", "jobs", AlertState.PENDING, "warning", null, List.of());
        List<AlertmanagerDispatcher.Send> sent = d.tick(t(0), List.of(silenced, pending));
        assertEquals(1, sent.size());
        assertEquals(List.of("main"), sent.get(0).alerts().stream().map(p -> p.labels().get("pool")).toList(),
                "a firing alert silenced in poolwatch is posted all the same (Alertmanager silences it); a pending one is not");
        assertTrue(sent.get(0).alerts().get(0).firing());
        // A silence starting on an alert Alertmanager has changes nothing there: no resolution, the resends go on.
        assertTrue(d.tick(t(5), List.of(silenced, pending)).isEmpty());
        assertTrue(d.tick(t(60), List.of(silenced, pending)).get(0).alerts().get(0).firing());
    }

    @Test
    void aRiseInSeverityEndsTheAlertAsItWasPostedAndPostsTheNewOne() {
        AlertmanagerDispatcher d = dispatcher(ALL, true);
        d.tick(t(0), List.of(firing("financial", "warning")));
        // Same fingerprint, other labels: to Alertmanager, another alert.
        List<AlertmanagerDispatcher.Send> rise = d.tick(t(5), List.of(firing("financial", "critical")));
        assertEquals(1, rise.size(), "posted at once");
        Map<String, AlertmanagerDispatcher.Posted> posted = bySeverityAndPool(rise.get(0));
        assertTrue(posted.get("financial/critical").firing());
        assertFalse(posted.get("financial/warning").firing(), "the warning one ended when it became critical");
        assertEquals(t(5), posted.get("financial/warning").endsAt());
        assertEquals(T0, posted.get("financial/warning").startsAt());
        // The ended one keeps being posted as resolved with the resends, as a resolution is.
        Map<String, AlertmanagerDispatcher.Posted> later = bySeverityAndPool(
                d.tick(t(65), List.of(firing("financial", "critical"))).get(0));
        assertEquals(t(5), later.get("financial/warning").endsAt());
        assertFalse(later.get("financial/warning").firing());
    }

    @Test
    void aReceiverThatTakesOnlyWarningsSeesTheWarningEndWhenItBecomesCritical() {
        AlertmanagerDispatcher d = dispatcher(Set.of(Severity.WARNING), true);
        d.tick(t(0), List.of(firing("financial", "warning")));
        List<AlertmanagerDispatcher.Send> rise = d.tick(t(5), List.of(firing("financial", "critical")));
        assertEquals(1, rise.size());
        assertEquals(Notification.RESOLVED, rise.get(0).status());
        AlertmanagerDispatcher.Posted ended = rise.get(0).alerts().get(0);
        assertEquals("warning", ended.labels().get("severity"));
        assertEquals(t(5), ended.endsAt());
    }

    @Test
    void afterARestartOrATakeoverEverythingIsPostedAtOnce() {
        AlertmanagerDispatcher before = dispatcher(ALL, true);
        Alert main = firing("main", "warning");
        Alert jobsResolved = resolved("jobs", "warning", t(20));
        before.tick(t(0), List.of(main, firing("jobs", "warning")));
        before.tick(t(20), List.of(main, jobsResolved));
        assertTrue(before.tick(t(25), List.of(main, jobsResolved)).isEmpty());

        // A restarted process (a new dispatcher) or one that takes the cluster's jobs over (forget): no wait for resend.
        AlertmanagerDispatcher restarted = dispatcher(ALL, true);
        List<AlertmanagerDispatcher.Send> first = restarted.tick(t(30), List.of(main, jobsResolved));
        assertEquals(1, first.size());
        assertEquals(2, first.get(0).alerts().size(), "the firing alert and the recent resolution");
        assertEquals(T0, bySeverityAndPool(first.get(0)).get("main/warning").startsAt(),
                "the same startsAt: the same alert to Alertmanager");

        before.forget();
        assertEquals(2, before.tick(t(30), List.of(main, jobsResolved)).get(0).alerts().size());
        assertTrue(before.tick(t(35), List.of(main, jobsResolved)).isEmpty());
    }

    @Test
    void aPostCarriesAtMostMaxAlertsFiringFirst() {
        AlertmanagerDispatcher d = dispatcher(ALL, true);
        List<Alert> many = new ArrayList<>();
        for (int i = 0; i < AlertmanagerDispatcher.MAX_ALERTS; i++) {
            many.add(firing("p" + i, "warning"));
        }
        for (int i = 0; i < 5; i++) {
            many.add(resolved("r" + i, "warning", t(0)));
        }
        AlertmanagerDispatcher.Send s = d.tick(t(1), many).get(0);
        assertEquals(AlertmanagerDispatcher.MAX_ALERTS, s.alerts().size());
        assertEquals(5, s.omitted());
        assertTrue(s.alerts().stream().allMatch(AlertmanagerDispatcher.Posted::firing), "resolutions are what is left out");
    }

    @Test
    void aLinkAlertmanagerCannotReadGivesWayToTheDashboardAddress() {
        AlertmanagerDispatcher d = dispatcher(ALL, true);
        assertEquals(EXTERNAL + "/pools/main", d.generatorUrl(EXTERNAL + "/pools/main"));
        assertEquals(EXTERNAL, d.generatorUrl("https://poolwatch.example/pools/a pool"));
        assertEquals(EXTERNAL, d.generatorUrl(null));
    }

    @Test
    void theBodyIsAnArrayOfPostableAlerts() throws Exception {
        AlertmanagerDispatcher d = dispatcher(ALL, true);
        d.tick(t(0), List.of(firing("main", "warning"), firing("jobs", "warning")));
        AlertmanagerDispatcher.Send s = d
                .tick(t(5),
                        List.of(firing("main", "warning"),
                                resolved("jobs", "warning", Instant.parse("2026-11-22T10:00:04.123456Z"))))
                .get(0);
        JsonNode body = new ObjectMapper().readTree(PostableAlerts.body(new ObjectMapper(), s.alerts()));
        assertTrue(body.isArray());
        assertEquals(2, body.size());
        JsonNode firing = body.get(0);
        assertEquals(List.of("labels", "annotations", "startsAt", "endsAt", "generatorURL"), fieldNames(firing));
        assertEquals("pool-utilization", firing.get("labels").get("alertname").asText());
        assertEquals("main", firing.get("labels").get("pool").asText());
        assertEquals("warning", firing.get("labels").get("severity").asText());
        assertEquals("pod-1", firing.get("labels").get("instance").asText());
        assertEquals("pool-utilization on main", firing.get("annotations").get("summary").asText());
        assertEquals("2026-11-22T10:00:00Z", firing.get("startsAt").asText());
        assertEquals("2026-11-22T10:04:05Z", firing.get("endsAt").asText(), "4 x resend after the post");
        assertEquals(EXTERNAL + "/pools/main", firing.get("generatorURL").asText());
        JsonNode resolution = body.get(1);
        assertEquals("2026-11-22T10:00:04.123Z", resolution.get("endsAt").asText(), "when it resolved, in milliseconds");
        assertFalse(resolution.has("fingerprint"), "Alertmanager computes its own");
        assertFalse(resolution.has("status"));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
