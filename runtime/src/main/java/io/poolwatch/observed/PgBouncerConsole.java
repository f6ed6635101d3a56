package io.poolwatch.observed;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/**
 * One connection to one PgBouncer's admin console, kept open between samples and opened again after any failure.
 * <p>
 * Why one kept connection: a pooler's own client limit ({@code max_client_conn}) is what it protects, and a watcher
 * that logged in on every sample would take a slot, a login and a log line each time; one connection costs one slot
 * for good. Why the Vert.x client: pgjdbc's start-up parameters ({@code extra_float_digits}) are refused by the console,
 * and the console speaks only the simple query protocol, which {@link PgConnection#query} uses. Every call returns a
 * future at once and never blocks; the caller bounds its wait, on its own thread, never on an event loop.
 */
final class PgBouncerConsole implements AutoCloseable {

    /** Rows read from one answer; a console lists one row per pool or database, so this is far above any real one. */
    static final int MAX_ROWS = 20_000;
    /** The application name the console and PgBouncer's log show for poolwatch. */
    static final String APPLICATION_NAME = "poolwatch";

    /** What one read of the console answered. */
    record Answers(List<Map<String, String>> pools, List<Map<String, String>> stats, Optional<List<Map<String, String>>> config,
            Optional<List<Map<String, String>>> version, boolean newConnection) {
    }

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final AtomicReference<PgConnection> connection = new AtomicReference<>();
    /** Moves on at every reset: a connection that completes after its read was abandoned is closed, not kept. */
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean closed;

    PgBouncerConsole(Vertx vertx, PgBouncerDefinition definition, Duration timeout) {
        this.vertx = vertx;
        Map<String, String> properties = new HashMap<>();
        // Only application_name: the console refuses the client's other default start-up parameters.
        properties.put("application_name", APPLICATION_NAME);
        this.options = new PgConnectOptions().setHost(definition.address().host()).setPort(definition.address().port())
                .setDatabase(definition.address().database()).setUser(definition.username())
                .setPassword(definition.password().map(p -> p.reveal()).orElse(""))
                .setProperties(properties).setCachePreparedStatements(false).setReconnectAttempts(0)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
    }

    /** Whether a connection is open now (a read will not have to log in first). */
    boolean connected() {
        return connection.get() != null;
    }

    /**
     * Reads the console: {@code SHOW POOLS} and {@code SHOW STATS} always; {@code SHOW CONFIG} when asked or on a new
     * connection; {@code SHOW VERSION} on a new connection (a new version means a restart, which drops the connection).
     */
    Future<Answers> read(boolean withConfig) {
        if (closed) {
            return Future.failedFuture(new IllegalStateException("closed"));
        }
        PgConnection open = connection.get();
        boolean fresh = open == null;
        Future<PgConnection> conn = fresh ? connect() : Future.succeededFuture(open);
        return conn.compose(c -> query(c, "SHOW POOLS").compose(pools -> query(c, "SHOW STATS").compose(stats -> {
            Future<Optional<List<Map<String, String>>>> config = fresh || withConfig ? query(c, "SHOW CONFIG").map(Optional::of)
                    : Future.succeededFuture(Optional.empty());
            return config.compose(cfg -> {
                Future<Optional<List<Map<String, String>>>> version = fresh ? query(c, "SHOW VERSION").map(Optional::of)
                        : Future.succeededFuture(Optional.empty());
                return version.map(v -> new Answers(pools, stats, cfg, v, fresh));
            });
        })));
    }

    private Future<PgConnection> connect() {
        long at = generation.get();
        return PgConnection.connect(vertx, options).map(c -> {
            if (closed || generation.get() != at) {
                c.close();
                throw new IllegalStateException("connection abandoned");
            }
            connection.set(c);
            c.closeHandler(v -> connection.compareAndSet(c, null));
            return c;
        });
    }

    private static Future<List<Map<String, String>>> query(PgConnection c, String sql) {
        return c.query(sql).execute().map(PgBouncerConsole::rows);
    }

    private static List<Map<String, String>> rows(RowSet<Row> set) {
        List<String> columns = set.columnsNames();
        List<Map<String, String>> out = new ArrayList<>();
        for (Row row : set) {
            if (out.size() == MAX_ROWS) {
                break;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                Object v = row.getValue(i);
                values.put(columns.get(i), v == null ? null : v.toString());
            }
            out.add(values);
        }
        return out;
    }

    /** Drops the connection (after a failure or a timeout: its state is unknown); the next read opens a new one. */
    void reset() {
        generation.incrementAndGet();
        PgConnection old = connection.getAndSet(null);
        if (old != null) {
            old.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            reset();
        } catch (RuntimeException e) {
            // Vert.x may already be closed at shutdown, and the connection with it.
        }
    }

    /** Why a read failed, in words: PgBouncer's own message where it sent one; never the password. */
    static String reason(Throwable t, PgBouncerDefinition definition) {
        String text;
        if (t instanceof PgException pg) {
            text = "refused by PgBouncer: " + pg.getErrorMessage()
                    + (pg.getSqlState() == null ? "" : " (SQLSTATE " + pg.getSqlState() + ")");
        } else if (t instanceof ConnectException || t.getClass().getName().contains("ConnectException")) {
            text = "cannot connect to " + definition.address().label() + ": " + message(t);
        } else if (t instanceof VertxException && "Connection was closed".equalsIgnoreCase(t.getMessage())) {
            text = "PgBouncer closed the connection";
        } else {
            text = message(t);
        }
        if (definition.password().isPresent() && definition.password().get().isPresent()) {
            text = text.replace(definition.password().get().reveal(), "***");
        }
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
