package io.poolwatch.observed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the blocking forest from the sessions a server names: each blocked session is placed once, under the first
 * session named as blocking it; the roots are the sessions that wait on no one. A cycle (a deadlock the server has not
 * broken yet) has no such session: its lowest pid is made the root, so the result is the same on every read and
 * nothing loops. A blocker the server names but did not list (it ended in between, or a prepared transaction, pid 0)
 * gets a node of its own with what is known: its pid.
 * <p>
 * At most {@code maxSessions} sessions are listed: the trees blocking the most sessions first, each in depth-first
 * order, and a session is listed only with the one it is listed under, at most {@link #MAX_DEPTH} levels down. Work is
 * linear in the rows given (and in their blockers).
 */
final class BlockingTree {

    /**
     * Deepest level listed: sessions further down are counted, not listed, so the nesting of the JSON (Jackson refuses to
     * write past 1,000 levels) and of the page stays bounded whatever the server reports.
     */
    static final int MAX_DEPTH = 64;

    /**
     * One session as read from the server, before it is placed.
     *
     * @param blockers the sessions it waits on, in the server's order; empty for a session that does not wait
     */
    record Row(long pid, String application, String user, String state, Optional<Duration> waiting, Optional<Duration> holding,
            String query, List<Long> blockers) {

        Row {
            blockers = List.copyOf(blockers);
        }
    }

    /** The forest and whether sessions were left out of it. */
    record Forest(List<BlockedSession> roots, boolean truncated, int listed) {
    }

    private BlockingTree() {
    }

    static Forest build(List<Row> rows, int maxSessions) {
        Map<Long, Row> byPid = new LinkedHashMap<>();
        for (Row r : rows) {
            byPid.putIfAbsent(r.pid(), r);
        }
        // Blockers named but not read get a node of their own.
        for (Row r : rows) {
            for (Long b : r.blockers()) {
                if (!byPid.containsKey(b)) {
                    byPid.put(b,
                            new Row(b, "", "", b == 0 ? "prepared transaction" : "unknown", Optional.empty(), Optional.empty(),
                                    "",
                                    List.of()));
                }
            }
        }
        Map<Long, Long> parent = new HashMap<>();
        Map<Long, List<Long>> children = new HashMap<>();
        for (Row r : byPid.values()) {
            for (Long b : r.blockers()) {
                if (b != r.pid()) {
                    parent.put(r.pid(), b);
                    children.computeIfAbsent(b, k -> new ArrayList<>()).add(r.pid());
                    break;
                }
            }
        }
        // Roots: no parent. Then every cycle is cut at its lowest pid until every session is reached.
        List<Long> roots = new ArrayList<>();
        for (Long pid : byPid.keySet()) {
            if (!parent.containsKey(pid)) {
                roots.add(pid);
            }
        }
        Set<Long> reached = new HashSet<>();
        for (Long root : roots) {
            reach(root, children, reached);
        }
        TreeSet<Long> unreached = new TreeSet<>(byPid.keySet());
        unreached.removeAll(reached);
        while (!unreached.isEmpty()) {
            Long cut = unreached.first();
            Long formerParent = parent.remove(cut);
            children.get(formerParent).remove(cut);
            roots.add(cut);
            Set<Long> now = new HashSet<>();
            reach(cut, children, now);
            unreached.removeAll(now);
            reached.addAll(now);
        }
        Map<Long, Integer> sizes = new HashMap<>();
        for (Long root : roots) {
            size(root, children, sizes);
        }
        Comparator<Long> bySize = Comparator.<Long> comparingInt(sizes::get).reversed()
                .thenComparing(Comparator.naturalOrder());
        Comparator<Long> byWait = Comparator.<Long, Duration> comparing(p -> byPid.get(p).waiting().orElse(Duration.ZERO))
                .reversed()
                .thenComparing(Comparator.naturalOrder());
        roots.sort(bySize);
        int[] budget = { Math.max(0, maxSessions) };
        List<BlockedSession> out = new ArrayList<>();
        for (Long root : roots) {
            if (budget[0] == 0) {
                break;
            }
            out.add(node(root, 0, byPid, children, parent, byWait, budget));
        }
        int listed = Math.max(0, maxSessions) - budget[0];
        return new Forest(out, listed < byPid.size(), listed);
    }

    /** Marks every session below {@code root}, without recursion (a chain can be as long as the sessions). */
    private static void reach(Long root, Map<Long, List<Long>> children, Set<Long> reached) {
        List<Long> stack = new ArrayList<>();
        stack.add(root);
        while (!stack.isEmpty()) {
            Long p = stack.remove(stack.size() - 1);
            if (reached.add(p)) {
                stack.addAll(children.getOrDefault(p, List.of()));
            }
        }
    }

    private static int size(Long root, Map<Long, List<Long>> children, Map<Long, Integer> sizes) {
        // Post-order without recursion.
        List<Long> order = new ArrayList<>();
        List<Long> stack = new ArrayList<>();
        stack.add(root);
        while (!stack.isEmpty()) {
            Long p = stack.remove(stack.size() - 1);
            order.add(p);
            stack.addAll(children.getOrDefault(p, List.of()));
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            Long p = order.get(i);
            int s = 1;
            for (Long c : children.getOrDefault(p, List.of())) {
                s += sizes.get(c);
            }
            sizes.put(p, s);
        }
        return sizes.get(root);
    }

    private static BlockedSession node(Long pid, int depth, Map<Long, Row> byPid, Map<Long, List<Long>> children,
            Map<Long, Long> parent,
            Comparator<Long> byWait, int[] budget) {
        budget[0]--;
        Row r = byPid.get(pid);
        List<BlockedSession> below = new ArrayList<>();
        List<Long> kids = new ArrayList<>(children.getOrDefault(pid, List.of()));
        kids.sort(byWait);
        for (Long k : kids) {
            if (budget[0] == 0 || depth + 1 > MAX_DEPTH) {
                break;
            }
            below.add(node(k, depth + 1, byPid, children, parent, byWait, budget));
        }
        Long listedUnder = parent.get(pid);
        List<Long> others = new ArrayList<>();
        for (Long b : r.blockers()) {
            if (!b.equals(listedUnder) && !b.equals(pid) && !others.contains(b) && others.size() < 16) {
                others.add(b);
            }
        }
        // A session that blocks others has held what they wait on for its transaction's age; one that does not, holds nothing shown.
        Optional<Duration> holding = kids.isEmpty() ? Optional.empty() : r.holding();
        return new BlockedSession(pid, r.application(), r.user(), r.state(), r.waiting(), holding, r.query(), below, others);
    }
}
