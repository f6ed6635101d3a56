package io.poolwatch.security;

import java.net.URI;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.config.RootPath;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * The one HTTP permission every path under the root goes through ({@code quarkus.http.auth.permission.poolwatch}): the
 * role {@link Access} requires for the request's method and {@linkplain RequestPath normalised} path (a path the table
 * does not name is refused), the metrics setting, and a same-origin rule for requests that change something. Requests
 * that reach one of poolwatch's resources are decided once more on the resource the router matched
 * ({@link io.poolwatch.web.MatchedEndpointCheck}).
 * <p>
 * A denied request without credentials gets the authentication challenge (401); with credentials but without the role,
 * 403. Changes (POST, DELETE ...) sent by a browser from another origin are refused whoever sends them: the dashboard's
 * forms also carry a CSRF token, and this covers the JSON API, which a browser holding basic credentials would
 * otherwise let any page call.
 */
@ApplicationScoped
public class AccessPolicy implements HttpSecurityPolicy {

    /** The role that may read: the dashboard and the read API (poolwatch.security.viewer-roles maps others to it). */
    public static final String VIEWER = "viewer";
    /**
     * The role that may act: resets, check runs, silences, simulator faults, the audit log (poolwatch.security.admin-roles).
     */
    public static final String ADMIN = "admin";

    private final SecurityMode mode;

    AccessPolicy(SecurityMode mode) {
        this.mode = mode;
    }

    @Override
    public String name() {
        return "poolwatch";
    }

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
            AuthorizationRequestContext context) {
        String method = request.request().method().name();
        // Normally RequestGate has normalised the path already; otherwise (a path it did not see as poolwatch's) here.
        String path = RequestGate.relativePath(request);
        if (path == null) {
            try {
                path = RootPath.relative(RequestPath.normalize(request.request().path()));
            } catch (RequestPath.UnclearPathException e) {
                return CheckResult.deny();
            }
        }
        Access access = Access.required(method, path, RootPath.root().equals("/"));
        if (!Access.isSafe(method) && crossOrigin(request)) {
            return CheckResult.deny();
        }
        return decide(access, request, identity);
    }

    /** Whether a request that needs {@code access} may go on, by the configured mode and the caller's roles. */
    public Uni<CheckResult> decide(Access access, RoutingContext request, Uni<SecurityIdentity> identity) {
        SecurityMode.Decision decision = mode.decision();
        switch (access) {
            case OPEN:
                return CheckResult.permit();
            case METRICS:
                switch (decision.metrics()) {
                    case OPEN:
                        return CheckResult.permit();
                    case TOKEN:
                        return decision.metricsTokenMatches(bearer(request)) ? CheckResult.permit() : CheckResult.deny();
                    default:
                        return decision.anonymous() ? CheckResult.permit()
                                : identity.map(id -> decision.viewer(id) ? CheckResult.PERMIT : CheckResult.DENY);
                }
            case VIEWER:
                return decision.anonymous() ? CheckResult.permit()
                        : identity.map(id -> decision.viewer(id) ? CheckResult.PERMIT : CheckResult.DENY);
            case ADMIN:
                return decision.anonymous() ? CheckResult.permit()
                        : identity.map(id -> decision.admin(id) ? CheckResult.PERMIT : CheckResult.DENY);
            case DEV:
                if (LaunchMode.current() != LaunchMode.DEVELOPMENT) {
                    return CheckResult.deny();
                }
                return decision.anonymous() ? CheckResult.permit()
                        : identity.map(id -> decision.admin(id) ? CheckResult.PERMIT : CheckResult.DENY);
            default:
                return CheckResult.deny();
        }
    }

    private static String bearer(RoutingContext request) {
        String header = request.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }

    /**
     * Whether a browser sent this from a page of another origin: {@code Sec-Fetch-Site: cross-site} or
     * {@code same-site}, or an {@code Origin} whose host and port are not this request's {@code Host}. Clients that
     * are not browsers (curl, scripts) send neither and are not affected.
     */
    public static boolean crossOrigin(RoutingContext request) {
        String site = request.request().getHeader("Sec-Fetch-Site");
        if (site != null) {
            String s = site.toLowerCase(Locale.ROOT);
            if (s.equals("cross-site") || s.equals("same-site")) {
                return true;
            }
        }
        String origin = request.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return false;
        }
        return !sameOrigin(origin, request.request().getHeader(HttpHeaders.HOST));
    }

    /** Whether an Origin header names the same host and port as a Host header. */
    static boolean sameOrigin(String origin, String host) {
        if (host == null || origin.equals("null")) {
            return false;
        }
        try {
            URI o = URI.create(origin.trim());
            if (o.getHost() == null) {
                return false;
            }
            int port = o.getPort() >= 0 ? o.getPort() : ("https".equalsIgnoreCase(o.getScheme()) ? 443 : 80);
            URI h = URI.create("http://" + host.trim());
            int hostPort = h.getPort() >= 0 ? h.getPort() : port;
            return o.getHost().equalsIgnoreCase(h.getHost()) && port == hostPort;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
