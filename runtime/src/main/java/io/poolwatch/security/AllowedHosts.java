package io.poolwatch.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.poolwatch.config.PoolwatchConfig;

/**
 * The host names poolwatch answers to ({@code poolwatch.http.allowed-hosts}): the guard against DNS rebinding, where a
 * web page of {@code evil.example} has its name re-pointed at 127.0.0.1 and then drives a poolwatch on the reader's
 * machine with the browser's own requests. The browser then sends {@code Host: evil.example:<port>}, a name poolwatch
 * was not told it has, and is refused.
 * <p>
 * Entries are names ({@code poolwatch.example.com}), wildcards ({@code *.example.com}: any name below, at any depth,
 * not the name itself) or {@code *} (any host: the check is off). Names compare case-insensitively, without the port
 * and without a trailing dot. IP literals ({@code 10.1.2.3}, {@code [::1]}) are always accepted: a page cannot make a
 * browser send an IP literal as Host other than by being served from that very address, which is not rebinding, and
 * kubelet probes and Prometheus address pods by IP. A request without a Host (HTTP/1.0) is accepted: no browser sends
 * one.
 */
public final class AllowedHosts {

    /** The configuration key. */
    public static final String KEY = "poolwatch.http.allowed-hosts";
    /** The default: loopback names. */
    public static final String DEFAULT = PoolwatchConfig.HttpConfig.DEFAULT_ALLOWED_HOSTS;

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9_-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9_-]*[a-z0-9])?)*");
    private static final Pattern IPV4 = Pattern
            .compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]{2,45}\\]");

    private final List<String> exact;
    private final List<String> suffixes;
    private final boolean any;

    private AllowedHosts(List<String> exact, List<String> suffixes, boolean any) {
        this.exact = exact;
        this.suffixes = suffixes;
        this.any = any;
    }

    /**
     * The hosts of a configured list.
     *
     * @throws IllegalArgumentException naming the key, the entry and what is accepted
     */
    public static AllowedHosts of(List<String> entries) {
        List<String> exact = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        boolean any = false;
        List<String> problems = new ArrayList<>();
        for (String raw : entries) {
            String e = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
            if (e.endsWith(".")) {
                e = e.substring(0, e.length() - 1);
            }
            if (e.equals("*")) {
                any = true;
            } else if (e.startsWith("*.") && NAME.matcher(e.substring(2)).matches()) {
                suffixes.add(e.substring(1));
            } else if (NAME.matcher(e).matches() || IPV6.matcher(e).matches()) {
                exact.add(e);
            } else {
                problems.add(KEY + "=" + truncate(raw) + ": '" + truncate(raw)
                        + "' is not a host name; accepted: names (poolwatch.example.com), wildcards (*.example.com), "
                        + "IP addresses, or * for any host");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new AllowedHosts(List.copyOf(exact), List.copyOf(suffixes), any);
    }

    /** Whether a request's Host header (name and optional port; null when absent) is one poolwatch answers to. */
    public boolean allows(String hostHeader) {
        if (any || hostHeader == null) {
            return true;
        }
        String host = hostOnly(hostHeader.trim().toLowerCase(Locale.ROOT));
        if (host == null) {
            return false;
        }
        if (IPV4.matcher(host).matches() || IPV6.matcher(host).matches() && ipv6(host)) {
            return true;
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (exact.contains(host)) {
            return true;
        }
        for (String suffix : suffixes) {
            if (host.length() > suffix.length() && host.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /** The host of a Host header without its port; null if it is not of the form host[:port]. */
    private static String hostOnly(String header) {
        if (header.startsWith("[")) {
            int close = header.indexOf(']');
            if (close < 0 || !(close == header.length() - 1
                    || header.charAt(close + 1) == ':' && port(header.substring(close + 2)))) {
                return null;
            }
            return header.substring(0, close + 1);
        }
        int colon = header.indexOf(':');
        if (colon >= 0 && !port(header.substring(colon + 1))) {
            return null;
        }
        return colon >= 0 ? header.substring(0, colon) : header;
    }

    private static boolean port(String s) {
        return !s.isEmpty() && s.length() <= 5 && s.chars().allMatch(Character::isDigit);
    }

    private static boolean ipv6(String bracketed) {
        String inner = bracketed.substring(1, bracketed.length() - 1);
        try {
            // A literal with ':' is parsed, never looked up.
            return inner.indexOf(':') >= 0 && InetAddress.getByName(inner) != null;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A value shown in a message: at most 100 characters, printable ASCII only. */
    static String truncate(String value) {
        if (value == null) {
            return "";
        }
        String v = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
