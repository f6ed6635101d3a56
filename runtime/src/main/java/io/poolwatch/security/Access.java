package io.poolwatch.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a request needs, decided by its method and its {@linkplain RequestPath normalised} path (as seen from
 * {@code poolwatch.http.root-path}): one table that names every endpoint poolwatch serves, method and path template,
 * so the role boundaries can be read (and tested) in one place. A path the table does not name is {@link #DENY}, and
 * so is a resource method it does not name ({@link #forEndpoint}): a new endpoint stays closed until it is given a line
 * here.
 * <p>
 * Path templates are the resources' own: {@code {name}} stands for one non-empty segment, as in the JAX-RS
 * {@code @Path}; a template ending in {@code /**} names a prefix and everything below it (health, metrics, static files,
 * dev paths, served by Vert.x routes rather than resources). {@code HEAD} is answered as {@code GET}. When several lines
 * match (a literal and a template segment), the strictest wins.
 */
public enum Access {
    /** Anyone, without credentials. */
    OPEN,
    /** Prometheus: open, a bearer token, or a viewer, by configuration. */
    METRICS,
    /** The viewer or admin role. */
    VIEWER,
    /** The admin role. */
    ADMIN,
    /** Quarkus's dev paths: as {@link #ADMIN} in dev mode, refused in any other. */
    DEV,
    /** Refused: nothing poolwatch serves is there. */
    DENY;

    /** One line of the table: a method, a path template relative to the root, and what it needs. */
    public record Rule(String method, String template, Access access) {
    }

    /** Every endpoint under the root. Keep in step with the resources (AccessControlTest and PathVariantsTest check). */
    static final List<Rule> TABLE = List.of(
            // The dashboard (io.poolwatch.web.DashboardResource).
            rule("GET", "/", VIEWER),
            rule("GET", "/pools/{name}", VIEWER),
            rule("GET", "/alerts", VIEWER),
            rule("GET", "/checks", VIEWER),
            rule("GET", "/pgbouncers/{name}", VIEWER), // io.poolwatch.web.PgBouncerPages
            rule("GET", "/applications/{name}", VIEWER), // io.poolwatch.web.ApplicationPages
            rule("POST", "/actions/pools/{name}/reset-metrics", ADMIN),
            rule("POST", "/actions/checks/{name}/run", ADMIN),
            rule("POST", "/actions/silences", ADMIN),
            rule("POST", "/actions/silences/{id}/expire", ADMIN),
            rule("POST", "/actions/faults", ADMIN),
            // Who blocks whom (io.poolwatch.web.BlockingPages).
            rule("GET", "/blocking", VIEWER),
            // The JSON API (io.poolwatch.web.*Resource).
            rule("GET", "/api/v1/health", VIEWER),
            rule("GET", "/api/v1/pools", VIEWER),
            rule("GET", "/api/v1/pools/{name}", VIEWER),
            rule("GET", "/api/v1/pools/{name}/leaks", VIEWER),
            rule("GET", "/api/v1/pools/{name}/trends", VIEWER),
            rule("POST", "/api/v1/pools/{name}/reset-metrics", ADMIN),
            rule("GET", "/api/v1/database/pool/status", VIEWER),
            rule("POST", "/api/v1/database/pool/reset-metrics", ADMIN),
            rule("GET", "/api/v1/database/pool/health", VIEWER),
            rule("GET", "/api/v1/trends", VIEWER),
            rule("GET", "/api/v1/alerts", VIEWER),
            rule("GET", "/api/v1/alerts/rules", VIEWER),
            rule("GET", "/api/v1/alerts/receivers", VIEWER),
            rule("GET", "/api/v1/silences", VIEWER),
            rule("POST", "/api/v1/silences", ADMIN),
            rule("DELETE", "/api/v1/silences/{id}", ADMIN),
            rule("GET", "/api/v1/replicas", VIEWER),
            rule("GET", "/api/v1/replicas/{workload}", VIEWER),
            rule("GET", "/api/v1/checks", VIEWER),
            rule("GET", "/api/v1/checks/{name}", VIEWER),
            rule("POST", "/api/v1/checks/{name}/run", ADMIN),
            rule("GET", "/api/v1/server", VIEWER),
            rule("GET", "/api/v1/blocking", VIEWER),
            rule("GET", "/api/v1/pgbouncers", VIEWER),
            rule("GET", "/api/v1/pgbouncers/{name}", VIEWER),
            rule("GET", "/api/v1/applications", VIEWER),
            rule("GET", "/api/v1/applications/{name}", VIEWER),
            rule("GET", "/api/v1/cluster", VIEWER),
            rule("GET", "/api/v1/audit", ADMIN),
            // The standalone service's simulator (io.poolwatch.simulator.SimulatorResource); absent in a host.
            rule("GET", "/api/v1/simulator", VIEWER),
            rule("POST", "/api/v1/simulator/start", ADMIN),
            rule("POST", "/api/v1/simulator/stop", ADMIN),
            rule("GET", "/api/v1/simulator/faults", VIEWER),
            rule("POST", "/api/v1/simulator/faults/{kind}", ADMIN),
            // The dashboard's static files.
            rule("GET", "/static/**", VIEWER),
            // Below here only where the root is '/' (the standalone service): Quarkus's own paths.
            rule("*", "/q/health/**", OPEN), // probes: open whatever the method (only GET and HEAD are answered)
            rule("GET", "/q/metrics/**", METRICS),
            // The OpenAPI document of the JSON API and, in dev mode, Swagger UI (quarkus-smallrye-openapi): read like the
            // API they describe. The document is served in three spellings besides its own path.
            rule("GET", "/q/openapi", VIEWER),
            rule("GET", "/q/openapi.json", VIEWER),
            rule("GET", "/q/openapi.yaml", VIEWER),
            rule("GET", "/q/openapi.yml", VIEWER),
            rule("GET", "/q/swagger-ui/**", VIEWER),
            rule("*", "/q/**", DEV));

    /** Methods that only read. */
    static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    /** The table's lines. */
    public static List<Rule> table() {
        return TABLE;
    }

    /** {@link #required(String, String, boolean)} where the root is '/' (the standalone service). */
    public static Access required(String method, String path) {
        return required(method, path, true);
    }

    /**
     * What a request with this method and normalised, root-relative path needs; {@link #DENY} if no line names the
     * path. A path named only for other methods needs its strictest line's role, and at least the admin role for a
     * method that changes something: the router then answers 405, and nothing unnamed runs.
     *
     * @param atRoot whether poolwatch's root is '/': only then are Quarkus's {@code /q/} paths below it
     */
    public static Access required(String method, String path, boolean atRoot) {
        String m = canonicalMethod(method);
        String p = path == null || path.isEmpty() ? "/" : path;
        if (!atRoot && (p.equals("/q") || p.startsWith("/q/"))) {
            return DENY;
        }
        List<Rule> candidates = new ArrayList<>();
        for (Rule rule : TABLE) {
            if (matches(rule.template(), p)) {
                candidates.add(rule);
            }
        }
        // "/q/**" is the fallback for Quarkus's paths: a more specific line (health, metrics) decides before it.
        if (candidates.stream().anyMatch(r -> r.access() != DEV)) {
            candidates.removeIf(r -> r.access() == DEV);
        }
        if (candidates.isEmpty()) {
            return DENY;
        }
        Access named = null;
        Access any = null;
        for (Rule rule : candidates) {
            any = any == null ? rule.access() : stricter(any, rule.access());
            if (rule.method().equals("*") || rule.method().equals(m)) {
                named = named == null ? rule.access() : stricter(named, rule.access());
            }
        }
        return named != null ? named : stricter(any, isSafe(m) ? VIEWER : ADMIN);
    }

    /**
     * What the endpoint the router matched needs: the line with exactly this method and template, or {@link #DENY}
     * (an endpoint added without a line here stays closed).
     */
    public static Access forEndpoint(String method, String template) {
        String m = canonicalMethod(method);
        for (Rule rule : TABLE) {
            if (rule.method().equals(m) && rule.template().equals(template)) {
                return rule.access();
            }
        }
        return DENY;
    }

    private static String canonicalMethod(String method) {
        String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
        return m.equals("HEAD") ? "GET" : m;
    }

    /** Whether a path template names this path (templates and paths both start with '/'). */
    static boolean matches(String template, String path) {
        if (template.endsWith("/**")) {
            String prefix = template.substring(0, template.length() - 3);
            return path.equals(prefix) || path.startsWith(prefix + "/");
        }
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (template.equals("/") || path.equals("/")) {
            return template.equals(path);
        }
        if (t.length != p.length) {
            return false;
        }
        for (int i = 1; i < t.length; i++) {
            boolean variable = t[i].startsWith("{") && t[i].endsWith("}");
            if (variable ? p[i].isEmpty() : !t[i].equals(p[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether a method only reads. */
    public static boolean isSafe(String method) {
        return method != null && SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT));
    }

    private static Access stricter(Access a, Access b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    private static Rule rule(String method, String template, Access access) {
        return new Rule(method, template, access);
    }
}
