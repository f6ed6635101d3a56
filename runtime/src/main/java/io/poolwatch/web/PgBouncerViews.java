package io.poolwatch.web;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.poolwatch.observed.PgBouncerDefinition;
import io.poolwatch.observed.PgBouncerPool;
import io.poolwatch.observed.PgBouncerSampler;
import io.poolwatch.observed.PgBouncerSnapshot;
import io.poolwatch.web.DashboardModel.Gauge;
import io.quarkus.qute.TemplateData;

/**
 * What the dashboard shows of the PgBouncers: a card each for the overview ({@link #cards()}, drawn by the
 * {@code pgbouncerCards} tag) and a page each ({@link #page(String)}). From the latest samples only.
 */
@Singleton
public class PgBouncerViews {

    /**
     * Client connections / max_client_conn above which the card warns (critical at {@link DashboardModel#CRITICAL_SERVER_USE}).
     */
    public static final double CLIENT_USE_WARNING = 0.8;

    private final PgBouncerSampler sampler;

    PgBouncerViews(PgBouncerSampler sampler) {
        this.sampler = sampler;
    }

    /**
     * One PgBouncer on the overview.
     *
     * @param health up, degraded (clients waiting), down, or pending (not read yet): the card's colour and words
     * @param state up, down or pending
     * @param downReason why it cannot be read
     * @param clientUse client connections / max_client_conn, as a bar
     * @param maxWait the longest any client has waited, in words
     */
    @TemplateData
    public record PgBouncerCard(String name, String address, String health, String state, String downReason, Instant takenAt,
            String version, int clientsWaiting, double maxWaitSeconds, int clientConnections, Integer maxClientConnections,
            Integer defaultPoolSize, Gauge clientUse, int pools) {

        public boolean up() {
            return "up".equals(state);
        }
    }

    /** One pool of a PgBouncer, as its page lists it. */
    @TemplateData
    public record PgBouncerPoolRow(String database, String user, String mode, int clientsActive, int clientsWaiting,
            int serversActive,
            int serversIdle, int serversUsed, double maxWaitSeconds, double averageWaitSeconds, double transactionsPerSecond,
            double queriesPerSecond) {

        static PgBouncerPoolRow of(PgBouncerPool p) {
            return new PgBouncerPoolRow(p.database(), p.user(), p.mode(), p.clientsActive(), p.clientsWaiting(),
                    p.serversActive(),
                    p.serversIdle(), p.serversUsed(), p.maxWaitSeconds(), p.averageWaitSeconds(), p.transactionsPerSecond(),
                    p.queriesPerSecond());
        }
    }

    /** One PgBouncer's page. */
    @TemplateData
    public record PgBouncerPage(PgBouncerCard card, List<PgBouncerPoolRow> pools, int poolsLeftOut) {
    }

    /** The overview's cards, one per configured PgBouncer in name order; empty when none is configured. */
    public List<PgBouncerCard> cards() {
        return sampler.definitions().stream().map(this::card).toList();
    }

    /** One PgBouncer's page, if it is configured. */
    public Optional<PgBouncerPage> page(String name) {
        return sampler.definitions().stream().filter(d -> d.name().equals(name)).findFirst().map(d -> {
            PgBouncerSnapshot s = sampler.latest(name).filter(PgBouncerSnapshot::up).orElse(null);
            List<PgBouncerPoolRow> rows = s == null ? List.of() : s.pools().stream().map(PgBouncerPoolRow::of).toList();
            return new PgBouncerPage(card(d), rows, s == null ? 0 : s.poolsLeftOut());
        });
    }

    private PgBouncerCard card(PgBouncerDefinition d) {
        PgBouncerSnapshot s = sampler.latest(d.name()).orElse(null);
        String address = d.address().label();
        if (s == null || !s.up()) {
            String state = s == null ? "pending" : "down";
            return new PgBouncerCard(d.name(), address, state, state,
                    s == null ? "not read yet" : s.downReason().orElse("cannot be read"),
                    s == null ? null : s.takenAt(), null, 0, Double.NaN, 0, null, null,
                    new Gauge(Double.NaN, CLIENT_USE_WARNING, DashboardModel.CRITICAL_SERVER_USE,
                            s == null ? "not read yet" : "not read"),
                    0);
        }
        Integer max = s.maxClientConnections().isPresent() ? s.maxClientConnections().getAsInt() : null;
        String detail = max == null ? s.clientConnections() + " client connections"
                : s.clientConnections() + " of max_client_conn " + max;
        return new PgBouncerCard(d.name(), address, s.clientsWaiting() > 0 ? "degraded" : "up", "up", null, s.takenAt(),
                s.version().orElse(null),
                s.clientsWaiting(), s.maxWaitSeconds(), s.clientConnections(), max,
                s.defaultPoolSize().isPresent() ? s.defaultPoolSize().getAsInt() : null,
                new Gauge(s.clientConnectionUse().orElse(Double.NaN), CLIENT_USE_WARNING, DashboardModel.CRITICAL_SERVER_USE,
                        detail),
                s.pools().size() + s.poolsLeftOut());
    }
}
