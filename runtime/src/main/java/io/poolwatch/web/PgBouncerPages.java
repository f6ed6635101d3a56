package io.poolwatch.web;

import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.poolwatch.web.DashboardModel.Page;
import io.poolwatch.web.PgBouncerViews.PgBouncerPage;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * {@code GET /pgbouncers/{name}}: one PgBouncer's page (up or down with the reason, client connections against
 * {@code max_client_conn}, and its pools), whose live part refreshes on the sampling interval ({@code ?fragment=live}).
 */
@Singleton
@RootedPath("/pgbouncers")
@Produces(MediaType.TEXT_HTML)
public class PgBouncerPages {

    @CheckedTemplate
    public static class Templates {
        public static native TemplateInstance pgbouncer(Page page, PgBouncerPage bouncer);

        public static native TemplateInstance pgbouncer$live(Page page, PgBouncerPage bouncer);
    }

    private final DashboardViews views;
    private final PgBouncerViews bouncers;

    PgBouncerPages(DashboardViews views, PgBouncerViews bouncers) {
        this.views = views;
        this.bouncers = bouncers;
    }

    @GET
    @Path("{name}")
    public Response pgbouncer(@PathParam("name") String name, @QueryParam("fragment") String fragment) {
        Optional<PgBouncerPage> view = bouncers.page(name);
        if (view.isEmpty()) {
            return HtmlPages.notFound(views.page("Not found", "", null), HtmlPages.named("PgBouncer", name));
        }
        Page page = views.page("PgBouncer " + name, "pgbouncer", null);
        return HtmlPages.withLivePart(page, fragment, () -> Templates.pgbouncer(page, view.get()),
                () -> Templates.pgbouncer$live(page, view.get()));
    }
}
