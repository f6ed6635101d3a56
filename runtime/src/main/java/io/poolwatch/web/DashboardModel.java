package io.poolwatch.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.poolwatch.checks.CheckResult;
import io.poolwatch.config.Limits;
import io.poolwatch.pool.SlowStatement;
import io.poolwatch.sampling.Autosizer;
import io.poolwatch.sampling.SizingAdvice;
import io.quarkus.qute.TemplateData;

/**
 * What the dashboard's templates show: immutable views assembled by {@link OverviewViews} (the overview and its
 * fragments), {@link PoolPageViews} and {@link AlertsPageViews} from the samplers, health,
 * checks and alerting. Values that may be missing are NaN (numbers) or null (times); the templates format both.
 */
public final class DashboardModel {

    private DashboardModel() {
    }

    /**
     * Share of a pool's max-size at which its bar is marked critical (the warning mark is the pool-utilization rule's
     * threshold).
     */
    public static final double CRITICAL_UTILIZATION = 0.95;
    /** Share of a server's usable connections at which its bar is marked critical. */
    public static final double CRITICAL_SERVER_USE = 0.95;

    /** What every page's layout needs. */
    @TemplateData
    public record Page(String title, String active, Instant now, int refreshSeconds, boolean embedded, int firing, int pending,
            String notice, boolean standby, boolean admin) {

        /** The htmx trigger of a fragment refreshed on the sampling interval. */
        public String trigger() {
            return "every " + refreshSeconds + "s";
        }
    }

    /**
     * A ratio against two marks, drawn as a bar: utilization of a pool, sessions of a server.
     *
     * @param value the ratio, NaN when unknown
     * @param warning the warning mark
     * @param critical the critical mark
     * @param detail the figures behind it, such as "6 of 15"
     */
    @TemplateData
    public record Gauge(double value, double warning, double critical, String detail) {

        /** ok, warning, critical or unknown: said in words next to the bar, never by colour alone. */
        public String level() {
            if (!Double.isFinite(value)) {
                return "unknown";
            }
            if (value >= critical) {
                return "critical";
            }
            return value > warning ? "warning" : "ok";
        }

        /** The bar's length out of 100. */
        public String widthText() {
            return Sparkline.num(Double.isFinite(value) ? Math.max(0, Math.min(1, value)) * 100 : 0);
        }

        public String warningText() {
            return Sparkline.num(Math.max(0, Math.min(1, warning)) * 100);
        }

        public String criticalText() {
            return Sparkline.num(Math.max(0, Math.min(1, critical)) * 100);
        }
    }

    /**
     * An alert as the pages list it.
     *
     * @param subject what it is about: the pool, database or check
     * @param link the page about the subject
     * @param since when it fired (firing), when its condition started (pending), when it resolved (resolved)
     */
    @TemplateData
    public record AlertRow(String fingerprint, String name, String state, String severity, String subject, String link,
            String summary,
            String description, double value, double threshold, String operator, String unit, Instant since, Instant activeAt,
            boolean silenced, List<String> silencedBy, Map<String, String> labels) {

        /** The ids of silences shown with it: at most {@link io.poolwatch.config.Limits#PAGE_SILENCED_BY}. */
        public List<String> silencedByShown() {
            return silencedBy.size() > Limits.PAGE_SILENCED_BY
                    ? silencedBy.subList(0, Limits.PAGE_SILENCED_BY)
                    : silencedBy;
        }

        /** How many silences beyond those shown also match it. */
        public int silencedByMore() {
            return silencedBy.size() - silencedByShown().size();
        }
    }

    /** The banner of firing and pending alerts on top of the overview. */
    @TemplateData
    public record AlertBanner(List<AlertRow> active, int firing, int pending, int silenced, Instant evaluatedAt) {

        public boolean quiet() {
            return active.isEmpty();
        }
    }

    /**
     * A read replica's routing and lag, on its pool's card; null on a card that is not a replica's.
     *
     * @param routing usable, drained, pending, unreachable, failed, lagging or exhausted
     * @param description the routing state in words, with its reason
     * @param takesReads whether reads go to it now
     * @param weight its routing weight
     * @param replication streaming, paused, not-streaming, stopped ... (unknown before the first reading)
     * @param lagSeconds replay lag, NaN when unknown
     * @param lagBytes replay lag in bytes, -1 when unknown
     * @param lagThresholdSeconds the replica-lag rule's threshold for its workload
     */
    public record ReplicaView(String routing, String description, boolean takesReads, int weight, String replication,
            double lagSeconds,
            long lagBytes, double lagThresholdSeconds) {

        public boolean lagBreached() {
            return Double.isFinite(lagSeconds) && lagSeconds > lagThresholdSeconds;
        }

        public boolean lagKnown() {
            return Double.isFinite(lagSeconds);
        }
    }

    /** A workload with its pools, the primary first, then its replicas. */
    @TemplateData
    public record WorkloadGroup(String workload, List<PoolCard> pools, List<ReplicaRow> configuredReplicas) {
    }

    /**
     * One page of the overview's pools: those the filter matches, pools in trouble first, at most
     * {@link PoolFilter#PAGE_SIZE} cards, grouped by workload, with what is not shown counted.
     *
     * @param groups this page's cards by workload (a workload split over two pages shows on both)
     * @param idle pools left out because nothing has borrowed from them (on a real database), the first
     *        {@link #IDLE_NAMED} of them that match
     * @param idleCount how many match in all
     * @param poolCount pools configured
     * @param matching cards the filter matches, over every page
     * @param trouble pools in trouble among every pool configured, whatever the filter
     * @param first position of this page's first card among the matches, from 1 (0 with none)
     * @param last position of its last card
     * @param page the page shown (the last one when a page past it was asked for)
     * @param pages pages of matches (at least 1)
     * @param previous the previous page's link, null on the first
     * @param next the next page's link, null on the last
     * @param error why the filter asked for was refused (the list is then every pool's first page), or null
     */
    @TemplateData
    public record PoolList(List<WorkloadGroup> groups, List<String> idle, int idleCount, PoolFilter filter, int poolCount,
            int matching,
            int trouble, int first, int last, int page, int pages, String previous, String next, String error) {

        /** Pools in the idle line, named; the rest are counted. */
        public static final int IDLE_NAMED = 20;

        /** Cards on a full page. */
        public int pageSize() {
            return PoolFilter.PAGE_SIZE;
        }

        /** Matching cards after this page. */
        public int moreAfter() {
            return Math.max(0, matching - last);
        }

        /** Matching cards before this page. */
        public int moreBefore() {
            return Math.max(0, first - 1);
        }

        /** Idle pools counted but not named. */
        public int idleUnnamed() {
            return Math.max(0, idleCount - idle.size());
        }

        /** A page of every pool from a list of groups (a test's or a host's view; no filter, no idle pools). */
        public static PoolList of(List<WorkloadGroup> groups) {
            int n = groups.stream().mapToInt(g -> g.pools().size()).sum();
            return new PoolList(groups, List.of(), 0, PoolFilter.NONE, n, n, 0, n == 0 ? 0 : 1, n, 1, 1, null, null, null);
        }
    }

    /** A read replica configured for a workload (routing and its own pool are not built yet). */
    @TemplateData
    public record ReplicaRow(int index, String url, int weight) {
    }

    /**
     * One pool's card on the overview.
     *
     * @param health up, degraded or down
     * @param sampled whether a sample was taken yet
     * @param p95CheckoutMs p95 time to get a connection in the last sample interval, NaN without checkouts
     * @param errorRate failed / attempted acquisitions over the error-rate window, NaN before the first sample
     * @param slowLastMinute statements over the slow-query threshold in the last minute, -1 before the first sample
     * @param tls the pool's TLS, configured and as the server reports it
     */
    @TemplateData
    public record PoolCard(String name, String workload, String role, boolean critical, String database, String health,
            String healthDetail, boolean sampled, Instant sampledAt, Gauge utilization, long active, long idle, long awaiting,
            int minSize,
            int maxSize, double p95CheckoutMs, double checkoutThresholdMs, double errorRate, double errorRateThreshold,
            int leaks,
            double leakThreshold, long slowLastMinute, Sparkline utilizationLine, Sparkline checkoutLine, TlsView tls,
            ReplicaView replica) {

        public boolean errorRateBreached() {
            return Double.isFinite(errorRate) && errorRate > errorRateThreshold;
        }

        public boolean checkoutBreached() {
            return Double.isFinite(p95CheckoutMs) && p95CheckoutMs > checkoutThresholdMs;
        }

        public boolean leaksBreached() {
            return leaks > 0 && leaks >= leakThreshold;
        }
    }

    /**
     * A consistency check and its latest run.
     *
     * @param status pass, fail, error, timeout, or "not run"
     */
    @TemplateData
    public record CheckRow(String name, String description, String kind, String workload, String mode, String schedule,
            String severity,
            boolean running, Instant nextRun, String status, Long violations, long allowedViolations, Instant finishedAt,
            double durationSeconds, String message, List<CheckResult> history, Sparkline durations) {

        public boolean failing() {
            return !status.equals("pass") && !status.equals("not run");
        }
    }

    /**
     * One database server's sessions against what it allows.
     *
     * @param use sessions / (max_connections - reserved)
     */
    @TemplateData
    public record ServerRow(String database, String kind, boolean available, String unavailableReason, Instant takenAt,
            int sessions,
            Integer maxConnections, int reserved, Gauge use, Map<String, Integer> byState, String oldestIdleInTransaction,
            List<PoolSessionsRow> pools, String saturation) {

        /** A row of a server with connection slots to spare (or not read). */
        public ServerRow(String database, String kind, boolean available, String unavailableReason, Instant takenAt,
                int sessions,
                Integer maxConnections, int reserved, Gauge use, Map<String, Integer> byState, String oldestIdleInTransaction,
                List<PoolSessionsRow> pools) {
            this(database, kind, available, unavailableReason, takenAt, sessions, maxConnections, reserved, use, byState,
                    oldestIdleInTransaction, pools, null);
        }
    }

    /** A pool's sessions as the server sees them. */
    @TemplateData
    public record PoolSessionsRow(String pool, String applicationName, long poolActive, long poolIdle, String serverSessions) {
    }

    /** The overview page. */
    @TemplateData
    public record Overview(AlertBanner alerts, PoolList pools, List<CheckRow> checks, List<ServerRow> servers,
            List<SizingAdvice> advice, double utilizationWarning, String history, Faults faults) {
    }

    /**
     * A fault phase of the load simulator as the overview lists it.
     *
     * @param state running, finished, failed or interrupted
     * @param detail why it failed; empty otherwise
     */
    @TemplateData
    public record FaultRow(int id, String kind, String workload, Instant startedAt, Instant until, String state,
            String detail) {
    }

    /**
     * The form that starts a fault phase: what it offers, and what was submitted when it was refused.
     *
     * @param kinds the kinds of fault
     * @param workloads the pools a fault may run on
     * @param kind the kind chosen
     * @param workload the pool chosen
     * @param duration the duration typed; empty for the kind's default
     * @param error why the submitted form was refused, naming the field, the value and what is accepted; null otherwise
     */
    @TemplateData
    public record FaultForm(List<String> kinds, List<String> workloads, String kind, String workload, String duration,
            String error) {
    }

    /**
     * The overview's fault phases.
     *
     * @param available whether the application has fault phases at all (the standalone service's simulator)
     * @param recent the latest faults started, newest first
     * @param running how many are running
     */
    @TemplateData
    public record Faults(boolean available, List<FaultRow> recent, int running, FaultForm form) {
    }

    /** A labelled line of a pool's configuration in effect, with the key or variable that chose it. */
    @TemplateData
    public record Setting(String name, String value, String source) {
    }

    /** A leaked connection as the pool page shows it. */
    @TemplateData
    public record LeakRow(String connection, String holderThread, String holderThreadState, Instant firstDetected,
            Instant lastDetected,
            String heldAtLeast, List<String> stack, boolean current, Instant returnedAt) {
    }

    /** Something that happened to a pool, for its page's event list. */
    @TemplateData
    public record Event(Instant at, String kind, String text) {
    }

    /**
     * A large chart on the pool page.
     *
     * @param unit how the axis reads: ratio, ms or count
     */
    @TemplateData
    public record Chart(String id, String title, String unit, Sparkline line, String thresholdLabel) {
    }

    /**
     * A pool's own page.
     *
     * @param trends the 24-hour charts (checkout time p95, utilization) from {@link io.poolwatch.sampling.Trends}
     * @param autosize its autosizing: policy, latest answer, recent changes; null where not shown
     */
    @TemplateData
    public record PoolPage(PoolCard card, List<Chart> charts, List<LeakRow> leaks, List<SlowStatement> slowStatements,
            List<Setting> settings, List<ReplicaRow> replicas, List<Event> events, Instant resetAt, long samples,
            List<Chart> trends, Autosizer.View autosize) {

        /** A page without autosizing shown. */
        public PoolPage(PoolCard card, List<Chart> charts, List<LeakRow> leaks, List<SlowStatement> slowStatements,
                List<Setting> settings, List<ReplicaRow> replicas, List<Event> events, Instant resetAt, long samples,
                List<Chart> trends) {
            this(card, charts, leaks, slowStatements, settings, replicas, events, resetAt, samples, trends, null);
        }

        /** A page without 24-hour charts: they show as still collecting. */
        public PoolPage(PoolCard card, List<Chart> charts, List<LeakRow> leaks, List<SlowStatement> slowStatements,
                List<Setting> settings, List<ReplicaRow> replicas, List<Event> events, Instant resetAt, long samples) {
            this(card, charts, leaks, slowStatements, settings, replicas, events, resetAt, samples, List.of());
        }

        /** Whether no 24-hour chart has a value yet. */
        public boolean trendsEmpty() {
            return trends.stream().allMatch(c -> c.line().empty());
        }
    }

    /** A silence as the alerts page lists it. */
    @TemplateData
    public record SilenceRow(String id, String matchers, Instant startsAt, Instant endsAt, String createdBy, String comment,
            boolean active) {
    }

    /** A receiver and how deliveries to it are going. */
    @TemplateData
    public record ReceiverRow(String name, String url, String severities, boolean sendResolved, String authentication,
            int signed,
            Instant lastSuccess, Instant lastFailure, String lastError, int consecutiveFailures, long delivered,
            long failedAttempts,
            long rejected, long givenUp, int depth) {
    }

    /** One rule in effect, globally or for a workload. */
    @TemplateData
    public record RuleRow(String rule, String scope, String workload, String measures, String operator, String threshold,
            String forDuration,
            String keepFiringFor, String severity, boolean enabled, String source) {
    }

    /** A pre-filled silence form (from an alert's "silence" link), or the values of a refused one. */
    @TemplateData
    public record SilenceForm(List<Map.Entry<String, String>> matchers, String duration, String comment, String createdBy,
            String error) {

        /** An empty form with room for three matchers. */
        public static SilenceForm blank() {
            return new SilenceForm(List.of(Map.entry("alertname", ""), Map.entry("", ""), Map.entry("", "")), "1h", "", "",
                    null);
        }
    }

    /**
     * The alerts page.
     *
     * @param silences one page of the silences: at most {@link io.poolwatch.config.Limits#PAGE_SILENCES}
     * @param silencesTotal how many silences there are
     * @param silencesFrom the position of the first shown (0 for the newest)
     * @param silencesNext the link to the next (older) ones, or null
     * @param silencesPrevious the link to the previous (newer) ones, or null
     */
    @TemplateData
    public record AlertsPage(List<AlertRow> firing, List<AlertRow> pending, List<AlertRow> silenced, List<AlertRow> resolved,
            Instant evaluatedAt, List<RuleRow> rules, List<SilenceRow> silences, boolean receiversAvailable, String outbox,
            List<ReceiverRow> receivers, int unqueued, SilenceForm form, int silencesTotal, int silencesFrom,
            String silencesNext,
            String silencesPrevious) {

        /** A page showing every silence given (one page of them). */
        public AlertsPage(List<AlertRow> firing, List<AlertRow> pending, List<AlertRow> silenced, List<AlertRow> resolved,
                Instant evaluatedAt, List<RuleRow> rules, List<SilenceRow> silences, boolean receiversAvailable, String outbox,
                List<ReceiverRow> receivers, int unqueued, SilenceForm form) {
            this(firing, pending, silenced, resolved, evaluatedAt, rules, silences, receiversAvailable, outbox, receivers,
                    unqueued, form,
                    silences.size(), 0, null, null);
        }

        /** The query that keeps the silences' position (for the fragment that refreshes them). */
        public String silencesQuery() {
            return silencesFrom == 0 ? "" : "&silences-from=" + silencesFrom;
        }
    }

    /** The checks page. */
    @TemplateData
    public record ChecksPage(List<CheckRow> checks) {
    }
}
