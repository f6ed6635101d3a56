package io.poolwatch.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.poolwatch.alerting.Alert;
import io.poolwatch.alerting.AlertRule;
import io.poolwatch.alerting.AlertRuleSet;
import io.poolwatch.alerting.AlertState;
import io.poolwatch.alerting.Alerting;
import io.poolwatch.alerting.RuleSettings;
import io.poolwatch.config.Durations;
import io.poolwatch.config.Limits;

/** Alerts and the rules in effect, as JSON. */
@Singleton
@RootedPath("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {

    private final Alerting alerting;

    AlertResource(Alerting alerting) {
        this.alerting = alerting;
    }

    /**
     * The alerts.
     *
     * @param evaluatedAt when the rules were last evaluated
     * @param alerts firing first, then pending, then recently resolved; each newest first
     */
    public record AlertList(Instant evaluatedAt, List<Alert> alerts) {
    }

    /**
     * Active and recently resolved alerts; {@code ?state=firing} (or pending, resolved) for one state only. At most
     * {@code ?limit=} of them (default {@value Limits#API_ALERTS_DEFAULT}, at most {@value Limits#API_ALERTS_MAX}) from
     * {@code ?offset=}; {@code X-Total-Count} and {@code Link: rel="next"} page on.
     */
    @GET
    @APIResponse(responseCode = "200", description = "One page of the alerts", content = @Content(schema = @Schema(implementation = AlertList.class)))
    public Response list(@QueryParam("state") String state, @QueryParam("limit") String limit,
            @QueryParam("offset") String offset) {
        if (state != null && !state.isBlank() && AlertState.find(state).isEmpty()) {
            throw new WebApplicationException(Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError("state=" + Limits.quote(state) + ": accepted: pending, firing, resolved", 400))
                    .build());
        }
        Paging paging = Paging.of(limit, offset, Limits.API_ALERTS_DEFAULT, Limits.API_ALERTS_MAX);
        List<Alert> out = new ArrayList<>();
        for (Alert a : alerting.alerts()) {
            if (state == null || state.isBlank() || a.state().label().equalsIgnoreCase(state)) {
                out.add(a);
            }
        }
        out.sort(Comparator.comparingInt((Alert a) -> switch (a.state()) {
            case FIRING -> 0;
            case PENDING -> 1;
            default -> 2;
        }).thenComparing(Alert::activeAt, Comparator.reverseOrder()));
        String query = state == null || state.isBlank() ? "" : "state=" + state.toLowerCase(Locale.ROOT);
        return paging.ok(new AlertList(alerting.lastEvaluation().orElse(null), paging.slice(out)), out.size(), "/api/v1/alerts",
                query);
    }

    /**
     * One rule's settings in effect.
     *
     * @param rule its name, the alertname label
     * @param scope pool, database, replica or check
     * @param measures what its value is
     * @param unit the value's unit
     * @param operator how the value is compared: {@code >} or {@code >=}
     * @param threshold the threshold
     * @param forDuration how long it must hold before firing
     * @param keepFiringFor how long a firing alert stays after it clears
     * @param severity the alert's severity, or how it is chosen: error-rate's rises to critical above DB_ERROR_RATE_CRITICAL,
     *        unhealthy-pools' follows the workload's critical flag, consistency-check takes each check's own unless set
     * @param enabled whether it raises alerts
     * @param source which key chose the threshold
     * @param workload the workload these settings are for, or null for every workload without its own
     */
    public record RuleView(String rule, String scope, String measures, String unit, String operator, double threshold,
            String forDuration,
            String keepFiringFor, String severity, boolean enabled, String source, String workload) {

        static RuleView of(RuleSettings s, String workload, AlertRuleSet rules) {
            AlertRule r = s.rule();
            String severity = rules.severityInWords(s);
            return new RuleView(r.label(), r.scope().name().toLowerCase(Locale.ROOT), r.measures(), r.unit(), r.operator(),
                    s.threshold(),
                    Durations.format(s.forDuration()), Durations.format(s.keepFiringFor()), severity, s.enabled(), s.source(),
                    workload);
        }
    }

    /**
     * The rules.
     *
     * @param rules every rule's global settings
     * @param workloads the settings workloads have of their own
     * @param errorRateCritical the error rate above which error-rate's alert is critical (DB_ERROR_RATE_CRITICAL)
     * @param observed the settings observed applications and PgBouncers have of their own, by {@code application:<name>} and
     *        {@code pgbouncer:<name>}
     */
    public record RuleList(List<RuleView> rules, Map<String, List<RuleView>> workloads, double errorRateCritical,
            Map<String, List<RuleView>> observed) {
    }

    @GET
    @Path("rules")
    public RuleList rules() {
        Map<String, List<RuleView>> workloads = new LinkedHashMap<>();
        alerting.rules().perWorkload()
                .forEach((w, list) -> workloads.put(w, list.stream().map(s -> RuleView.of(s, w, alerting.rules())).toList()));
        Map<String, List<RuleView>> observed = new LinkedHashMap<>();
        alerting.rules().perObserved()
                .forEach((w, list) -> observed.put(w, list.stream().map(s -> RuleView.of(s, w, alerting.rules())).toList()));
        return new RuleList(alerting.rules().global().stream().map(s -> RuleView.of(s, null, alerting.rules())).toList(),
                workloads,
                alerting.rules().errorRateCritical(), observed);
    }
}
