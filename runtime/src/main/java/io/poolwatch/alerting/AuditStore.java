package io.poolwatch.alerting;

import java.time.Instant;
import java.util.List;

/** Where the audit log keeps its events beyond memory: the outbox's database, when there is one. */
public interface AuditStore {

    /** Appends events, in order, in one transaction. */
    void append(List<AuditLog.Event> events, String instance);

    /** The newest events, newest first, at most {@code limit}. */
    List<AuditLog.Event> recentAudit(int limit);

    /** Deletes events older than {@code before}; how many. */
    int purgeAudit(Instant before);
}
