package io.poolwatch.checks;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.store.Database;
import io.poolwatch.store.StoreException;

/** Chunked checks' watermarks in table {@code check_cursors} of poolwatch's tables. */
public final class JdbcCursorStore implements CursorStore {

    /** The pending ranges are stored as JSON text. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database database;
    private final String table;

    public JdbcCursorStore(Database database) {
        this.database = database;
        this.table = database.table("check_cursors");
    }

    @Override
    public Map<String, Saved> loadCursors() {
        return database.inTransaction("reading the checks' watermarks", c -> {
            Map<String, Saved> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c
                    .prepareStatement("SELECT check_name, definition, watermark, pending FROM " + table);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<long[]> pending;
                    try {
                        pending = List.of(JSON.readValue(rs.getString(4), long[][].class));
                    } catch (IOException x) {
                        pending = List.of();
                    }
                    out.put(rs.getString(1), new Saved(rs.getString(2), rs.getLong(3), pending));
                }
            }
            return out;
        });
    }

    @Override
    public void saveCursor(String check, Saved cursor) {
        String pending;
        try {
            pending = JSON.writeValueAsString(cursor.pending());
        } catch (JsonProcessingException x) {
            throw new StoreException("the watermark of check " + check + " could not be written: " + x.getMessage(), x);
        }
        database.inTransaction("storing the watermark of check " + check, c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE check_name = ?")) {
                del.setString(1, check);
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + table
                    + " (check_name, definition, watermark, pending, updated_ms) VALUES (?, ?, ?, ?, ?)")) {
                ins.setString(1, check);
                ins.setString(2, cursor.definition());
                ins.setLong(3, cursor.watermark());
                ins.setString(4, pending);
                ins.setLong(5, System.currentTimeMillis());
                return ins.executeUpdate();
            }
        });
    }
}
