package io.poolwatch.web;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.mapping.RuntimeResource;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import io.poolwatch.config.RootPath;
import io.poolwatch.security.Access;
import io.poolwatch.security.AccessPolicy;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Access decided on what the router dispatched: once Quarkus REST has matched one of poolwatch's resources
 * ({@link RootedPath}), the matched method's path template (the resource's {@code @Path}s, as the router used them) is
 * looked up in {@link Access}'s table and the caller checked against it, as {@link AccessPolicy} does.
 * <p>
 * {@link AccessPolicy} decides on the request's path before routing, and covers what is not a resource (static files,
 * health, metrics). That decision depends on reading the path as the router will; this one does not: however a path
 * is spelt (matrix parameters, encodings, dot segments, a spelling that a permission's path pattern does not
 * recognise), the endpoint that runs is the one decided on. An endpoint the table does not name is refused (403).
 */
public class MatchedEndpointCheck {

    private final AccessPolicy policy;
    /** Unresolvable in an application without Quarkus security: then nobody is authenticated, and poolwatch is anonymous. */
    private final Instance<CurrentIdentityAssociation> identities;
    private final CurrentVertxRequest current;

    MatchedEndpointCheck(AccessPolicy policy, Instance<CurrentIdentityAssociation> identities,
            CurrentVertxRequest current) {
        this.policy = policy;
        this.identities = identities;
        this.current = current;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Uni<Response> check(ResteasyReactiveContainerRequestContext request, SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null
                || !resource.getResourceClass().isAnnotationPresent(RootedPath.class)) {
            return Uni.createFrom().nullItem();
        }
        RuntimeResource target = ((ResteasyReactiveRequestContext) request.getServerRequestContext()).getTarget();
        String template = RootPath.relative(template(target));
        String method = request.getMethod();
        Access access = Access.forEndpoint(method, template);
        RoutingContext rc = current.getCurrent();
        if (access == Access.DENY || !Access.isSafe(method) && AccessPolicy.crossOrigin(rc)) {
            return Uni.createFrom().failure(new ForbiddenException());
        }
        Uni<SecurityIdentity> identity = identities.isResolvable() ? identities.get().getDeferredIdentity()
                : Uni.createFrom().nullItem();
        return policy.decide(access, rc, identity).flatMap(result -> result.isPermitted()
                ? Uni.createFrom().<Response> nullItem()
                : identity.onItem().transformToUni(id -> Uni.createFrom()
                        .failure(id == null || id.isAnonymous() ? new UnauthorizedException() : new ForbiddenException())));
    }

    /** The matched method's full path template: the class's path (the root included) and the method's. */
    static String template(RuntimeResource target) {
        String classPath = target.getClassPath() == null ? "" : target.getClassPath().template;
        String methodPath = target.getPath() == null ? "" : target.getPath().template;
        String joined = ("/" + classPath + "/" + methodPath).replaceAll("/{2,}", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
