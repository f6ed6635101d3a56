package io.poolwatch.security;

import java.util.Locale;
import java.util.Set;

/**
 * What a request needs, decided by its method and path alone: one table for every endpoint, so the role boundaries
 * can be read (and tested) in one place.
 * <ul>
 * <li>{@code /q/health} and below: open, for the kubelet.</li>
 * <li>{@code /q/metrics} and below: as {@code poolwatch.security.metrics} says.</li>
 * <li>Any method that changes something (POST, PUT, PATCH, DELETE ...): admin.</li>
 * <li>The audit log: admin.</li>
 * <li>Everything else (dashboard pages, the read API, static files): viewer.</li>
 * </ul>
 */
public enum Access {
    /** Anyone, without credentials. */
    OPEN,
    /** Prometheus: open, a bearer token, or a viewer, by configuration. */
    METRICS,
    /** The viewer or admin role. */
    VIEWER,
    /** The admin role. */
    ADMIN;

    /** Methods that only read. */
    static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    /** What a request with this method and (normalized) path needs. */
    public static Access required(String method, String path) {
        String p = path == null || path.isEmpty() ? "/" : path;
        if (under(p, "/q/health")) {
            return OPEN;
        }
        if (under(p, "/q/metrics")) {
            return METRICS;
        }
        if (!isSafe(method)) {
            return ADMIN;
        }
        if (under(p, "/api/v1/audit")) {
            return ADMIN;
        }
        return VIEWER;
    }

    /** Whether a method only reads. */
    public static boolean isSafe(String method) {
        return method != null && SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT));
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
