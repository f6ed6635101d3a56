package io.poolwatch.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.poolwatch.config.RootPath;
import io.poolwatch.security.Access;

/**
 * Gives the CSRF filter's bare 400 a sentence a person can act on. Quarkus REST's CSRF filter answers a form whose
 * token is missing or does not match its cookie with an empty 400; poolwatch's own refusals always have a body.
 */
public class CsrfRefusal {

    /** What a refused dashboard form answers. */
    public static final String MESSAGE = "The form's security token is missing or out of date: reload the page and try again.";
    /** What a form sent to the API answers. */
    public static final String API_MESSAGE = "A form (application/x-www-form-urlencoded or multipart/form-data) must carry the CSRF token "
            + "of a dashboard page; API clients send JSON, or no body, instead.";

    @ServerResponseFilter
    public void explain(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        // Only poolwatch's own paths: a host application's refusals are its own.
        if (response.getStatus() != 400 || response.hasEntity() || Access.isSafe(request.getMethod()) || !RootPath.under(path)) {
            return;
        }
        if (RootPath.relative(path).startsWith("/actions/")) {
            response.setEntity(MESSAGE, null, MediaType.TEXT_PLAIN_TYPE);
        } else if (isForm(request.getMediaType())) {
            response.setEntity(new ApiError(API_MESSAGE, 400), null, MediaType.APPLICATION_JSON_TYPE);
        }
    }

    private static boolean isForm(MediaType type) {
        return type != null && !type.isWildcardType() && !type.isWildcardSubtype()
                && (type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE) || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE));
    }
}
