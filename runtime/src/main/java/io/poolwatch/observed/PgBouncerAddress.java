package io.poolwatch.observed;

import java.util.regex.Pattern;

import io.poolwatch.config.DatabaseUrl;
import io.poolwatch.config.Limits;

/**
 * Where a PgBouncer's admin console listens, parsed from {@code poolwatch.pgbouncer."<name>".url}.
 *
 * @param host a host name or an IP address (an IPv6 address without its brackets)
 * @param port the port, {@value #DEFAULT_PORT} when the URL names none
 * @param database always {@value #CONSOLE_DATABASE}: the console is PgBouncer's own database of that name
 */
public record PgBouncerAddress(String host, int port, String database) {

    /** PgBouncer's default listen port. */
    public static final int DEFAULT_PORT = 6432;
    /** The admin console's database name. */
    public static final String CONSOLE_DATABASE = "pgbouncer";
    /** What the url key accepts, quoted in every error about it. */
    public static final String ACCEPTED = "postgresql://host:port/pgbouncer, postgres://host:port/pgbouncer, "
            + "jdbc:postgresql://host:port/pgbouncer or host:port (port 1-65535, default " + DEFAULT_PORT + "; database "
            + CONSOLE_DATABASE + ", the default; an IPv6 address in brackets; no credentials or parameters in the URL: "
            + "they go in username and password)";
    /** The longest URL accepted; a host name is at most 253 characters. */
    static final int MAX_LENGTH = 300;

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** {@code host:port}, an IPv6 host in brackets; never credentials. */
    public String label() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Parses one of the {@linkplain #ACCEPTED accepted forms}.
     *
     * @throws IllegalArgumentException saying what is wrong (the value masked where it may hold a password) and what is
     *         accepted
     */
    public static PgBouncerAddress parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("empty; accepted: " + ACCEPTED);
        }
        String url = raw.trim();
        String shown = "'" + Limits.quote(DatabaseUrl.mask(url)) + "'";
        if (url.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    shown + ": " + url.length() + " characters, at most " + MAX_LENGTH + "; accepted: " + ACCEPTED);
        }
        String rest = url;
        boolean isUrl = false;
        for (String scheme : new String[] { "jdbc:postgresql://", "postgresql://", "postgres://" }) {
            if (url.regionMatches(true, 0, scheme, 0, scheme.length())) {
                rest = url.substring(scheme.length());
                isUrl = true;
                break;
            }
        }
        if (!isUrl && url.contains("://")) {
            throw new IllegalArgumentException(shown + ": not a PostgreSQL URL; accepted: " + ACCEPTED);
        }
        int at = rest.indexOf('@');
        if (at >= 0) {
            // What precedes '@' may be a password: the value is not quoted at all.
            throw new IllegalArgumentException("(value not shown) has credentials before '@'; accepted: " + ACCEPTED);
        }
        if (rest.indexOf('?') >= 0 || rest.indexOf(';') >= 0) {
            throw new IllegalArgumentException(shown + ": has parameters; accepted: " + ACCEPTED);
        }
        String authority = rest;
        String database = CONSOLE_DATABASE;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            if (!isUrl) {
                throw new IllegalArgumentException(
                        shown + ": a path after host:port needs a URL scheme; accepted: " + ACCEPTED);
            }
            authority = rest.substring(0, slash);
            String path = rest.substring(slash + 1);
            if (!path.isEmpty() && !path.equals(CONSOLE_DATABASE)) {
                throw new IllegalArgumentException(
                        shown + ": database '" + Limits.quote(path) + "' is not the admin console, which is "
                                + CONSOLE_DATABASE + "; accepted: " + ACCEPTED);
            }
        }
        String host = authority;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(
                        shown + ": an IPv6 address's '[' is not closed by ']'; accepted: " + ACCEPTED);
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException(
                            shown + ": characters after ']' that are not ':port'; accepted: " + ACCEPTED);
                }
                port = after.substring(1);
            }
            if (!IPV6.matcher(host).matches() || !host.contains(":")) {
                throw new IllegalArgumentException(
                        shown + ": a malformed IPv6 address between '[' and ']'; accepted: " + ACCEPTED);
            }
        } else {
            int colon = authority.indexOf(':');
            if (colon >= 0) {
                if (authority.indexOf(':', colon + 1) >= 0) {
                    throw new IllegalArgumentException(
                            shown + ": several ':' (an IPv6 address goes in brackets, such as [::1]:6432); "
                                    + "accepted: " + ACCEPTED);
                }
                host = authority.substring(0, colon);
                port = authority.substring(colon + 1);
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException(shown + ": no host; accepted: " + ACCEPTED);
            }
            if (!HOST_NAME.matcher(host).matches()) {
                throw new IllegalArgumentException(
                        shown + ": a malformed host name (letters, digits, '-', '_' and '.' only); accepted: "
                                + ACCEPTED);
            }
        }
        int portNumber = DEFAULT_PORT;
        if (port != null) {
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new IllegalArgumentException(shown + ": the port is not a number from 1 to 65535; accepted: " + ACCEPTED);
            }
            portNumber = Integer.parseInt(port);
        }
        return new PgBouncerAddress(host, portNumber, database);
    }
}
