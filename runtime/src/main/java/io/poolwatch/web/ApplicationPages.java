package io.poolwatch.web;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.poolwatch.web.ApplicationViews.ApplicationPage;
import io.poolwatch.web.DashboardModel.Page;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The dashboard's page of one application poolwatch watches but does not own: {@code GET /applications/{name}}, its
 * figures on each database and its sessions by state; the {@code live} fragment is refreshed on the sampling interval.
 */
@Singleton
@RootedPath("/applications")
@Produces(MediaType.TEXT_HTML)
public class ApplicationPages {

    @CheckedTemplate
    public static class Templates {
        public static native TemplateInstance application(Page page, ApplicationPage app);

        public static native TemplateInstance application$live(Page page, ApplicationPage app);
    }

    private final DashboardViews views;
    private final ApplicationViews applications;

    ApplicationPages(DashboardViews views, ApplicationViews applications) {
        this.views = views;
        this.applications = applications;
    }

    @GET
    @Path("{name}")
    public Response application(@PathParam("name") String name, @QueryParam("fragment") String fragment) {
        var app = applications.page(name);
        if (app.isEmpty()) {
            return HtmlPages.notFound(views.page("Not found", "", null), HtmlPages.named("application", name));
        }
        Page page = views.page("Application " + name, "application", null);
        return HtmlPages.withLivePart(page, fragment, () -> Templates.application(page, app.get()),
                () -> Templates.application$live(page, app.get()));
    }
}
