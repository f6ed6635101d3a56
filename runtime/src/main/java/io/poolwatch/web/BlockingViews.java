package io.poolwatch.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import io.poolwatch.observed.BlockedSession;
import io.poolwatch.observed.BlockingSampler;
import io.poolwatch.observed.BlockingSnapshot;
import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.pool.PoolRegistry;

/**
 * The view models of the blocking page and of the overview's blocking cards ({@code tags/blockingCard.html}), built from
 * the latest samples only. Times are given in words here, so the templates only place them.
 */
@Singleton
public class BlockingViews {

    private final PoolRegistry registry;
    private final BlockingSampler sampler;

    BlockingViews(PoolRegistry registry, BlockingSampler sampler) {
        this.registry = registry;
        this.sampler = sampler;
    }

    /**
     * One database on the overview's blocking card.
     *
     * @param available whether its lock waits could be read at the last sample
     * @param status what the card says in one word: {@code ok} (no one blocked), {@code warning} (sessions blocked),
     *        {@code unknown} (not read, or not readable)
     * @param reason why not readable, or null
     * @param longestWait the longest wait in words, or null when no one waits
     * @param deadlocks the server's deadlock count, or null where it does not count them
     */
    public record BlockingCard(String database, String kind, boolean available, String status, String reason,
            int blockedSessions,
            String longestWait, Long deadlocks, Instant takenAt) {
    }

    /**
     * One line of a blocking tree drawn as nested lists: after a session with {@code opensList} the next line is its
     * first blocked session; after one without, its item closes and then {@code closes} enclosing lists do.
     *
     * @param depth 0 for a root
     * @param waited how long it has waited, in words, or null for a root
     * @param held how long it has held what others wait on, in words, or null
     * @param alsoBlockedBy the other pids it waits on, or an empty string
     * @param closes one element per enclosing list closed after this line
     */
    public record TreeLine(int depth, long pid, String application, String user, String state, String waited, String held,
            String query,
            String alsoBlockedBy, boolean opensList, List<Integer> closes) {
    }

    /** One database on the blocking page. */
    public record DatabaseTree(BlockingCard card, List<TreeLine> lines, boolean truncated, int listed) {
    }

    /** The overview's cards: one per watched database, in the order the databases are configured. */
    public List<BlockingCard> cards() {
        List<BlockingCard> cards = new ArrayList<>();
        for (MonitorTarget t : registry.monitorTargets()) {
            cards.add(card(t, sampler.latest(t.database())));
        }
        return cards;
    }

    /** Whether blocking is read at all (else the cards and the page say so). */
    public boolean enabled() {
        return sampler.enabled();
    }

    /** The blocking page: every watched database with its tree. */
    public List<DatabaseTree> trees() {
        List<DatabaseTree> out = new ArrayList<>();
        for (MonitorTarget t : registry.monitorTargets()) {
            Optional<BlockingSnapshot> s = sampler.latest(t.database());
            List<TreeLine> lines = new ArrayList<>();
            s.ifPresent(snapshot -> flatten(snapshot.roots(), lines));
            out.add(new DatabaseTree(card(t, s), lines, s.map(BlockingSnapshot::truncated).orElse(false), lines.size()));
        }
        return out;
    }

    private BlockingCard card(MonitorTarget t, Optional<BlockingSnapshot> latest) {
        if (latest.isEmpty()) {
            return new BlockingCard(t.database(), t.kind().label(), false, "unknown", sampler.enabled() ? "not read yet"
                    : "not read: poolwatch.blocking.enabled=false or the server-side views are off", 0, null, null, null);
        }
        BlockingSnapshot s = latest.get();
        if (!s.available()) {
            return new BlockingCard(t.database(), t.kind().label(), false, "unknown",
                    s.unavailableReason().orElse("not readable"), 0, null,
                    null, s.takenAt());
        }
        return new BlockingCard(t.database(), t.kind().label(), true, s.blockedSessions() > 0 ? "warning" : "ok", null,
                s.blockedSessions(),
                s.longestBlocked().map(BlockingViews::words).orElse(null),
                s.deadlocks().isPresent() ? s.deadlocks().getAsLong() : null, s.takenAt());
    }

    /** Depth-first, without recursion: a chain is as deep as the tree's bound allows. */
    static void flatten(List<BlockedSession> roots, List<TreeLine> out) {
        record Frame(BlockedSession session, int depth, boolean lastOfItsList) {
        }
        List<Frame> stack = new ArrayList<>();
        for (int i = roots.size() - 1; i >= 0; i--) {
            stack.add(new Frame(roots.get(i), 0, i == roots.size() - 1));
        }
        // How many lists close after a leaf: its own level's (if it is the last there) and each enclosing one whose last item it ends.
        List<Boolean> lastAtDepth = new ArrayList<>();
        while (!stack.isEmpty()) {
            Frame f = stack.remove(stack.size() - 1);
            BlockedSession s = f.session();
            while (lastAtDepth.size() <= f.depth()) {
                lastAtDepth.add(false);
            }
            lastAtDepth.set(f.depth(), f.lastOfItsList());
            boolean opens = !s.blocked().isEmpty();
            int closes = 0;
            if (!opens) {
                for (int d = f.depth(); d >= 1 && lastAtDepth.get(d); d--) {
                    closes++;
                }
            }
            out.add(new TreeLine(f.depth(), s.pid(), s.application(), s.user(), s.state(),
                    s.waiting().map(BlockingViews::words).orElse(null),
                    s.holding().map(BlockingViews::words).orElse(null), s.query(),
                    s.alsoBlockedBy().stream().map(String::valueOf).collect(Collectors.joining(", ")), opens,
                    Collections.nCopies(closes, 0)));
            List<BlockedSession> below = s.blocked();
            for (int i = below.size() - 1; i >= 0; i--) {
                stack.add(new Frame(below.get(i), f.depth() + 1, i == below.size() - 1));
            }
        }
    }

    /** A wait in words: tenths of a second below a minute (a lock wait of 0.4 s is worth seeing), else minutes and seconds. */
    static String words(Duration d) {
        if (d.compareTo(Duration.ofMinutes(1)) < 0) {
            return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        }
        return DashboardFormat.span(d);
    }
}
