package io.poolwatch.testing;

import java.util.ArrayList;
import java.util.List;

/** What a test opened, closed in the reverse order when it ends: {@code @AfterEach void close() { closer.close(); }}. */
public final class Closer implements AutoCloseable {

    private final List<AutoCloseable> opened = new ArrayList<>();

    /** Closes {@code c} when this closes; returns it. */
    public <T extends AutoCloseable> T later(T c) {
        opened.add(c);
        return c;
    }

    /** Closes everything, newest first; every one is closed even when one fails, and the first failure is thrown. */
    @Override
    public void close() throws Exception {
        Exception first = null;
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        opened.clear();
        if (first != null) {
            throw first;
        }
    }
}
