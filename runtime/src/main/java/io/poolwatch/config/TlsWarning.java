package io.poolwatch.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.poolwatch.engine.TlsMode;

/**
 * The production warning: a pool that may connect without TLS to a host other than loopback sends its credentials and
 * data in clear over a network. Pure functions of the host and the mode; no name is resolved.
 */
public final class TlsWarning {

    private static final Pattern ADDRESS_HOST = Pattern.compile("(?i)host=([^)]+)");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private TlsWarning() {
    }

    /** Whether the host is loopback: 127.0.0.0/8, ::1 or localhost. */
    public static boolean isLoopback(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.equals("localhost") || h.endsWith(".localhost") || IPV4_LOOPBACK.matcher(h).matches() || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1");
    }

    /** Whether connecting to this host in this mode deserves the warning: TLS is not required and the host is not loopback. */
    public static boolean warns(String host, TlsMode mode) {
        return !mode.encrypts() && !isLoopback(host);
    }

    /** The hosts of a PostgreSQL or MariaDB JDBC URL, without ports; empty for H2. */
    public static List<String> hosts(DatabaseUrl url) {
        List<String> out = new ArrayList<>();
        if (!url.kind().dialect().networked()) {
            return out;
        }
        String jdbc = url.jdbcUrl();
        int slashes = jdbc.indexOf("//");
        if (slashes < 0) {
            return out;
        }
        String rest = jdbc.substring(slashes + 2);
        int end = rest.length();
        for (char c : new char[] { '/', '?' }) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String authority = rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        Matcher address = ADDRESS_HOST.matcher(authority);
        if (authority.toLowerCase(Locale.ROOT).contains("address=")) {
            while (address.find()) {
                out.add(address.group(1).trim());
            }
            return out;
        }
        for (String part : authority.split(",")) {
            String host = part.trim();
            if (host.startsWith("[")) {
                int close = host.indexOf(']');
                host = close > 0 ? host.substring(0, close + 1) : host;
            } else if (host.indexOf(':') >= 0) {
                host = host.substring(0, host.indexOf(':'));
            }
            if (!host.isEmpty()) {
                out.add(host);
            }
        }
        return out;
    }

    /** The hosts of the pool's database that get the warning with its mode in effect. */
    public static List<String> exposedHosts(PoolSettings s) {
        if (!s.tls().applicable()) {
            return List.of();
        }
        return hosts(s.url()).stream().filter(h -> warns(h, s.tls().mode())).toList();
    }

    /**
     * The warning shown while the pool runs: as at start-up, except that a connection the server reports encrypted (prefer
     * that got TLS) clears it, and one it reports unencrypted raises it whatever the mode.
     */
    public static Optional<String> current(PoolSettings s, Optional<Boolean> encrypted) {
        if (!s.tls().applicable() || encrypted.orElse(false)) {
            return Optional.empty();
        }
        if (encrypted.isEmpty()) {
            return warning(s);
        }
        List<String> remote = hosts(s.url()).stream().filter(h -> !isLoopback(h)).toList();
        if (remote.isEmpty()) {
            return Optional.empty();
        }
        String prefix = "poolwatch.pools.\"" + s.workload() + "\".tls.";
        return Optional.of("pool " + s.name() + " is connected to " + String.join(", ", remote)
                + " without TLS (reported by the server); set "
                + prefix + "mode=verify-full and " + prefix + "ca-file");
    }

    /**
     * The start-up warning of a pool, if it gets one: names the pool, the host(s) (never credentials), the mode and where it
     * came from, and the keys to set.
     */
    public static Optional<String> warning(PoolSettings s) {
        List<String> exposed = exposedHosts(s);
        if (exposed.isEmpty()) {
            return Optional.empty();
        }
        String prefix = "poolwatch.pools.\"" + s.workload() + "\".tls.";
        String how = s.tls().mode() == TlsMode.DISABLE ? "connects to " + String.join(", ", exposed) + " without TLS"
                : "may connect to " + String.join(", ", exposed) + " without TLS (" + s.tls().mode().configName()
                        + " falls back to plain text and never verifies the server)";
        return Optional.of("pool " + s.name() + " " + how + ": tls.mode=" + s.tls().mode().configName() + " from "
                + s.tls().modeSource() + "; set " + prefix + "mode=verify-full and " + prefix
                + "ca-file (or poolwatch.defaults.tls.*)");
    }
}
