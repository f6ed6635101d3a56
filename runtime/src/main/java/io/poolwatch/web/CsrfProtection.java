package io.poolwatch.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

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
 * CSRF tokens of the dashboard's forms, a double-submit cookie, on poolwatch's own resources only: a page sets the
 * cookie {@value #COOKIE} ({@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} over TLS, path the root) and writes
 * the same random token into each form's {@value #FIELD} field; a form posted to poolwatch must carry both, equal.
 * <p>
 * Quarkus REST's own CSRF filter (quarkus-rest-csrf) checks every form of the whole application and sets its cookie on
 * every page; inside a host application that would refuse the host's own forms. This one is bound to the resources
 * poolwatch registers ({@link RootedPath}) and leaves the host's requests alone. Requests that are not forms (JSON, no
 * body) are not browser forms another site can post; {@code AccessPolicy} refuses changes sent from another origin.
 */
public class CsrfProtection {

    private final CurrentVertxRequest current;

    CsrfProtection(CurrentVertxRequest current) {
        this.current = current;
    }

    /** The cookie that carries the token. */
    public static final String COOKIE = "poolwatch-csrf";
    /** The form field that carries it back. */
    public static final String FIELD = "_csrf";
    /** What a refused dashboard form answers. */
    public static final String MESSAGE = "The form's security token is missing or out of date: reload the page and try again.";
    /** What a form sent to the API answers. */
    public static final String API_MESSAGE = "A form (application/x-www-form-urlencoded or multipart/form-data) must carry the CSRF token "
            + "of a dashboard page; API clients send JSON, or no body, instead.";

    /** Where the request's token waits for the templates ({@link FormToken}), and whether it is new. */
    static final String TOKEN = "poolwatch.csrf.token";
    static final String NEW = "poolwatch.csrf.new";
    /** 32 random bytes, URL-safe Base64 without padding. */
    private static final int TOKEN_LENGTH = 43;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A page's request: the token of its cookie, or a new one the answer will set. */
    @ServerRequestFilter
    public void token(ResteasyReactiveContainerRequestContext request, SimpleResourceInfo resource) {
        if (!OwnResources.ours(resource) || !Access.isSafe(request.getMethod())) {
            return;
        }
        RoutingContext rc = current.getCurrent();
        String cookie = cookie(rc);
        if (cookie == null) {
            cookie = newToken();
            rc.put(NEW, Boolean.TRUE);
        }
        rc.put(TOKEN, cookie);
    }

    /** A change: a form must carry the cookie's token in its field; other bodies pass (see the class comment). */
    @ServerRequestFilter(readBody = true)
    public Response verify(ResteasyReactiveContainerRequestContext request, SimpleResourceInfo resource) {
        if (!OwnResources.ours(resource) || Access.isSafe(request.getMethod()) || !isForm(request.getMediaType())) {
            return null;
        }
        RoutingContext rc = current.getCurrent();
        String cookie = cookie(rc);
        Object field = ((ResteasyReactiveRequestContext) request.getServerRequestContext()).getFormParameter(FIELD, true, false);
        if (cookie != null && field instanceof String f && MessageDigest.isEqual(cookie.getBytes(StandardCharsets.US_ASCII),
                f.getBytes(StandardCharsets.US_ASCII))) {
            // A refused form is answered with the page again: its forms keep the same token.
            rc.put(TOKEN, cookie);
            return null;
        }
        if (RootPath.relative(rc.normalizedPath()).startsWith("/actions/")) {
            return Response.status(400).type(MediaType.TEXT_PLAIN_TYPE).entity(MESSAGE).build();
        }
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(API_MESSAGE, 400)).build();
    }

    /** The answer to a page that had no token sets it. */
    @ServerResponseFilter
    public void setCookie(ContainerResponseContext response, SimpleResourceInfo resource) {
        RoutingContext rc = current.getCurrent();
        if (!OwnResources.ours(resource) || rc == null || rc.get(NEW) == null) {
            return;
        }
        // Vert.x writes the header in the usual form (no Version attribute). Over plain HTTP (loopback) a Secure cookie
        // would never come back.
        response.getHeaders().add(HttpHeaders.SET_COOKIE, Cookie.cookie(COOKIE, rc.get(TOKEN)).setPath(RootPath.root()).setHttpOnly(true)
                .setSecure(rc.request().isSSL()).setSameSite(CookieSameSite.STRICT).encode());
    }

    /** The request's token cookie when it has the form of one; anything else counts as none. */
    private static String cookie(RoutingContext rc) {
        var cookie = rc.request().getCookie(COOKIE);
        String value = cookie == null ? null : cookie.getValue();
        return value != null && value.length() == TOKEN_LENGTH && value.matches("[A-Za-z0-9_-]+") ? value : null;
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean isForm(MediaType type) {
        return type != null && !type.isWildcardType() && !type.isWildcardSubtype()
                && (type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE) || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE));
    }
}
