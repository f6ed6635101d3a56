package io.poolwatch.pool;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A database server refused a connection for lack of connection slots: PostgreSQL SQLSTATE {@code 53300} ("sorry, too
 * many clients already", "remaining connection slots are reserved for ..."), MariaDB/MySQL error {@code 1040} ("Too many
 * connections"). The server answered, so it is saturated, not unreachable.
 *
 * @param at when the refusal was seen
 * @param refused whose connection was refused: {@link #MONITOR}, or {@code "pool <name>"}
 * @param code the SQLSTATE (PostgreSQL) or error number (MariaDB) that says so
 * @param message the server's message, cut to {@value #MESSAGE_LENGTH} characters
 */
public record SlotRefusal(Instant at, String refused, String code, String message) {

    /** What {@link #refused} says of poolwatch's own monitoring connection. */
    public static final String MONITOR = "poolwatch's monitoring connection";
    /** The most of a server's message kept. */
    public static final int MESSAGE_LENGTH = 200;

    private static final String PG_SLOTS = "53300";
    private static final int MARIADB_SLOTS = 1040;

    /** The refusal in {@code t} or one of its causes; empty when {@code t} is another failure. */
    public static Optional<SlotRefusal> of(Throwable t, String refused, Instant at) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException e) {
                if (PG_SLOTS.equals(e.getSQLState())) {
                    return Optional.of(new SlotRefusal(at, refused, PG_SLOTS, cut(e.getMessage())));
                }
                if (e.getErrorCode() == MARIADB_SLOTS) {
                    return Optional.of(new SlotRefusal(at, refused, Integer.toString(MARIADB_SLOTS), cut(e.getMessage())));
                }
            }
            // A driver or pool that wraps the refusal without its code still carries the server's words.
            String text = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            if (text.contains("too many clients already") || text.contains("remaining connection slots are reserved")) {
                return Optional.of(new SlotRefusal(at, refused, PG_SLOTS, cut(c.getMessage())));
            }
            if (text.contains("too many connections") && !text.contains("for role") && !text.contains("for database")) {
                return Optional.of(new SlotRefusal(at, refused, Integer.toString(MARIADB_SLOTS), cut(c.getMessage())));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code t} is a refusal for lack of slots. */
    public static boolean isSlotRefusal(Throwable t) {
        return of(t, "", Instant.EPOCH).isPresent();
    }

    /** The code and the server's words, as operators search for them: {@code 53300 remaining connection slots ...}. */
    public String describe() {
        return code + " " + message;
    }

    private static String cut(String message) {
        String m = message == null ? "" : message.strip();
        // The driver's message may carry the server's hint on following lines; the first line is the refusal.
        int newline = m.indexOf('\n');
        if (newline >= 0) {
            m = m.substring(0, newline).strip();
        }
        return m.length() <= MESSAGE_LENGTH ? m : m.substring(0, MESSAGE_LENGTH) + "...";
    }
}
