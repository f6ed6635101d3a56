package io.poolwatch.security;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.RootPath;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

/**
 * The first thing every request under {@code poolwatch.http.root-path} meets, before CORS and authentication:
 * <ol>
 * <li>its {@code Host} must be one of {@code poolwatch.http.allowed-hosts} ({@link AllowedHosts}), or it is refused
 * with 421 Misdirected Request (DNS rebinding);</li>
 * <li>its path must normalise unambiguously ({@link RequestPath}), or it is refused with 400;</li>
 * <li>the normalised path must be one {@link Access}'s table names, or it is answered 404: whatever else the
 * application would serve there (a file, a route added later) is not reached.</li>
 * </ol>
 * The normalised path, relative to the root, is kept on the request for {@link AccessPolicy}, so access is decided on
 * the path the router dispatches. A host application's own paths are left as they are.
 */
@ApplicationScoped
public class RequestGate {

    /** Runs before CORS (300) and authentication (200): a refused Host gets no challenge and no CORS answer. */
    static final int PRIORITY = SecurityHandlerPriorities.CORS + 100;
    /** The routing context's key for the normalised, root-relative path. */
    static final String PATH = "poolwatch.path";

    private final AllowedHosts hosts;

    RequestGate(PoolwatchConfig config) {
        try {
            this.hosts = AllowedHosts.of(config.http().allowedHosts());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(List.of(e.getMessage()));
        }
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    void handle(RoutingContext rc) {
        String raw = rc.request().path();
        if (!ours(raw, rc.normalizedPath())) {
            rc.next();
            return;
        }
        String host = host(rc);
        if (!hosts.allows(host)) {
            // The configured names are not shown: a rebinding page can read this answer.
            refuse(rc, 421, "Host '" + AllowedHosts.truncate(host) + "' is not one this poolwatch answers to; a deployment "
                    + "reached by that name lists it in " + AllowedHosts.KEY);
            return;
        }
        String path;
        try {
            path = RequestPath.normalize(raw);
        } catch (RequestPath.UnclearPathException e) {
            refuse(rc, 400, "path '" + shown(raw) + "' is refused: " + e.getMessage()
                    + "; accepted: a path whose segments are not empty, '.', '..' or encoded '/', '\\', ';', '%'");
            return;
        }
        String relative = RootPath.relative(path);
        if (Access.required(rc.request().method().name(), relative, RootPath.root().equals("/")) == Access.DENY) {
            // Default deny: nothing the access table does not name is reached, whoever asks.
            refuse(rc, 404, "nothing is served at '" + shown(raw) + "'");
            return;
        }
        rc.put(PATH, relative);
        rc.next();
    }

    /** The Host header, or over HTTP/2 the :authority; null when the request has neither. */
    static String host(RoutingContext rc) {
        String host = rc.request().getHeader(HttpHeaders.HOST);
        if (host == null && rc.request().authority() != null) {
            HostAndPort a = rc.request().authority();
            host = a.port() >= 0 ? a.host() + ":" + a.port() : a.host();
        }
        return host;
    }

    /** The root-relative, normalised path of a request under the root, or null if it did not come through here. */
    static String relativePath(RoutingContext rc) {
        return rc.get(PATH);
    }

    /**
     * Whether a path is poolwatch's: under the root as the router may read it (matrix parameters, encoding, dot
     * segments and doubled slashes resolved leniently), so no spelling of a poolwatch path slips past as a host's.
     */
    static boolean ours(String raw, String normalized) {
        if (RootPath.root().equals("/")) {
            return true;
        }
        return RootPath.under(raw) || normalized != null && RootPath.under(normalized) || RootPath.under(lenient(raw));
    }

    /** Matrix parameters dropped, percent-decoding and dot segments applied, empty segments dropped; never fails. */
    static String lenient(String raw) {
        ArrayDeque<String> segments = new ArrayDeque<>();
        for (String part : (raw == null ? "" : raw).split("/")) {
            int semicolon = part.indexOf(';');
            String s = semicolon >= 0 ? part.substring(0, semicolon) : part;
            try {
                s = URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // keep it as sent
            }
            for (String sub : s.split("[/\\\\]")) {
                if (sub.isEmpty() || sub.equals(".")) {
                    continue;
                }
                if (sub.equals("..")) {
                    segments.pollLast();
                } else {
                    segments.addLast(sub);
                }
            }
        }
        return "/" + String.join("/", segments);
    }

    /** A raw path for a message: at most 100 characters, and none that markup or a terminal would read as more than text. */
    static String shown(String raw) {
        String t = AllowedHosts.truncate(raw);
        StringBuilder b = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            b.append(Character.isLetterOrDigit(c) || "-._~%/;=+:@!$*,()".indexOf(c) >= 0 ? c : '?');
        }
        return b.toString();
    }

    private static void refuse(RoutingContext rc, int status, String message) {
        rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(new JsonObject().put("error", message).put("status", status).encode());
    }
}
