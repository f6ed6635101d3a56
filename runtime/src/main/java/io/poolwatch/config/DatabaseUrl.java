package io.poolwatch.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.engine.Dialect;
import io.poolwatch.engine.TlsMode;

/**
 * A database URL translated to JDBC: the kind, the JDBC URL without credentials, the user and password
 * that were in it, and driver properties carried from the seed's query parameters.
 *
 * @param kind the engine
 * @param jdbcUrl the JDBC URL, never holding a password taken from a seed URL
 * @param username the user given in the URL, if any
 * @param password the password given in the URL, if any
 * @param driverProperties properties translated from seed parameters (ssl=require becomes sslmode=require)
 */
public record DatabaseUrl(DatabaseKind kind, String jdbcUrl, Optional<String> username, Optional<Secret> password,
        Map<String, String> driverProperties) {

    /** The URL forms accepted, quoted in every error about a URL. */
    public static final String ACCEPTED = "postgresql://user:pass@host:5432/db, postgres://..., postgresql+asyncpg://..., "
            + "mysql://..., mariadb://..., jdbc:postgresql://..., jdbc:mariadb://..., jdbc:mysql://... or jdbc:h2:...";

    /** The seed guide's URL form, with the schemes the engines' dialects take ({@code Dialect.seedSchemes}). */
    private static final Pattern SEED = Pattern.compile("(?i)(" + Arrays.stream(DatabaseKind.values())
            .flatMap(k -> k.dialect().seedSchemes().stream()).collect(Collectors.joining("|")) + ")(\\+[a-z0-9_]+)?://(.*)");
    private static final Pattern SECRET_PARAM = Pattern.compile("(?i)((?:^|[?&;])(?:password|sslpassword|pass|pwd)=)[^&;]*");
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("(//[^/@:?#]*):[^@/]*@");

    public DatabaseUrl {
        driverProperties = Map.copyOf(driverProperties);
    }

    /**
     * Translates {@code raw}. Throws {@link IllegalArgumentException} whose message shows the URL masked and the
     * accepted forms; never the password.
     */
    public static DatabaseUrl parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("empty URL; accepted: " + ACCEPTED);
        }
        String url = raw.trim();
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:")) {
            return parseJdbc(url, lower);
        }
        Matcher seed = SEED.matcher(url);
        if (seed.matches()) {
            return parseSeed(seed.group(1).toLowerCase(Locale.ROOT), seed.group(3), url);
        }
        // Not a URL poolwatch knows, so it cannot tell where a password would be: show only the scheme.
        int scheme = url.indexOf("://");
        String shown = scheme > 0 && scheme < 40 ? "'" + url.substring(0, scheme) + "://...'"
                : "a value of " + url.length() + " characters without a scheme";
        throw new IllegalArgumentException(shown + " is not a supported database URL; accepted: " + ACCEPTED);
    }

    private static DatabaseUrl parseJdbc(String url, String lower) {
        for (DatabaseKind kind : DatabaseKind.values()) {
            Dialect dialect = kind.dialect();
            for (Map.Entry<String, String> prefix : dialect.jdbcPrefixes().entrySet()) {
                if (!lower.startsWith(prefix.getKey())) {
                    continue;
                }
                if (dialect.networked()) {
                    requireJdbcHost(url, prefix.getKey());
                } else if (url.length() == prefix.getKey().length()) {
                    break;
                }
                return new DatabaseUrl(kind, prefix.getValue() + url.substring(prefix.getKey().length()), Optional.empty(),
                        Optional.empty(), Map.of());
            }
        }
        int colon = url.indexOf(':', "jdbc:".length());
        String shown = colon > 0 ? url.substring(0, colon + 1) + "..." : url;
        throw new IllegalArgumentException("'" + shown + "' is not a supported JDBC URL; accepted: " + ACCEPTED);
    }

    private static void requireJdbcHost(String url, String prefix) {
        String rest = url.substring(prefix.length());
        if (!rest.startsWith("//") || rest.length() == 2 || rest.charAt(2) == '/' || rest.charAt(2) == '?') {
            throw new IllegalArgumentException("'" + mask(url) + "' has no host; accepted: " + ACCEPTED);
        }
        checkAuthority(url, authority(rest.substring(2)));
    }

    private static DatabaseUrl parseSeed(String scheme, String rest, String original) {
        DatabaseKind kind = Arrays.stream(DatabaseKind.values()).filter(k -> k.dialect().seedSchemes().contains(scheme))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("'" + mask(original) + "' has scheme '" + scheme
                        + "'; accepted: " + ACCEPTED));
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String authority = rest;
        String path = "";
        int slash = rest.indexOf('/', rest.lastIndexOf('@') + 1);
        if (slash >= 0) {
            authority = rest.substring(0, slash);
            path = rest.substring(slash + 1);
        }
        Optional<String> user = Optional.empty();
        Optional<Secret> password = Optional.empty();
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            String u = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
            if (!u.isEmpty()) {
                user = Optional.of(decode(u, original));
            }
            if (colon >= 0) {
                password = Optional.of(new Secret(decode(userInfo.substring(colon + 1), original)));
            }
        }
        if (authority.isEmpty()) {
            throw new IllegalArgumentException("'" + mask(original) + "' has no host; accepted: " + ACCEPTED);
        }
        checkAuthority(original, authority);
        if (path.contains("/")) {
            throw new IllegalArgumentException("'" + mask(original) + "' has a malformed database name '" + path
                    + "'; accepted: " + ACCEPTED);
        }
        Map<String, String> props = new LinkedHashMap<>();
        StringBuilder kept = new StringBuilder();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq >= 0 ? pair.substring(0, eq) : pair, original);
            String value = eq >= 0 ? decode(pair.substring(eq + 1), original) : "";
            String lk = key.toLowerCase(Locale.ROOT);
            if (lk.equals("ssl") || lk.equals("sslmode") || lk.equals("ssl_mode")) {
                props.putAll(sslProperties(kind, value, original));
            } else if (lk.equals("user") || lk.equals("username")) {
                user = Optional.of(value);
            } else if (lk.equals("password")) {
                password = Optional.of(new Secret(value));
            } else {
                Optional<Map.Entry<String, String>> translated;
                try {
                    translated = kind.dialect().seedParameter(key, value);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + mask(original) + "': " + e.getMessage());
                }
                if (translated.isPresent()) {
                    props.put(translated.get().getKey(), translated.get().getValue());
                } else {
                    kept.append(kept.isEmpty() ? "?" : "&").append(pair);
                }
            }
        }
        String jdbc = "jdbc:" + kind.label() + "://" + authority + "/" + path + kept;
        return new DatabaseUrl(kind, jdbc, user, password, props);
    }

    private static Map<String, String> sslProperties(DatabaseKind kind, String value, String original) {
        String mode = value.toLowerCase(Locale.ROOT);
        if (mode.equals("true") || mode.equals("1")) {
            mode = "require";
        } else if (mode.equals("false") || mode.equals("0")) {
            mode = "disable";
        }
        Optional<TlsMode> parsed = TlsMode.fromLibpq(mode);
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("'" + mask(original) + "' has ssl mode '" + value
                    + "'; accepted: disable, allow, prefer, require, verify-ca, verify-full");
        }
        // The seed URL forms are PostgreSQL's and MariaDB's, both of which take TLS settings.
        Dialect.DriverTls tls = kind.dialect().tls().orElseThrow();
        return Map.of(tls.modeKey(), tls.modeValue(parsed.get()));
    }

    private static String authority(String afterSlashes) {
        int end = afterSlashes.length();
        for (char c : new char[] { '/', '?', ';' }) {
            int i = afterSlashes.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String authority = afterSlashes.substring(0, end);
        int at = authority.lastIndexOf('@');
        return at >= 0 ? authority.substring(at + 1) : authority;
    }

    /** What a URL's host part may be, quoted in every error about it. */
    static final String ACCEPTED_HOSTS = "host, host:port, an IPv4 address, an IPv6 address in brackets ([::1] or [::1]:5432), "
            + "several of them comma-separated; port 1-65535";
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

    /**
     * Checks every host of the authority (user-info already removed). The error says what is wrong without quoting the
     * host or port: in a malformed URL, what looks like a port may be a password.
     */
    private static void checkAuthority(String original, String authority) {
        String problem = authorityProblem(authority);
        if (problem != null) {
            throw new IllegalArgumentException("'" + shownScheme(original) + "' " + problem + "; accepted: " + ACCEPTED_HOSTS);
        }
    }

    /** What is wrong with the authority, or null. */
    static String authorityProblem(String authority) {
        String[] hosts = authority.split(",", -1);
        for (int i = 0; i < hosts.length; i++) {
            String entry = hosts[i];
            String which = hosts.length == 1 ? "" : " (host " + (i + 1) + " of " + hosts.length + ")";
            if (entry.regionMatches(true, 0, "address=", 0, "address=".length())) {
                continue; // MariaDB Connector/J's address=(host=...)(port=...) form, checked by the driver
            }
            String host = entry;
            String port = null;
            if (entry.startsWith("[")) {
                int close = entry.indexOf(']');
                if (close < 0) {
                    return "has an IPv6 address whose '[' is not closed by ']'" + which;
                }
                host = entry.substring(1, close);
                String rest = entry.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        return "has characters after an IPv6 address's ']' that are not ':port'" + which;
                    }
                    port = rest.substring(1);
                }
                if (!IPV6.matcher(host).matches() || !host.contains(":")) {
                    return "has a malformed IPv6 address between '[' and ']'" + which;
                }
            } else {
                if (entry.contains("]")) {
                    return "has a ']' without its '['" + which;
                }
                int colon = entry.indexOf(':');
                if (colon >= 0) {
                    if (entry.indexOf(':', colon + 1) >= 0) {
                        return "has a host with several ':' (an IPv6 address must be in brackets, such as [::1])" + which;
                    }
                    host = entry.substring(0, colon);
                    port = entry.substring(colon + 1);
                }
                if (host.isEmpty()) {
                    return "has an empty host" + which;
                }
                if (!HOST_NAME.matcher(host).matches() || host.length() > 253) {
                    return "has a malformed host name (letters, digits, '-', '_' and '.' only)" + which;
                }
            }
            if (port != null) {
                boolean ok = !port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')
                        && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
                if (!ok) {
                    return "has a port that is not a number from 1 to 65535" + which;
                }
            }
        }
        return null;
    }

    /** Only the scheme of a URL, for errors about its host: nothing that could be a credential. */
    private static String shownScheme(String url) {
        int scheme = url.indexOf("://");
        return scheme > 0 && scheme < 40 ? url.substring(0, scheme) + "://..." : "...";
    }

    private static String decode(String s, String original) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'" + mask(original) + "' has a malformed percent-encoding; accepted: " + ACCEPTED);
        }
    }

    /** The URL with any password (user-info or parameter) replaced by ***; safe to log or show. */
    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        String masked = USERINFO_PASSWORD.matcher(url).replaceAll("$1:***@");
        return SECRET_PARAM.matcher(masked).replaceAll("$1***");
    }

    /** A short name for the database, {@code host:port/name}, with no credentials or parameters. */
    public String label() {
        String rest = jdbcUrl.substring(jdbcUrl.indexOf(':', "jdbc:".length()) + 1);
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
            int at = rest.indexOf('@');
            int slash = rest.indexOf('/');
            if (at >= 0 && (slash < 0 || at < slash)) {
                rest = rest.substring(at + 1);
            }
        }
        int end = rest.length();
        for (char c : new char[] { '?', ';' }) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return rest.substring(0, end);
    }

    /** The JDBC URL as it may be shown. */
    public String masked() {
        return mask(jdbcUrl);
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + kind + ", " + masked() + "]";
    }
}
