package io.poolwatch.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import io.quarkus.csrf.reactive.runtime.CsrfTokenParameterProvider;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/**
 * The CSRF field of the dashboard's forms, for the {@code csrf} tag: the token of Quarkus REST's CSRF filter for the
 * request being answered. A template rendered outside a request (a rendering test) gets an empty token, which the
 * filter would refuse, instead of failing to render.
 */
@ApplicationScoped
@Named("formToken")
public class FormToken {

    private final CsrfTokenParameterProvider csrf;
    private final CurrentVertxRequest request;

    FormToken(@Named("csrf") CsrfTokenParameterProvider csrf, CurrentVertxRequest request) {
        this.csrf = csrf;
        this.request = request;
    }

    /** The form field's name ({@code quarkus.rest-csrf.form-field-name}). */
    public String getParameterName() {
        return csrf.getParameterName();
    }

    /** The token for this request's form, or empty outside a request. */
    public String getToken() {
        return request.getCurrent() == null ? "" : csrf.getToken();
    }
}
