package io.poolwatch.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

/**
 * The CSRF seam of the dashboard's admin forms, in one place. Every form renders its hidden field through the
 * {@code csrf} tag ({@code templates/tags/csrf.html}), which reads {@code {inject:csrf.parameterName}} and
 * {@code {inject:csrf.token}}; every form POST is checked by {@link #verify(String)} in
 * {@link DashboardResource}. Until security exists the token is empty and every request passes.
 * <p>
 * The names are those of Quarkus's own CSRF provider ({@code quarkus-rest-csrf}, a bean named {@code csrf} with
 * {@code getParameterName()} and {@code getToken()}): adding that extension with
 * {@code quarkus.rest-csrf.form-field-name=_csrf} and deleting this class turns the check on without touching a template;
 * the extension then verifies the field itself and {@link #verify(String)} goes with this class.
 */
@ApplicationScoped
@Named("csrf")
public class DashboardCsrfToken {

    /** The form field that carries the token. */
    public static final String FIELD = "_csrf";

    /** The form field's name. */
    public String getParameterName() {
        return FIELD;
    }

    /** The token to render into the form; empty while no CSRF protection is configured. */
    public String getToken() {
        return "";
    }

    /** Whether a submitted token is acceptable; always, while no CSRF protection is configured. */
    public boolean verify(String submitted) {
        return true;
    }
}
