package io.poolwatch.alerting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.config.Limits;
import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.store.Database;
import io.poolwatch.store.StoreException;

/**
 * The alerts' state and the notification log, kept with the outbox (tables {@code alert_state} and {@code alert_groups},
 * created by {@link Schema} with the outbox's), so that a restart, or another process taking over the cluster's jobs,
 * continues the same alerts: the same fingerprint, {@code activeAt} and {@code startsAt}, each group's last notification,
 * and the resolutions of alerts that cleared while no process watched them.
 * <p>
 * Rows belong to an owner, the {@code instance} label of their alerts: a process's own name for the alerts about its pools,
 * the shared cluster name for the alerts only the holder of the cluster's jobs sends. An owner's rows are replaced as a
 * whole in one transaction by the one process that evaluates them. Everything is bounded: at most {@link #MAX_ALERTS}
 * alerts and {@link #MAX_GROUPS} groups per owner (with at most {@link #MAX_MEMBERS} fingerprints each), each text within
 * its column; rows of an owner no process has saved for {@link #OWNER_RETENTION} are removed.
 */
public final class AlertStateStore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AlertStateStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Alerts stored per owner; beyond it the firing ones are kept first, then pending, then resolved. */
    static final int MAX_ALERTS = 1000;
    /** Notification groups stored per owner. */
    static final int MAX_GROUPS = 1000;
    /** Fingerprints in one group's lists. */
    static final int MAX_MEMBERS = 1000;
    /** Characters of an owner name (an instance label) as stored; a longer one keeps its start and a hash. */
    static final int MAX_OWNER = 200;
    /** Characters of the labels' JSON (the labels come from configured names; an alert over it is not stored). */
    static final int MAX_LABELS_JSON = 4000;
    /** Characters of one annotation's value as stored (summary, description, dashboard link). */
    static final int MAX_ANNOTATION = 2000;
    /** Characters of a group's key. */
    static final int MAX_GROUP_KEY = 4000;
    /** Characters of a receiver's name (its column in the outbox holds as many). */
    static final int MAX_RECEIVER = 63;
    /** How long the rows of an owner that no process saves any more (a renamed or removed replica) are kept. */
    static final Duration OWNER_RETENTION = Duration.ofDays(7);

    private final Database database;
    private final String alertsTable;
    private final String groupsTable;

    /** The store in {@code database}; closing it closes the database. */
    public AlertStateStore(Database database) {
        this.database = database;
        this.alertsTable = database.table("alert_state");
        this.groupsTable = database.table("alert_groups");
    }

    /** The store in a workload's database (the outbox's), migrated on first use. */
    public static AlertStateStore on(DataSource dataSource, DatabaseKind kind, String name) {
        return new AlertStateStore(Database.on(dataSource, kind, name));
    }

    /**
     * The store in the local outbox file, {@code <directory>/outbox.mv.db}, shared with the outbox that
     * {@link Database#h2File(Path)} opens within this process. Nothing is opened before first use.
     */
    public static AlertStateStore h2File(Path directory) {
        return new AlertStateStore(Database.h2FileShared(directory));
    }

    /** Where the rows are kept, for people. */
    public String location() {
        return database.location();
    }

    /** Creates or updates poolwatch's tables; idempotent, and safe while other processes do the same. */
    public void migrate() {
        database.migrate();
    }

    /** Everything stored for one owner. */
    record Saved(List<AlertStateMachine.Saved> alerts, List<NotificationDispatcher.SavedGroup> groups) {
    }

    /** An owner name as stored: itself when it fits, else its start and a hash. */
    static String ownerKey(String owner) {
        if (owner.length() <= MAX_OWNER) {
            return owner;
        }
        String hash = sha256(owner).substring(0, 16);
        return owner.substring(0, MAX_OWNER - hash.length() - 1) + "~" + hash;
    }

    /**
     * Replaces the owner's rows with {@code alerts} and {@code groups}, in one transaction, and removes the rows of owners no
     * process has saved for {@link #OWNER_RETENTION}. Beyond the bounds the least important alerts and the longest
     * unnotified groups are left out, with a warning.
     *
     * @throws StoreException when the database refuses (nothing changed)
     */
    public void save(String owner, List<AlertStateMachine.Saved> alerts, List<NotificationDispatcher.SavedGroup> groups,
            Instant now) {
        String key = ownerKey(owner);
        List<AlertStateMachine.Saved> keptAlerts = boundAlerts(owner, alerts);
        List<NotificationDispatcher.SavedGroup> keptGroups = boundGroups(owner, groups);
        database.inTransaction("storing the alerts of " + owner, c -> {
            try (PreparedStatement del = c
                    .prepareStatement("DELETE FROM " + alertsTable + " WHERE owner_name = ? OR saved_at < ?")) {
                del.setString(1, key);
                del.setLong(2, now.minus(OWNER_RETENTION).toEpochMilli());
                del.executeUpdate();
            }
            try (PreparedStatement del = c
                    .prepareStatement("DELETE FROM " + groupsTable + " WHERE owner_name = ? OR saved_at < ?")) {
                del.setString(1, key);
                del.setLong(2, now.minus(OWNER_RETENTION).toEpochMilli());
                del.executeUpdate();
            }
            if (!keptAlerts.isEmpty()) {
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + alertsTable
                        + " (owner_name, fingerprint, state, labels, annotations, "
                        + "alert_value, threshold, for_ms, keep_firing_ms, active_at, starts_at, ends_at, clearing_since, saved_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (AlertStateMachine.Saved a : keptAlerts) {
                        ins.setString(1, key);
                        ins.setString(2, a.fingerprint());
                        ins.setString(3, a.state().label());
                        ins.setString(4, json(a.labels()));
                        ins.setString(5, json(boundAnnotations(a.annotations())));
                        ins.setDouble(6, finite(a.value()));
                        ins.setDouble(7, finite(a.threshold()));
                        ins.setLong(8, a.forDuration().toMillis());
                        ins.setLong(9, a.keepFiringFor().toMillis());
                        ins.setLong(10, a.activeAt().toEpochMilli());
                        setInstant(ins, 11, a.startsAt());
                        setInstant(ins, 12, a.endsAt());
                        setInstant(ins, 13, a.clearingSince());
                        ins.setLong(14, now.toEpochMilli());
                        ins.addBatch();
                    }
                    ins.executeBatch();
                }
            }
            if (!keptGroups.isEmpty()) {
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + groupsTable
                        + " (owner_name, receiver, group_id, group_key, "
                        + "group_labels, last_notified_at, status, carried, firing, members, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (NotificationDispatcher.SavedGroup g : keptGroups) {
                        ins.setString(1, key);
                        ins.setString(2, g.receiver());
                        ins.setString(3, sha256(g.groupKey()));
                        ins.setString(4, g.groupKey());
                        ins.setString(5, json(g.groupLabels()));
                        ins.setLong(6, g.lastNotified().toEpochMilli());
                        ins.setString(7, g.status());
                        ins.setString(8, json(firstOf(g.carried())));
                        ins.setString(9, json(firstOf(g.firing())));
                        ins.setString(10,
                                json(new ArrayList<>(g.members()).subList(0, Math.min(MAX_MEMBERS, g.members().size()))));
                        ins.setLong(11, now.toEpochMilli());
                        ins.addBatch();
                    }
                    ins.executeBatch();
                }
            }
            return null;
        });
    }

    /**
     * What is stored for {@code owner}: at most {@link #MAX_ALERTS} alerts and {@link #MAX_GROUPS} groups. A row that cannot
     * be read (written by hand, or by a version with other states) is left out with a warning.
     *
     * @throws StoreException when the database refuses
     */
    public Saved load(String owner) {
        String key = ownerKey(owner);
        return database.inTransaction("reading the alerts of " + owner, c -> {
            List<AlertStateMachine.Saved> alerts = new ArrayList<>();
            try (PreparedStatement ps = c
                    .prepareStatement("SELECT fingerprint, state, labels, annotations, alert_value, threshold, for_ms, "
                            + "keep_firing_ms, active_at, starts_at, ends_at, clearing_since FROM " + alertsTable
                            + " WHERE owner_name = ? ORDER BY active_at, fingerprint")) {
                ps.setString(1, key);
                ps.setMaxRows(MAX_ALERTS);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && alerts.size() < MAX_ALERTS) {
                        String fp = rs.getString(1);
                        try {
                            AlertState state = AlertState.parse(rs.getString(2));
                            SortedMap<String, String> labels = new TreeMap<>(JSON.readValue(rs.getString(3), STRINGS));
                            Map<String, String> annotations = boundAnnotations(JSON.readValue(rs.getString(4), STRINGS));
                            alerts.add(new AlertStateMachine.Saved(fp, state, labels, annotations, rs.getDouble(5),
                                    rs.getDouble(6),
                                    Duration.ofMillis(rs.getLong(7)), Duration.ofMillis(rs.getLong(8)),
                                    Instant.ofEpochMilli(rs.getLong(9)),
                                    instant(rs, 10), instant(rs, 11), instant(rs, 12)));
                        } catch (IOException | RuntimeException e) {
                            LOG.warnf("stored alert %s of %s is left out: unreadable (%s)", fp, owner, e.getMessage());
                        }
                    }
                }
            }
            List<NotificationDispatcher.SavedGroup> groups = new ArrayList<>();
            try (PreparedStatement ps = c
                    .prepareStatement("SELECT receiver, group_key, group_labels, last_notified_at, status, carried, firing, "
                            + "members FROM " + groupsTable + " WHERE owner_name = ? ORDER BY last_notified_at DESC")) {
                ps.setString(1, key);
                ps.setMaxRows(MAX_GROUPS);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && groups.size() < MAX_GROUPS) {
                        String receiver = rs.getString(1);
                        String groupKey = rs.getString(2);
                        try {
                            String status = rs.getString(5);
                            if (!Notification.FIRING.equals(status) && !Notification.RESOLVED.equals(status)) {
                                throw new IllegalArgumentException("status '" + status + "'");
                            }
                            groups.add(new NotificationDispatcher.SavedGroup(receiver, groupKey,
                                    new TreeMap<>(JSON.readValue(rs.getString(3), STRINGS)),
                                    Instant.ofEpochMilli(rs.getLong(4)), status,
                                    firstOf(JSON.readValue(rs.getString(6), STRINGS)),
                                    firstOf(JSON.readValue(rs.getString(7), STRINGS)),
                                    firstOf(JSON.readValue(rs.getString(8), LIST))));
                        } catch (IOException | RuntimeException e) {
                            LOG.warnf("stored notification group %s of receiver %s (%s) is left out: unreadable (%s)", groupKey,
                                    receiver, owner,
                                    e.getMessage());
                        }
                    }
                }
            }
            return new Saved(List.copyOf(alerts), List.copyOf(groups));
        });
    }

    private static final TypeReference<LinkedHashMap<String, String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };

    private List<AlertStateMachine.Saved> boundAlerts(String owner, List<AlertStateMachine.Saved> alerts) {
        List<AlertStateMachine.Saved> out = new ArrayList<>();
        for (AlertState state : List.of(AlertState.FIRING, AlertState.PENDING, AlertState.RESOLVED)) {
            for (AlertStateMachine.Saved a : alerts) {
                if (!a.state().equals(state)) {
                    continue;
                }
                if (json(a.labels()).length() > MAX_LABELS_JSON) {
                    LOG.warnf("alert %s of %s is not stored: its labels exceed %d characters", a.fingerprint(), owner,
                            MAX_LABELS_JSON);
                } else if (out.size() < MAX_ALERTS) {
                    out.add(a);
                }
            }
        }
        if (alerts.size() > MAX_ALERTS) {
            LOG.warnf("%d alerts of %s, %d stored (the most stored per instance)", alerts.size(), owner, MAX_ALERTS);
        }
        return out;
    }

    private List<NotificationDispatcher.SavedGroup> boundGroups(String owner, List<NotificationDispatcher.SavedGroup> groups) {
        List<NotificationDispatcher.SavedGroup> sorted = new ArrayList<>(groups);
        sorted.removeIf(g -> {
            boolean over = g.groupKey().length() > MAX_GROUP_KEY || g.receiver().length() > MAX_RECEIVER
                    || json(g.groupLabels()).length() > MAX_GROUP_KEY;
            if (over) {
                LOG.warnf("notification group %s of %s is not stored: its key, labels or receiver exceed their columns",
                        Limits.cut(g.groupKey(), 200),
                        owner);
            }
            return over;
        });
        sorted.sort((a, b) -> b.lastNotified().compareTo(a.lastNotified()));
        if (sorted.size() > MAX_GROUPS) {
            LOG.warnf("%d notification groups of %s, the %d notified last stored", sorted.size(), owner, MAX_GROUPS);
            return sorted.subList(0, MAX_GROUPS);
        }
        return sorted;
    }

    private static Map<String, String> boundAnnotations(Map<String, String> annotations) {
        Map<String, String> out = new LinkedHashMap<>();
        annotations.forEach((k, v) -> {
            if (out.size() < 10 && k != null && v != null && k.length() <= 100) {
                out.put(k, Limits.cut(v, MAX_ANNOTATION));
            }
        });
        return out;
    }

    /** The first {@link #MAX_MEMBERS} entries. */
    private static Map<String, String> firstOf(Map<String, String> map) {
        Map<String, String> out = new TreeMap<>();
        for (var e : map.entrySet()) {
            if (out.size() >= MAX_MEMBERS) {
                break;
            }
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static Set<String> firstOf(List<String> list) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : list) {
            if (out.size() >= MAX_MEMBERS) {
                break;
            }
            out.add(s);
        }
        return out;
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setInstant(PreparedStatement ps, int index, Instant at) throws SQLException {
        if (at == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, at.toEpochMilli());
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Lets go of the connections to the local file (the file itself is closed with the outbox); a workload's pool is its
     * registry's.
     */
    @Override
    public void close() {
        database.close();
    }
}
