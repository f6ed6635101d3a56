package io.poolwatch.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The CSRF field of the dashboard's forms, for the {@code csrf} tag: the token {@link CsrfProtection} chose for the
 * request being answered. A template rendered outside a request (a rendering test) gets an empty token, which would be
 * refused, instead of failing to render.
 */
@ApplicationScoped
@Named("formToken")
public class FormToken {

    private final CurrentVertxRequest request;

    FormToken(CurrentVertxRequest request) {
        this.request = request;
    }

    /** The form field's name. */
    public String getParameterName() {
        return CsrfProtection.FIELD;
    }

    /** The token for this request's forms, or empty outside a request. */
    public String getToken() {
        RoutingContext rc = request.getCurrent();
        Object token = rc == null ? null : rc.get(CsrfProtection.TOKEN);
        return token == null ? "" : token.toString();
    }
}
