package io.poolwatch.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.alerting.AlertRule;
import io.poolwatch.alerting.Alerting;
import io.poolwatch.observed.ApplicationDefinition;
import io.poolwatch.observed.ApplicationSampler;
import io.poolwatch.observed.ApplicationSnapshot;
import io.poolwatch.web.DashboardModel.Gauge;
import io.poolwatch.web.DashboardModel.Setting;
import io.quarkus.qute.TemplateData;

/**
 * The view models of the applications poolwatch watches but does not own: the overview's cards and suggestions
 * ({@link #overview()}, for the {@code applicationCards} tag) and an application's page. From the latest sample only.
 */
@ApplicationScoped
public class ApplicationViews {

    /**
     * The overview's applications section.
     *
     * @param cards one per defined application and database (an application not read yet: one card saying so)
     * @param suggestions sessions no definition matches, largest first, at most 50
     * @param defined how many applications are defined
     * @param utilizationWarning where the bars are marked as warning
     */
    @TemplateData
    public record ApplicationOverview(List<ApplicationCard> cards, List<SuggestionRow> suggestions, int defined,
            double utilizationWarning) {
    }

    /**
     * One application on one database.
     *
     * @param level ok, warning, critical or unknown: the utilization's level where expected-max is set, else ok or unknown
     * @param utilization sessions / expected-max as a bar (NaN, "unknown", without expected-max or when unreadable)
     * @param byState sessions by state, sorted by state
     */
    @TemplateData
    public record ApplicationCard(String name, String database, String match, String user, boolean read, boolean available,
            String unavailableReason, Instant takenAt, String level, Gauge utilization, boolean hasExpectedMax, int expectedMax,
            int sessions,
            int instances, int idleInTransaction, String oldestIdleInTransaction, String longestTransaction,
            String longestStatement,
            int waitingOnLock, Map<String, Integer> byState) {

        /** Whether any of its sessions sits idle in a transaction. */
        public boolean idleInTransactionBad() {
            return idleInTransaction > 0;
        }
    }

    /**
     * Unmatched sessions as the overview lists them.
     *
     * @param config the lines that would define them, ready to paste
     */
    @TemplateData
    public record SuggestionRow(String database, String applicationName, String user, int sessions, int instances,
            String config) {
    }

    /**
     * An application's page.
     *
     * @param definition its keys as configured (values only, never a secret: none of them is one)
     * @param cards one per database it is looked for on
     */
    @TemplateData
    public record ApplicationPage(String name, String match, List<Setting> definition, List<ApplicationCard> cards) {
    }

    private final ApplicationSampler sampler;
    private final Alerting alerting;

    ApplicationViews(ApplicationSampler sampler, Alerting alerting) {
        this.sampler = sampler;
        this.alerting = alerting;
    }

    /** The overview's cards and suggestions: what the {@code tags/applicationCards.html} tag takes as {@code apps}. */
    public ApplicationOverview overview() {
        List<ApplicationCard> cards = new ArrayList<>();
        sampler.definitions().stream().map(ApplicationDefinition::name).sorted()
                .forEach(n -> cards.addAll(cards(sampler.definition(n).orElseThrow())));
        List<SuggestionRow> suggestions = sampler.suggestions().stream()
                .map(s -> new SuggestionRow(s.database(), s.applicationName(), s.user(), s.sessions(), s.instances(),
                        ApplicationResource.suggestedConfig(s)))
                .toList();
        return new ApplicationOverview(cards, suggestions, sampler.definitions().size(), warning());
    }

    /** An application's page, if it is defined. */
    public Optional<ApplicationPage> page(String name) {
        return sampler.definition(name).map(d -> {
            List<Setting> settings = new ArrayList<>();
            settings.add(new Setting("application-name", d.applicationName().pattern(), ""));
            settings.add(new Setting("user", d.userLabel(), ""));
            settings.add(new Setting("client-address", d.clientAddress().map(c -> c.text()).orElse("any"), ""));
            settings.add(new Setting("database", d.database().orElse("every watched database"), ""));
            settings.add(new Setting("expected-max",
                    d.expectedMax().isPresent() ? Integer.toString(d.expectedMax().getAsInt()) : "not set", ""));
            return new ApplicationPage(d.name(), d.describe(), settings, cards(d));
        });
    }

    private List<ApplicationCard> cards(ApplicationDefinition d) {
        List<ApplicationSnapshot> snapshots = sampler.latest(d.name());
        double warning = alerting.rules().observedSettings(AlertRule.APPLICATION_SESSIONS, d.name()).threshold();
        int expected = d.expectedMax().isPresent() ? d.expectedMax().getAsInt() : 0;
        if (snapshots.isEmpty()) {
            return List.of(new ApplicationCard(d.name(), "", d.describe(), d.userLabel(), false, false, "not read yet", null,
                    "unknown",
                    new Gauge(Double.NaN, warning, DashboardModel.CRITICAL_UTILIZATION, "not read yet"),
                    d.expectedMax().isPresent(), expected, 0, 0,
                    0, null, null, null, 0, Map.of()));
        }
        List<ApplicationCard> out = new ArrayList<>();
        for (ApplicationSnapshot s : snapshots) {
            double use = s.utilization().orElse(Double.NaN);
            String detail = !s.available() ? "unreadable"
                    : s.expectedMax().isPresent() ? s.sessions() + " of " + s.expectedMax().getAsInt() + " expected"
                            : s.sessions() + " sessions";
            Gauge gauge = new Gauge(use, warning, DashboardModel.CRITICAL_UTILIZATION, detail);
            String level = !s.available() ? "unknown" : s.expectedMax().isPresent() ? gauge.level() : "ok";
            out.add(new ApplicationCard(d.name(), s.database(), d.describe(), s.user(), true, s.available(),
                    s.unavailableReason().orElse(null),
                    s.takenAt(), level, gauge, s.expectedMax().isPresent(), expected, s.sessions(), s.instances(),
                    s.idleInTransaction(),
                    span(s.oldestIdleInTransaction()), span(s.longestTransaction()), span(s.longestStatement()),
                    s.waitingOnLock(),
                    new TreeMap<>(s.sessionsByState())));
        }
        return out;
    }

    private static String span(Optional<Duration> d) {
        return d.map(DashboardFormat::span).orElse(null);
    }

    /**
     * Where the bars are marked as warning: the application-sessions rule's global threshold (its alerts use each application's
     * own).
     */
    private double warning() {
        return alerting.rules().settings(AlertRule.APPLICATION_SESSIONS, Optional.empty()).threshold();
    }
}
