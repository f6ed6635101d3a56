package io.poolwatch.config;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Where the dashboard and the JSON API are served: {@code poolwatch.http.root-path}, {@code /q/poolwatch} in a host
 * application (beside {@code /q/health}), {@code /} in the standalone service. The value is fixed when the application
 * is built (the endpoints' paths are set then), like {@code quarkus.smallrye-health.root-path}. Every link the pages
 * and the redirects make goes through {@link #link(String)}, so they work under any root.
 */
public final class RootPath {

    /** The configuration key. */
    public static final String KEY = "poolwatch.http.root-path";
    /** The root in an application that sets none. */
    public static final String DEFAULT = "/q/poolwatch";

    private static volatile String prefix;
    /** The root the application was built with ({@link RootPathRecorder}); none outside a Quarkus application. */
    private static volatile String built;

    private RootPath() {
    }

    /**
     * The root in canonical form: {@code /} or a path that starts with {@code /} and does not end with one.
     *
     * @throws IllegalArgumentException naming the key, the value and what is accepted
     */
    public static String normalize(String value) {
        String v = value == null ? "" : value.trim();
        if (!v.matches("/[A-Za-z0-9._~/-]*") || v.contains("//") || v.matches(".*(^|/)\\.{1,2}(/|$).*")) {
            throw new IllegalArgumentException(
                    KEY + "=" + value + ": accepted: an absolute path of letters, digits, '.', '_', '~', "
                            + "'-' and single '/', such as / or /q/poolwatch");
        }
        return v.length() > 1 && v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
    }

    static void built(String root) {
        built = normalize(root);
        prefix = null;
    }

    /** The root itself, in canonical form: {@code /} or {@code /q/poolwatch} (no trailing '/'). */
    public static String root() {
        String p = prefix();
        return p.equals("/") ? p : p.substring(0, p.length() - 1);
    }

    /** The prefix of every link, ending in '/': {@code /} or {@code /q/poolwatch/}. */
    public static String prefix() {
        String p = prefix;
        if (p == null) {
            String root = built != null ? built
                    : normalize(ConfigProvider.getConfig().getOptionalValue(KEY, String.class).orElse(DEFAULT));
            p = root.equals("/") ? "/" : root + "/";
            prefix = p;
        }
        return p;
    }

    /**
     * A request's path as seen from the root: {@code /q/poolwatch/api/v1/audit} is {@code /api/v1/audit} in a host;
     * a path outside the root (the service's {@code /q/health}) is returned as it is.
     */
    public static String relative(String path) {
        return relative(path, prefix());
    }

    /** {@link #relative(String)} against a given prefix ({@code /} or ending in '/'). */
    static String relative(String path, String prefix) {
        String p = path == null || path.isEmpty() ? "/" : path;
        if (prefix.equals("/")) {
            return p;
        }
        if (p.equals(prefix.substring(0, prefix.length() - 1))) {
            return "/";
        }
        return p.startsWith(prefix) ? p.substring(prefix.length() - 1) : p;
    }

    /** Whether a request's path is the root or below it. */
    public static boolean under(String path) {
        return under(path, prefix());
    }

    /** {@link #under(String)} against a given prefix ({@code /} or ending in '/'). */
    static boolean under(String path, String prefix) {
        return prefix.equals("/")
                || path != null && (path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1)));
    }

    /** A path under the root: {@code link("/pools/main")} is {@code /q/poolwatch/pools/main} in a host. */
    public static String link(String path) {
        return prefix() + (path.startsWith("/") ? path.substring(1) : path);
    }
}
