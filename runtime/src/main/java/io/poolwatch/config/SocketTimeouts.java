package io.poolwatch.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.engine.Dialect;

/**
 * Chooses a pool's socket timeout: the {@code socket-timeout} key, else a {@code socketTimeout} driver property or URL
 * parameter (read in the driver's unit), else the built-in; a key together with the driver's own setting is refused, as
 * the {@code tls.*} keys are. The timeout must be above the statement timeout: a socket that gives up first would cut off
 * a statement the server cancels cleanly, and leave the caller not knowing whether it ran.
 */
final class SocketTimeouts {

    /** The driver property, the same name in pgjdbc (seconds) and MariaDB Connector/J (milliseconds). */
    static final String PROPERTY = Dialect.SOCKET_TIMEOUT_PROPERTY;
    private static final String BUILT_IN = "built-in";

    private SocketTimeouts() {
    }

    /** The timeout in effect (empty for none) and the key, property or parameter that chose it. */
    record Result(Optional<Duration> timeout, String source) {
    }

    /**
     * Resolves the socket timeout of one pool; problems are added to the list with the key, the value and what is accepted.
     *
     * @param pool the pool's name, for messages
     * @param kind its database's engine (H2 runs in the process and takes none)
     * @param key {@code socket-timeout} from the nearest layer that has it
     * @param builtIn the workload's built-in value
     * @param rawProperties the pool's {@code jdbc-properties}, each with the key it came from
     * @param jdbcUrl the pool's JDBC URL, whose parameters the driver also reads
     * @param urlSource the key or variable the URL came from
     * @param statement the statement timeout in effect (0 for none) and where it came from
     * @param poolKey the pool's key prefix, {@code poolwatch.pools."<name>".}, for what to set
     * @param problems where problems are added
     */
    static Result resolve(String pool, DatabaseKind kind, Optional<Keyed> key, Optional<Duration> builtIn,
            Map<String, TlsResolver.Setting> rawProperties, String jdbcUrl, String urlSource, Keyed statement,
            String poolKey, List<String> problems) {
        if (!kind.dialect().networked()) {
            return new Result(Optional.empty(),
                    key.isPresent() ? "not applicable to " + kind.dialect().displayName() : BUILT_IN);
        }
        Map<String, TlsResolver.Setting> given = new LinkedHashMap<>();
        TlsResolver.urlParameters(jdbcUrl).forEach((k, v) -> {
            if (k.equalsIgnoreCase(PROPERTY)) {
                given.putIfAbsent(PROPERTY, new TlsResolver.Setting(v, urlSource + " (URL parameter " + k + ")"));
            }
        });
        rawProperties.forEach((k, v) -> {
            if (k.equalsIgnoreCase(PROPERTY)) {
                given.putIfAbsent(PROPERTY, v);
            }
        });
        Result result;
        String shown;
        if (key.isPresent()) {
            shown = key.get().source() + "=" + Durations.format(key.get().value());
            given.values().forEach(v -> problems.add(v.source() + "=" + v.value() + " and " + shown
                    + " both set the socket timeout of pool '"
                    + pool + "'; accepted: " + poolKey + "socket-timeout alone (remove the driver's " + PROPERTY + ")"));
            Duration d = key.get().value();
            result = new Result(d.isZero() ? Optional.empty() : Optional.of(d), key.get().source());
        } else if (!given.isEmpty()) {
            TlsResolver.Setting s = given.get(PROPERTY);
            shown = s.source() + "=" + s.value();
            Optional<Duration> d = kind.dialect().socketTimeout(s.value());
            if (d.isEmpty()) {
                problems.add(shown + ": not a socket timeout; accepted: " + kind.dialect().socketTimeoutAccepted() + ", or "
                        + poolKey
                        + "socket-timeout in place of it");
                return new Result(Optional.empty(), s.source());
            }
            result = new Result(d.get().isZero() ? Optional.empty() : d, s.source());
        } else {
            // The built-in lies above the statement timeout by construction.
            return new Result(builtIn, BUILT_IN);
        }
        if (result.timeout().isPresent() && !statement.value().isZero()
                && result.timeout().get().compareTo(statement.value()) <= 0) {
            String limit = Durations.format(statement.value());
            problems.add(shown + " is not above the statement timeout of pool '" + pool + "', " + limit + " ("
                    + statement.source()
                    + "): the driver would cut off a statement the server cancels cleanly, leaving its outcome unknown; "
                    + "accepted: a socket-timeout above " + limit + ", or 0 for none");
        }
        return result;
    }

    /** A duration and the key (or variable) that chose it. */
    record Keyed(Duration value, String source) {
    }
}
