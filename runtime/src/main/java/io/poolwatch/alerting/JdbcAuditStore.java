package io.poolwatch.alerting;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.store.Database;

/** The audit log's events in table {@code audit} of poolwatch's tables, each with its retention class. */
public final class JdbcAuditStore implements AuditStore {

    /** An event's fields are stored as JSON text. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database database;
    private final String table;

    public JdbcAuditStore(Database database) {
        this.database = database;
        this.table = database.table("audit");
    }

    @Override
    public void append(List<AuditLog.Event> events, String instance) {
        if (events.isEmpty()) {
            return;
        }
        database.inTransaction("storing " + events.size() + " audit event(s)", c -> {
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + table
                    + " (at_ms, type, instance, fields, retention) VALUES (?, ?, ?, ?, ?)")) {
                for (AuditLog.Event e : events) {
                    // Bounded again here: an event stored is never larger than one recorded.
                    Map<String, Object> fields = new LinkedHashMap<>();
                    AuditLog.bound(e.fields()).forEach((k, v) -> fields.put(k, v instanceof Instant i ? i.toString() : v));
                    ins.setLong(1, e.time().toEpochMilli());
                    ins.setString(2, AuditLog.cut(e.type(), AuditLog.MAX_TYPE_LENGTH));
                    ins.setString(3, AuditLog.cut(instance, 200));
                    try {
                        ins.setString(4, JSON.writeValueAsString(fields));
                    } catch (JsonProcessingException x) {
                        throw new SQLException("audit event " + e.type() + " could not be written: " + x.getMessage(), x);
                    }
                    ins.setString(5, AuditLog.Retention.of(e.type(), e.fields()).label());
                    ins.addBatch();
                }
                return ins.executeBatch().length;
            }
        });
    }

    @Override
    public List<AuditLog.Event> recentAudit(int limit) {
        return readAudit("", null, limit);
    }

    @Override
    public List<AuditLog.Event> recentAudit(AuditLog.Retention retention, int limit) {
        return readAudit(" WHERE retention = ?", retention, limit);
    }

    private List<AuditLog.Event> readAudit(String where, AuditLog.Retention retention, int limit) {
        return database.inTransaction("reading the audit log", c -> {
            List<AuditLog.Event> out = new ArrayList<>();
            try (PreparedStatement ps = c
                    .prepareStatement("SELECT id, at_ms, type, fields FROM " + table + where + " ORDER BY id DESC")) {
                if (retention != null) {
                    ps.setString(1, retention.label());
                }
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && out.size() < limit) {
                        Map<String, Object> fields;
                        try {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> read = JSON.readValue(rs.getString(4), LinkedHashMap.class);
                            fields = read;
                        } catch (IOException x) {
                            fields = Map.of("unreadable", x.getMessage());
                        }
                        out.add(new AuditLog.Event(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                                fields));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public int purgeAudit(Instant before) {
        return database.inTransaction("purging the audit log", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE at_ms < ?")) {
                ps.setLong(1, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int trimAudit(AuditLog.Retention retention, int keep) {
        if (keep < 0) {
            throw new IllegalArgumentException("keep " + keep + ": accepted: 0 or more");
        }
        return database.inTransaction("trimming the audit log's " + retention.label(), c -> {
            // The newest id past the ones kept, then everything of the class up to it (ids grow with time).
            long last;
            try (PreparedStatement ps = c
                    .prepareStatement("SELECT id FROM " + table + " WHERE retention = ? ORDER BY id DESC LIMIT 1 OFFSET "
                            + keep)) {
                ps.setString(1, retention.label());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return 0;
                    }
                    last = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c
                    .prepareStatement("DELETE FROM " + table + " WHERE retention = ? AND id <= ?")) {
                ps.setString(1, retention.label());
                ps.setLong(2, last);
                return ps.executeUpdate();
            }
        });
    }
}
