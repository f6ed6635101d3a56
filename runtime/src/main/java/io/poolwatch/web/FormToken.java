package io.poolwatch.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The CSRF field of the dashboard's forms, for the {@code csrf} tag: a token {@link CsrfTokens} signs for the request's
 * cookie and user ({@link CsrfProtection} found both), made once per answer. A template rendered outside a request (a
 * rendering test) gets an empty token, which would be refused, instead of failing to render.
 */
@ApplicationScoped
@Named("formToken")
public class FormToken {

    /** Where the answer's token is kept once made, so every form of a page carries the same one. */
    private static final String TOKEN = "poolwatch.csrf.token";

    private final CurrentVertxRequest request;
    private final CsrfTokens tokens;

    FormToken(CurrentVertxRequest request, CsrfTokens tokens) {
        this.request = request;
        this.tokens = tokens;
    }

    /** The form field's name. */
    public String getParameterName() {
        return CsrfProtection.FIELD;
    }

    /** The token for this request's forms, or empty outside a request. */
    public String getToken() {
        RoutingContext rc = request.getCurrent();
        if (rc == null || rc.get(CsrfProtection.COOKIE_VALUE) == null) {
            return "";
        }
        String token = rc.get(TOKEN);
        if (token == null) {
            token = tokens.issue(rc.get(CsrfProtection.PRINCIPAL), rc.get(CsrfProtection.COOKIE_VALUE));
            rc.put(TOKEN, token);
        }
        return token;
    }
}
