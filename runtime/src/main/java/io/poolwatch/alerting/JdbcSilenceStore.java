package io.poolwatch.alerting;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.config.Limits;
import io.poolwatch.store.Database;
import io.poolwatch.store.StoreException;

/** Silences in table {@code silences} of poolwatch's tables, beside the outbox; times as epoch milliseconds. */
public final class JdbcSilenceStore implements SilenceStore {

    /** The matchers are stored as JSON text. */
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(JdbcSilenceStore.class);

    private final Database database;
    private final String table;
    /** Ids of stored silences left out for exceeding the limits, so each is warned about once. */
    private final Set<String> oversized = ConcurrentHashMap.newKeySet();

    public JdbcSilenceStore(Database database) {
        this.database = database;
        this.table = database.table("silences");
    }

    /**
     * The longest matchers' JSON a silence within {@link io.poolwatch.config.Limits} can have (every character a six-character
     * escape, the
     * most JSON spends on one): longer text, written by a version before the limits, is not even read.
     */
    static final int MAX_MATCHERS_JSON = Limits.SILENCE_MATCHERS
            * (6 * (Limits.MATCHER_NAME + Limits.MATCHER_VALUE) + 64);

    /**
     * Refuses a silence over {@link io.poolwatch.config.Limits}' bounds: {@link Silencer} checks them before this, so only a
     * caller that skipped it gets here, and nothing it stores can make a page unbounded.
     */
    @Override
    public void save(Silence s) {
        try {
            Silencer.validate(s.matchers(), s.createdBy(), s.comment());
        } catch (IllegalArgumentException e) {
            throw new StoreException("silence " + s.id() + " not written: " + e.getMessage(), e);
        }
        String json;
        try {
            json = JSON.writeValueAsString(s.matchers());
        } catch (JsonProcessingException e) {
            throw new StoreException("silence " + s.id() + " could not be written: " + e.getMessage(), e);
        }
        database.inTransaction("storing silence " + s.id(), c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
                del.setString(1, s.id());
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + table
                    + " (id, matchers, starts_at, ends_at, created_by, comment) VALUES (?, ?, ?, ?, ?, ?)")) {
                ins.setString(1, s.id());
                ins.setString(2, json);
                ins.setLong(3, s.startsAt().toEpochMilli());
                ins.setLong(4, s.endsAt().toEpochMilli());
                ins.setString(5, s.createdBy());
                ins.setString(6, s.comment());
                return ins.executeUpdate();
            }
        });
    }

    /**
     * The stored silences ending after {@code endedAfter}. A row written before the limits of
     * {@link io.poolwatch.config.Limits} is read within them: its {@code createdBy} and {@code comment}, shown only, are cut
     * to their limits; one whose matchers exceed theirs is left out (with a warning naming its id), since a matcher cut
     * or dropped would silence other alerts than the one it was made for: alerts it covered are notified again, the
     * safe side. Matchers' text over {@link #MAX_MATCHERS_JSON} is not even read into memory.
     */
    @Override
    public List<Silence> load(Instant endedAfter) {
        return database.inTransaction("reading silences", c -> {
            List<Silence> out = new ArrayList<>();
            try (PreparedStatement ps = c
                    .prepareStatement("SELECT id, CASE WHEN LENGTH(matchers) <= ? THEN matchers ELSE NULL END, "
                            + "starts_at, ends_at, created_by, comment FROM " + table
                            + " WHERE ends_at > ? ORDER BY starts_at, id")) {
                ps.setInt(1, MAX_MATCHERS_JSON);
                ps.setLong(2, endedAfter.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        String text = rs.getString(2);
                        List<Silence.Matcher> matchers;
                        try {
                            matchers = text == null ? null : List.of(JSON.readValue(text, Silence.Matcher[].class));
                        } catch (IOException e) {
                            throw new SQLException("silence " + id + " has unreadable matchers: " + e.getMessage(), e);
                        }
                        String createdBy = Limits.cut(rs.getString(5), Limits.SILENCE_CREATED_BY);
                        String comment = Limits.cut(rs.getString(6), Limits.SILENCE_COMMENT);
                        String over = matchers == null ? "matchers: over " + MAX_MATCHERS_JSON + " characters of JSON"
                                : overLimit(matchers);
                        if (over != null) {
                            if (oversized.add(id)) {
                                LOG.warnf(
                                        "silence %s is left out: it was stored before the limits and exceeds them (%s)", id,
                                        over);
                            }
                            continue;
                        }
                        out.add(new Silence(id, matchers, Instant.ofEpochMilli(rs.getLong(3)),
                                Instant.ofEpochMilli(rs.getLong(4)),
                                createdBy, comment));
                    }
                }
            }
            return out;
        });
    }

    /** What exceeds the matchers' limits, or null. */
    private static String overLimit(List<Silence.Matcher> matchers) {
        if (matchers.size() > Limits.SILENCE_MATCHERS) {
            return "matchers: " + matchers.size() + "; accepted: at most " + Limits.SILENCE_MATCHERS;
        }
        for (int i = 0; i < matchers.size(); i++) {
            Silence.Matcher m = matchers.get(i);
            if (m == null || m.name() == null || m.value() == null) {
                return "matchers[" + i + "]: incomplete";
            }
            if (m.name().length() > Limits.MATCHER_NAME) {
                return "matchers[" + i + "].name: " + m.name().length() + " characters; accepted: at most "
                        + Limits.MATCHER_NAME;
            }
            if (m.value().length() > Limits.MATCHER_VALUE) {
                return "matchers[" + i + "].value: " + m.value().length() + " characters; accepted: at most "
                        + Limits.MATCHER_VALUE;
            }
        }
        return null;
    }
}
