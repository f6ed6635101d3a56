package io.poolwatch.web;

import java.util.Map;

import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * The security headers of poolwatch's pages and API answers, wherever they are served: a host application's own
 * answers are left as they are. No inline script or style exists, so the policy needs no 'unsafe-inline'. The
 * standalone service also sets the same headers on every path through {@code quarkus.http.header.*}.
 */
public class PageHeaders {

    /** The headers, by name. */
    public static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "same-origin",
            "Cross-Origin-Opener-Policy", "same-origin");

    @ServerResponseFilter
    public void headers(ContainerResponseContext response, SimpleResourceInfo resource) {
        if (OwnResources.ours(resource)) {
            HEADERS.forEach((name, value) -> response.getHeaders().putSingle(name, value));
        }
    }
}
