package io.poolwatch.observed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** How the rows a server returns become the bounded blocking forest. */
class BlockingTreeTest {

    private static BlockingTree.Row row(long pid, long... blockers) {
        List<Long> list = new ArrayList<>();
        for (long b : blockers) {
            list.add(b);
        }
        return new BlockingTree.Row(pid, "app-" + pid, "u", blockers.length == 0 ? "idle in transaction" : "active",
                blockers.length == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(pid)),
                Optional.of(Duration.ofSeconds(100)),
                "q" + pid, list);
    }

    @Test
    void aChainIsNestedUnderTheSessionThatWaitsOnNoOne() {
        BlockingTree.Forest f = BlockingTree.build(List.of(row(1), row(2, 1), row(3, 2)), 10);
        assertEquals(1, f.roots().size());
        BlockedSession root = f.roots().get(0);
        assertEquals(1, root.pid());
        assertEquals(2, root.depth());
        assertEquals(3, root.blocked().get(0).blocked().get(0).pid());
        assertTrue(root.waiting().isEmpty());
        assertTrue(root.holding().isPresent(), "a root holds what others wait on");
        assertTrue(root.blocked().get(0).blocked().get(0).holding().isEmpty(), "a leaf blocks no one");
        assertFalse(f.truncated());
    }

    @Test
    void aSessionBlockedBySeveralIsListedOnceUnderTheFirstAndNamesTheOthers() {
        BlockingTree.Forest f = BlockingTree.build(List.of(row(10), row(11), row(12, 11, 10)), 10);
        assertEquals(2, f.roots().size());
        BlockedSession under11 = f.roots().stream().filter(r -> r.pid() == 11).findFirst().orElseThrow();
        assertEquals(List.of(12L), under11.blocked().stream().map(BlockedSession::pid).toList());
        assertEquals(List.of(10L), under11.blocked().get(0).alsoBlockedBy());
        assertEquals(3, f.roots().stream().mapToInt(BlockedSession::size).sum());
    }

    @Test
    void aCycleIsCutAtItsLowestPidTheSameWayEveryTime() {
        // 7 waits on 5, 5 waits on 6, 6 waits on 7: a deadlock the server has not broken yet; 8 waits on 6.
        List<BlockingTree.Row> rows = new ArrayList<>(List.of(row(7, 5), row(5, 6), row(6, 7), row(8, 6)));
        BlockingTree.Forest f = BlockingTree.build(rows, 10);
        assertEquals(List.of(5L), f.roots().stream().map(BlockedSession::pid).toList());
        assertEquals(4, f.roots().get(0).size());
        Collections.reverse(rows);
        assertEquals(f.roots(), BlockingTree.build(rows, 10).roots());
    }

    @Test
    void aBlockerTheServerDidNotListGetsANodeWithItsPid() {
        BlockingTree.Forest f = BlockingTree.build(List.of(row(21, 0), row(22, 99)), 10);
        assertEquals(List.of(0L, 99L), f.roots().stream().map(BlockedSession::pid).sorted().toList());
        assertEquals("prepared transaction", f.roots().stream().filter(r -> r.pid() == 0).findFirst().orElseThrow().state());
    }

    @Test
    void atMostMaxSessionsAreListedAndTheBiggestTreeComesFirst() {
        List<BlockingTree.Row> rows = new ArrayList<>();
        rows.add(row(1));
        rows.add(row(2, 1));
        rows.add(row(100));
        for (int i = 101; i < 150; i++) {
            rows.add(row(i, 100));
        }
        BlockingTree.Forest f = BlockingTree.build(rows, 20);
        assertTrue(f.truncated());
        assertEquals(20, f.listed());
        assertEquals(100, f.roots().get(0).pid());
        assertEquals(20, f.roots().stream().mapToInt(BlockedSession::size).sum());
        // Blocked sessions under a root: the longest waiting first.
        assertEquals(149, f.roots().get(0).blocked().get(0).pid());
    }

    @Test
    void aLongChainStopsAtTheDepthBound() {
        List<BlockingTree.Row> rows = new ArrayList<>();
        rows.add(row(1));
        for (int i = 2; i <= 500; i++) {
            rows.add(row(i, i - 1));
        }
        BlockingTree.Forest f = BlockingTree.build(rows, 1000);
        assertEquals(BlockingTree.MAX_DEPTH, f.roots().get(0).depth());
        assertTrue(f.truncated());
    }
}
