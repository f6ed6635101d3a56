package io.poolwatch.web;

import java.security.Principal;
import java.util.Locale;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import io.poolwatch.config.RootPath;
import io.poolwatch.security.Access;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * Changes to poolwatch's own resources ({@link RootedPath}) come from poolwatch's own pages or from API clients, never
 * from a page elsewhere that a browser was made to submit:
 * <ul>
 * <li>A form ({@code application/x-www-form-urlencoded} or {@code multipart/form-data}) must carry, in its
 * {@value #FIELD} field, the token its page was rendered with ({@link CsrfTokens}: signed by the server for the
 * {@value #COOKIE} cookie, the user and an expiry). Without it the form is refused (400) before the action runs.</li>
 * <li>Anything else that changes something (POST, PUT, PATCH, DELETE) must say {@code Content-Type: application/json},
 * with or without a body: a browser sends that to another site only after asking it (CORS), which poolwatch never
 * grants. A {@code text/plain} body or none at all is refused (415; 400 on the dashboard's form actions), whether or
 * not the request says where it comes from.</li>
 * </ul>
 * A page's answer sets the cookie ({@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} over TLS, path the root)
 * when the browser has none.
 * <p>
 * Quarkus REST's own CSRF filter (quarkus-rest-csrf) checks every form of the whole application and sets its cookie on
 * every page; inside a host application that would refuse the host's own forms. This one is bound to the resources
 * poolwatch registers and leaves the host's requests alone.
 */
public class CsrfProtection {

    private final CurrentVertxRequest current;
    private final CsrfTokens tokens;

    CsrfProtection(CurrentVertxRequest current, CsrfTokens tokens) {
        this.current = current;
        this.tokens = tokens;
    }

    /** The cookie that carries the browser's random value. */
    public static final String COOKIE = "poolwatch-csrf";
    /** The form field that carries the page's token. */
    public static final String FIELD = "_csrf";
    /** What a refused dashboard form answers. */
    public static final String MESSAGE = "The form's security token is missing or out of date: reload the page and try again.";
    /** What a form sent to the API answers. */
    public static final String API_MESSAGE = "A form (application/x-www-form-urlencoded or multipart/form-data) must carry the CSRF token "
            + "of a dashboard page; API clients send Content-Type: application/json instead, with or without a body.";

    /** Where the request's cookie and principal wait for the templates ({@link FormToken}), and whether the cookie is new. */
    static final String COOKIE_VALUE = "poolwatch.csrf.cookie";
    static final String PRINCIPAL = "poolwatch.csrf.principal";
    static final String NEW = "poolwatch.csrf.new";

    /** A page's request: the cookie the browser has, or a new one the answer will set. */
    @ServerRequestFilter
    public void token(ResteasyReactiveContainerRequestContext request, SimpleResourceInfo resource) {
        if (!OwnResources.ours(resource) || !Access.isSafe(request.getMethod())) {
            return;
        }
        RoutingContext rc = current.getCurrent();
        String cookie = cookie(rc);
        if (cookie == null) {
            cookie = tokens.newCookie();
            rc.put(NEW, Boolean.TRUE);
        }
        rc.put(COOKIE_VALUE, cookie);
        rc.put(PRINCIPAL, principal(request));
    }

    /** A change: a form with its page's token, or JSON; anything else is refused before the resource method runs. */
    @ServerRequestFilter(readBody = true)
    public Response verify(ResteasyReactiveContainerRequestContext request, SimpleResourceInfo resource) {
        if (!OwnResources.ours(resource) || Access.isSafe(request.getMethod())) {
            return null;
        }
        RoutingContext rc = current.getCurrent();
        MediaType type = request.getMediaType();
        boolean action = RootPath.relative(rc.normalizedPath()).startsWith("/actions/");
        if (isForm(type)) {
            String cookie = cookie(rc);
            String principal = principal(request);
            Object field = ((ResteasyReactiveRequestContext) request.getServerRequestContext()).getFormParameter(FIELD, true,
                    false);
            if (field instanceof String f && tokens.verify(principal, cookie, f)) {
                // A refused form is answered with the page again: its forms get a token for the same cookie.
                rc.put(COOKIE_VALUE, cookie);
                rc.put(PRINCIPAL, principal);
                return null;
            }
            return action ? Response.status(400).type(MediaType.TEXT_PLAIN_TYPE).entity(MESSAGE).build()
                    : Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(API_MESSAGE, 400)).build();
        }
        if (isJson(type)) {
            return null;
        }
        if (action) {
            // The dashboard's actions take forms only: without one, the token is what is missing.
            return Response.status(400).type(MediaType.TEXT_PLAIN_TYPE).entity(MESSAGE).build();
        }
        String sent = type == null ? "none" : (type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT);
        return Response.status(Response.Status.UNSUPPORTED_MEDIA_TYPE).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(request.getMethod() + " " + RootPath.relative(rc.normalizedPath()) + ": Content-Type="
                        + sent
                        + " is not accepted for a change; accepted: Content-Type: application/json (API clients, with or without a "
                        + "body), or a dashboard form with its page's CSRF token", 415))
                .build();
    }

    /** The answer to a page that had no cookie sets it. */
    @ServerResponseFilter
    public void setCookie(ContainerResponseContext response, SimpleResourceInfo resource) {
        RoutingContext rc = current.getCurrent();
        if (!OwnResources.ours(resource) || rc == null || rc.get(NEW) == null) {
            return;
        }
        // Vert.x writes the header in the usual form (no Version attribute). Over plain HTTP (loopback) a Secure cookie
        // would never come back.
        response.getHeaders().add(HttpHeaders.SET_COOKIE, Cookie.cookie(COOKIE, rc.get(COOKIE_VALUE)).setPath(RootPath.root())
                .setHttpOnly(true).setSecure(rc.request().isSSL()).setSameSite(CookieSameSite.STRICT).encode());
    }

    /** The request's cookie when it has the form of one; anything else counts as none. */
    private static String cookie(RoutingContext rc) {
        var cookie = rc.request().getCookie(COOKIE);
        String value = cookie == null ? null : cookie.getValue();
        return CsrfTokens.isCookie(value) ? value : null;
    }

    /** Who asks: the authenticated principal's name, or empty when anonymous. */
    private static String principal(ContainerRequestContext request) {
        Principal p = request.getSecurityContext() == null ? null : request.getSecurityContext().getUserPrincipal();
        return p == null || p.getName() == null ? "" : p.getName();
    }

    private static boolean isForm(MediaType type) {
        return type != null && !type.isWildcardType() && !type.isWildcardSubtype()
                && (type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                        || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE));
    }

    /** {@code application/json} or {@code application/<something>+json}; never a wildcard. */
    static boolean isJson(MediaType type) {
        if (type == null || type.isWildcardType() || type.isWildcardSubtype()
                || !"application".equalsIgnoreCase(type.getType())) {
            return false;
        }
        String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
        return subtype.equals("json") || subtype.endsWith("+json");
    }
}
