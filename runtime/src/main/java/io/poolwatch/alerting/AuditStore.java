package io.poolwatch.alerting;

import java.time.Instant;
import java.util.List;

/**
 * Where the audit log keeps its events beyond memory: the outbox's database, when there is one. Each event is stored with
 * its {@link AuditLog.Retention} class, and each class is bounded on its own.
 */
public interface AuditStore {

    /** Appends events, in order, in one transaction, each with its retention class. */
    void append(List<AuditLog.Event> events, String instance);

    /** The newest events of every class, newest first, at most {@code limit}. */
    List<AuditLog.Event> recentAudit(int limit);

    /** The newest events of one class, newest first, at most {@code limit}; each event's seq is its row's id. */
    List<AuditLog.Event> recentAudit(AuditLog.Retention retention, int limit);

    /** Deletes events older than {@code before}; how many. */
    int purgeAudit(Instant before);

    /** Deletes all but the newest {@code keep} events of one class; how many. */
    int trimAudit(AuditLog.Retention retention, int keep);
}
