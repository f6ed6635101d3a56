package io.poolwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.poolwatch.observed.BlockedSession;

/** The tree drawn as nested lists: the lines, written as the template writes them, give the tree back. */
class BlockingViewsTest {

    private static BlockedSession s(long pid, BlockedSession... below) {
        return new BlockedSession(pid, "a", "u", "active", Optional.of(Duration.ofMillis(1500)), Optional.empty(), "q",
                List.of(below));
    }

    /** What templates/BlockingPages/index.html writes for the lines, with the pid for the item's content. */
    private static String markup(List<BlockingViews.TreeLine> lines) {
        StringBuilder b = new StringBuilder("<ul>");
        for (BlockingViews.TreeLine l : lines) {
            b.append("<li>").append(l.pid());
            if (l.opensList()) {
                b.append("<ul>");
            } else {
                b.append("</li>");
                l.closes().forEach(c -> b.append("</ul></li>"));
            }
        }
        return b.append("</ul>").toString();
    }

    @Test
    void nestedListsFollowTheTree() {
        List<BlockedSession> roots = List.of(s(1, s(2, s(3), s(4, s(5))), s(6)), s(7), s(8, s(9)));
        List<BlockingViews.TreeLine> lines = new ArrayList<>();
        BlockingViews.flatten(roots, lines);
        assertEquals("<ul><li>1<ul><li>2<ul><li>3</li><li>4<ul><li>5</li></ul></li></ul></li><li>6</li></ul></li><li>7</li>"
                + "<li>8<ul><li>9</li></ul></li></ul>", markup(lines));
        assertEquals(List.of(0, 1, 2, 2, 3, 1, 0, 0, 1), lines.stream().map(BlockingViews.TreeLine::depth).toList());
        assertEquals("1.5s", lines.get(0).waited());
    }
}
