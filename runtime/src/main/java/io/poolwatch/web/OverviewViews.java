package io.poolwatch.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.alerting.Alert;
import io.poolwatch.alerting.AlertRule;
import io.poolwatch.alerting.AlertState;
import io.poolwatch.alerting.Alerting;
import io.poolwatch.config.Durations;
import io.poolwatch.config.PoolRole;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.health.PoolHealth;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.ReadRouter;
import io.poolwatch.pool.ReplicaCondition;
import io.poolwatch.pool.ReplicaUsability;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.sampling.PoolPoint;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.sampling.PoolSnapshot;
import io.poolwatch.sampling.ReplicaLagSampler;
import io.poolwatch.sampling.ServerSnapshot;
import io.poolwatch.web.DashboardModel.AlertBanner;
import io.poolwatch.web.DashboardModel.AlertRow;
import io.poolwatch.web.DashboardModel.Gauge;
import io.poolwatch.web.DashboardModel.Overview;
import io.poolwatch.web.DashboardModel.PoolCard;
import io.poolwatch.web.DashboardModel.PoolSessionsRow;
import io.poolwatch.web.DashboardModel.ReplicaRow;
import io.poolwatch.web.DashboardModel.ReplicaView;
import io.poolwatch.web.DashboardModel.ServerRow;
import io.poolwatch.web.DashboardModel.WorkloadGroup;

/**
 * The overview's view model: the alert banner, one page of pool cards (pools in trouble first), the servers' sessions
 * and the sizing advice, the checks and the fault phases, from the samplers, health, alerting and the routing, all in
 * memory. A pool's page draws its card the same way.
 */
@ApplicationScoped
public class OverviewViews {

    /** The overview's sparklines cover this much history. */
    static final Duration SPARKLINE_WINDOW = Duration.ofHours(1);

    private final PoolRegistry registry;
    private final ReadRouter router;
    private final ReplicaLagSampler replicaLags;
    private final PoolSampler sampler;
    private final PoolHealth health;
    private final Alerting alerting;
    private final ServerViews servers;
    private final CheckPageViews checks;
    private final FaultViews faults;
    private final Duration interval;
    private final Clock clock = Clock.systemUTC();

    OverviewViews(PoolRegistry registry, PoolSampler sampler, PoolHealth health, Alerting alerting, ServerViews servers,
            CheckPageViews checks, FaultViews faults, PoolwatchConfig config, ReadRouter router,
            ReplicaLagSampler replicaLags) {
        this.registry = registry;
        this.sampler = sampler;
        this.health = health;
        this.alerting = alerting;
        this.servers = servers;
        this.checks = checks;
        this.faults = faults;
        this.router = router;
        this.replicaLags = replicaLags;
        this.interval = config.sampling().interval();
    }

    /** The overview with one page of its pools ({@link #poolList}). */
    public Overview overview(PoolFilter filter, String filterError) {
        ServerViews.ServerView server = servers.view();
        return new Overview(banner(), poolList(filter, filterError), checks.checkRows(false), serverRows(server),
                server.advice(),
                alerting.rules().settings(AlertRule.POOL_UTILIZATION, Optional.empty()).threshold(),
                Durations.format(SPARKLINE_WINDOW),
                faults.faults(faults.faultForm()));
    }

    /** Each database server's sessions with poolwatch's pools joined, and pool-sizing advice, from the latest samples. */
    public ServerViews.ServerView serverView() {
        return servers.view();
    }

    public AlertBanner banner() {
        List<AlertRow> active = new ArrayList<>();
        int firing = 0;
        int pending = 0;
        int silenced = 0;
        for (Alert a : AlertsPageViews.sorted(alerting.alerts())) {
            if (a.state() == AlertState.RESOLVED) {
                continue;
            }
            active.add(AlertsPageViews.row(a));
            if (a.silenced()) {
                silenced++;
            } else if (a.state() == AlertState.FIRING) {
                firing++;
            } else {
                pending++;
            }
        }
        return new AlertBanner(active, firing, pending, silenced, alerting.lastEvaluation().orElse(null));
    }

    /**
     * One page of the overview's pools ({@link DashboardModel.PoolList}): those {@code filter} matches, pools in trouble
     * first. On the embedded database every pool is a candidate; pointed at a real one, a pool nothing has borrowed a
     * connection from since start and that needs no look is named in one line instead of drawn as a card. Only this
     * page's cards are built (their sparklines are the cost), so a page costs the same with 25 pools or 400.
     *
     * @param error why the filter asked for was refused (then {@code filter} is {@link PoolFilter#NONE}), or null
     */
    public DashboardModel.PoolList poolList(PoolFilter filter, String error) {
        Instant now = clock.instant();
        Map<String, PoolHealth.PoolState> healthOf = new HashMap<>();
        health.pools().forEach(h -> healthOf.put(h.pool(), h));
        Map<String, Integer> alertRank = new HashMap<>();
        for (Alert a : alerting.alerts()) {
            String pool = a.labels().get("pool");
            if (pool == null || a.silenced()) {
                continue;
            }
            int r = a.state() == AlertState.FIRING ? 1 : a.state() == AlertState.PENDING ? 2 : TROUBLE_NONE;
            alertRank.merge(pool, r, Math::min);
        }
        boolean embedded = registry.embedded();
        Map<String, List<WorkloadPool>> byWorkload = new LinkedHashMap<>();
        Map<String, Integer> workloadRank = new HashMap<>();
        Set<String> pooledReplicas = new HashSet<>();
        List<String> idle = new ArrayList<>();
        int idleCount = 0;
        int trouble = 0;
        int matching = 0;
        for (WorkloadPool p : registry.pools()) {
            PoolSettings s = p.settings();
            if (s.role() == PoolRole.REPLICA) {
                pooledReplicas.add(s.workload());
            }
            int rank = troubleRank(p, healthOf.get(p.name()), alertRank.getOrDefault(p.name(), TROUBLE_NONE));
            if (rank < TROUBLE_NONE) {
                trouble++;
            }
            if (!filter.matches(s.name(), s.workload(), s.url().label()) || (filter.troubleOnly() && rank == TROUBLE_NONE)) {
                continue;
            }
            if (!embedded && rank == TROUBLE_NONE && p.recorder().counters().attempts() == 0) {
                if (idle.size() < DashboardModel.PoolList.IDLE_NAMED) {
                    idle.add(p.name());
                }
                idleCount++;
                continue;
            }
            matching++;
            byWorkload.computeIfAbsent(s.workload(), w -> new ArrayList<>()).add(p);
            workloadRank.merge(s.workload(), rank, Math::min);
        }
        // Workloads with a pool in trouble first (worst first), otherwise as configured; in a workload, the primary first.
        List<String> workloads = new ArrayList<>(byWorkload.keySet());
        workloads.sort(Comparator.comparingInt(workloadRank::get));
        List<WorkloadPool> ordered = new ArrayList<>(matching);
        for (String w : workloads) {
            List<WorkloadPool> pools = byWorkload.get(w);
            pools.sort(Comparator.comparing((WorkloadPool p) -> p.settings().role() != PoolRole.PRIMARY)
                    .thenComparing(WorkloadPool::name));
            ordered.addAll(pools);
        }
        int pages = Math.max(1, (matching + PoolFilter.PAGE_SIZE - 1) / PoolFilter.PAGE_SIZE);
        int page = Math.min(filter.page(), pages);
        int from = (page - 1) * PoolFilter.PAGE_SIZE;
        int to = Math.min(matching, from + PoolFilter.PAGE_SIZE);
        List<WorkloadGroup> groups = new ArrayList<>();
        String current = null;
        List<PoolCard> cards = null;
        List<ReplicaRow> replicas = null;
        for (WorkloadPool p : ordered.subList(from, to)) {
            String w = p.settings().workload();
            if (!w.equals(current)) {
                current = w;
                cards = new ArrayList<>();
                replicas = new ArrayList<>();
                groups.add(new WorkloadGroup(w, cards, replicas));
            }
            cards.add(card(p, healthOf.get(p.name()), sampler.points(p.name()), sampler.latest(p.name()).orElse(null), now));
            // Replicas with pools of their own have cards; the configured list is only for replicas without one.
            if (!pooledReplicas.contains(w)) {
                replicas.addAll(replicaRows(p.settings()));
            }
        }
        return new DashboardModel.PoolList(groups, idle, idleCount, filter.onPage(page), registry.pools().size(), matching,
                trouble,
                matching == 0 ? 0 : from + 1, to, page, pages, page > 1 ? filter.onPage(page - 1).pageLink() : null,
                page < pages ? filter.onPage(page + 1).pageLink() : null, error);
    }

    /** The trouble rank of a pool that needs no look. */
    static final int TROUBLE_NONE = 4;

    /**
     * How urgently a pool needs a look, 0 first: 0 down; 1 a firing alert on it; 2 degraded, health not known yet, or a
     * pending alert; 3 callers waiting, utilization at its warning threshold or leaked connections held; {@link #TROUBLE_NONE}
     * none of these. Read from what is in memory (no sparkline, no history), for every pool on every render.
     */
    int troubleRank(WorkloadPool p, PoolHealth.PoolState state, int alertRank) {
        if (state != null && state.state() == PoolHealth.State.DOWN) {
            return 0;
        }
        if (alertRank <= 1) {
            return 1;
        }
        if (state == null || state.state() != PoolHealth.State.UP || alertRank == 2) {
            return 2;
        }
        int max = p.maxSize();
        long leased = p.recorder().leased();
        if (p.recorder().awaiting() > 0 || p.recorder().currentLeakCount() > 0 || (max > 0
                && (double) leased / max >= alerting.rules()
                        .settings(AlertRule.POOL_UTILIZATION, Optional.of(p.settings().name())).threshold())) {
            return 3;
        }
        return TROUBLE_NONE;
    }

    static List<ReplicaRow> replicaRows(PoolSettings s) {
        return s.replicas().stream().map(r -> new ReplicaRow(r.index(), r.url().masked(), r.weight())).toList();
    }

    PoolCard card(WorkloadPool p, PoolHealth.PoolState state, List<PoolPoint> history, PoolSnapshot latest, Instant now) {
        PoolSettings s = p.settings();
        Optional<String> workload = Optional.of(s.name());
        double utilWarning = alerting.rules().settings(AlertRule.POOL_UTILIZATION, workload).threshold();
        double checkoutMs = alerting.rules().settings(AlertRule.CHECKOUT_TIME, workload).threshold() * 1000;
        double errorThreshold = alerting.rules().settings(AlertRule.ERROR_RATE, workload).threshold();
        double leakThreshold = alerting.rules().settings(AlertRule.LEAKED_CONNECTIONS, workload).threshold();
        long active = p.recorder().leased();
        long open = p.recorder().open();
        long awaiting = p.recorder().awaiting();
        int max = p.maxSize();
        double utilization = max == 0 ? Double.NaN : (double) active / max;
        Instant from = now.minus(SPARKLINE_WINDOW);
        // Less history than the window (a fresh start): the lines span what there is instead of a sliver at the right.
        if (!history.isEmpty() && history.get(0).takenAt().isAfter(from)) {
            from = history.get(0).takenAt();
        }
        Duration gap = interval.multipliedBy(3);
        Sparkline utilLine = Sparkline.of(history, PoolPoint::takenAt, PoolPoint::utilization, from, now, 120, 32, 1.0,
                utilWarning, gap);
        Sparkline checkoutLine = Sparkline.of(history, PoolPoint::takenAt, OverviewViews::p95OrGap, from, now, 120, 32, 1.0,
                checkoutMs, gap);
        return new PoolCard(s.name(), s.workload(), s.role().label(), s.critical(),
                s.url().label(), state == null ? "unknown" : state.state().name().toLowerCase(Locale.ROOT),
                state == null ? "no health result yet" : state.detail(), latest != null,
                latest == null ? null : latest.takenAt(),
                new Gauge(utilization, utilWarning, DashboardModel.CRITICAL_UTILIZATION, active + " of " + max), active,
                Math.max(0, open - active), awaiting, s.minSize(), max, latest == null ? Double.NaN : p95OrGap(latest),
                checkoutMs,
                latest == null ? Double.NaN : latest.errorRate(), errorThreshold, p.recorder().currentLeakCount(),
                leakThreshold,
                slowLastMinute(history), utilLine, checkoutLine, TlsView.of(p), replicaView(s));
    }

    /** A replica pool's routing and lag; null for a pool that is not a read replica's. */
    private ReplicaView replicaView(PoolSettings s) {
        if (s.role() != PoolRole.REPLICA) {
            return null;
        }
        for (ReadRouter.ReplicaStatus st : router.status(s.workload())) {
            if (st.replica().pool().name().equals(s.name())) {
                ReplicaCondition c = st.condition();
                String replication = replicaLags.ofPool(s.name()).map(l -> l.state().label()).orElse("unknown");
                double threshold = alerting.rules().settings(AlertRule.REPLICA_LAG, Optional.of(s.workload())).threshold();
                return new ReplicaView(st.usability().label(), st.description(),
                        !st.usability().skip() && st.usability() != ReplicaUsability.DRAINED,
                        st.replica().weight(), replication, c.lagSeconds().orElse(Double.NaN), c.lagBytes().orElse(-1L),
                        threshold);
            }
        }
        return null;
    }

    /** The p95 checkout time of a sample, NaN when nothing was checked out in its interval (no wait is not a 0 ms wait). */
    static double p95OrGap(PoolSnapshot s) {
        return s.checkout() == null || s.checkout().count() == 0 ? Double.NaN : s.checkout().p95();
    }

    static double p95OrGap(PoolPoint s) {
        return s.checkoutCount() == 0 ? Double.NaN : s.checkoutP95();
    }

    /** Slow statements over the last minute of samples, as the slow-queries rule counts them; -1 before the first sample. */
    static long slowLastMinute(List<PoolPoint> history) {
        if (history.isEmpty()) {
            return -1;
        }
        PoolPoint latest = history.get(history.size() - 1);
        Instant from = latest.takenAt().minus(Duration.ofMinutes(1));
        long base = latest.slowStatements();
        for (PoolPoint s : history) {
            if (!s.takenAt().isBefore(from)) {
                base = s.slowStatements();
                break;
            }
        }
        return Math.max(0, latest.slowStatements() - base);
    }

    public List<ServerRow> serverRows(ServerViews.ServerView view) {
        double warning = alerting.rules().settings(AlertRule.SERVER_CONNECTIONS, Optional.empty()).threshold();
        List<ServerRow> rows = new ArrayList<>();
        for (ServerViews.DatabaseView d : view.databases()) {
            ServerSnapshot s = d.snapshot();
            List<PoolSessionsRow> pools = d
                    .pools().stream().map(p -> new PoolSessionsRow(p.pool(), p.applicationName(), p.poolActive(),
                            p.poolIdle(), p.serverSessions().isEmpty() ? ""
                                    : p.serverSessions().entrySet().stream()
                                            .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))))
                    .toList();
            if (s == null) {
                rows.add(new ServerRow(d.database(), d.kind(), false, "not read yet", null, 0, null, 0,
                        new Gauge(Double.NaN, warning, DashboardModel.CRITICAL_SERVER_USE, "not read yet"), Map.of(), null,
                        pools));
                continue;
            }
            Integer max = s.maxConnections().isPresent() ? s.maxConnections().getAsInt() : null;
            double use = s.connectionUse().orElse(Double.NaN);
            String detail = max == null ? s.totalSessions() + " sessions"
                    : s.totalSessions() + " of " + (max - s.reservedConnections()) + " usable (max_connections " + max + ", "
                            + s.reservedConnections() + " reserved)";
            rows.add(new ServerRow(d.database(), d.kind(), s.available(), s.unavailableReason().orElse(null), s.takenAt(),
                    s.totalSessions(),
                    max, s.reservedConnections(), new Gauge(use, warning, DashboardModel.CRITICAL_SERVER_USE, detail),
                    new TreeMap<>(s.sessionsByState()), s.oldestIdleInTransaction().map(Durations::format).orElse(null), pools,
                    s.saturation().orElse(null)));
        }
        return rows;
    }
}
