package io.poolwatch.checks;

import java.util.List;
import java.util.Map;

/**
 * Where chunked checks keep their watermarks beyond memory: the outbox's database, when there is one. Saved per check
 * with a fingerprint of what the watermark is about (kind, table, key ...), so a changed definition starts over.
 */
public interface CursorStore {

    /**
     * One check's saved place.
     *
     * @param definition the fingerprint of the definition it belongs to
     * @param watermark the highest key checked
     * @param pending earlier key ranges (after, upTo] that still had violations
     */
    record Saved(String definition, long watermark, List<long[]> pending) {
    }

    /** Every saved cursor by check name. */
    Map<String, Saved> loadCursors();

    /** Saves (replaces) one check's cursor. */
    void saveCursor(String check, Saved cursor);
}
