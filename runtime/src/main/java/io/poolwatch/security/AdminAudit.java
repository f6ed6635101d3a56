package io.poolwatch.security;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.poolwatch.alerting.AuditLog;
import io.poolwatch.config.RootPath;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Every admin action in the audit log: each request under poolwatch's root path that changes something (POST, PUT, PATCH,
 * DELETE), whether it was
 * done or refused, with who asked, from where, what, and the outcome. Recorded when the answer has been sent, so
 * the outcome is the status the caller saw. Query strings are not recorded (they may carry a token by mistake).
 * <p>
 * A flood of refused requests costs the audit next to nothing: {@link AuditLog} counts refused requests (and anonymous
 * ones not done) per window instead of keeping each, bounds every field, and keeps signed-in users' actions apart from
 * them, so no one without the admin role can evict an admin's entries.
 */
@ApplicationScoped
public class AdminAudit {

    /** The audit event type of an admin action. */
    public static final String ADMIN_ACTION = AuditLog.ADMIN_ACTION;

    private final AuditLog audit;

    AdminAudit(AuditLog audit) {
        this.audit = audit;
    }

    /** Installs the handler first on every route, before authentication, so refused requests are recorded too. */
    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::record);
    }

    void record(RoutingContext rc) {
        String method = rc.request().method().name();
        String path = rc.normalizedPath();
        // Only poolwatch's own paths (everything in the standalone service): a host application's writes are its own.
        if (!Access.isSafe(method) && RootPath.under(path)
                && !Access.required(method, RootPath.relative(path)).equals(Access.OPEN)) {
            long started = System.nanoTime();
            rc.addEndHandler(done -> {
                int status = rc.response().getStatusCode();
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("user", user(rc));
                fields.put("from", from(rc));
                fields.put("method", method);
                // Cut before it is kept: a refused request's path is whatever its sender chose.
                fields.put("path", AuditLog.cut(rc.normalizedPath(), AuditLog.MAX_FIELD_LENGTH));
                fields.put("status", status);
                fields.put("outcome", outcome(status, done.succeeded()));
                fields.put("durationMs", (System.nanoTime() - started) / 1_000_000);
                audit.record(ADMIN_ACTION, fields);
            });
        }
        rc.next();
    }

    static String outcome(int status, boolean sent) {
        if (!sent) {
            return "aborted";
        }
        if (status == 401 || status == 403) {
            return "refused";
        }
        if (status >= 500) {
            return "failed";
        }
        if (status >= 400) {
            return "rejected";
        }
        return "done";
    }

    private static String user(RoutingContext rc) {
        if (rc.user() instanceof QuarkusHttpUser u && u.getSecurityIdentity() != null
                && !u.getSecurityIdentity().isAnonymous()) {
            return u.getSecurityIdentity().getPrincipal().getName();
        }
        return "anonymous";
    }

    private static String from(RoutingContext rc) {
        SocketAddress a = rc.request().remoteAddress();
        return a == null ? "unknown" : a.hostAddress();
    }
}
