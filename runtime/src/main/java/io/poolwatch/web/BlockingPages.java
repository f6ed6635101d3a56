package io.poolwatch.web;

import java.util.List;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.poolwatch.web.BlockingViews.DatabaseTree;
import io.poolwatch.web.DashboardModel.Page;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The dashboard's blocking page ({@code GET /blocking}): for each watched database, who blocks whom as nested lists,
 * each session with its pid, application, user, state, how long it waited or held, and its query with literals masked.
 * Its section refreshes on the sampling interval ({@code ?fragment=trees}).
 */
@Singleton
@RootedPath("/blocking")
@Produces(MediaType.TEXT_HTML)
public class BlockingPages {

    @CheckedTemplate
    public static class Templates {
        public static native TemplateInstance index(Page page, boolean enabled, List<DatabaseTree> databases);

        public static native TemplateInstance index$trees(Page page, boolean enabled, List<DatabaseTree> databases);
    }

    private final DashboardViews views;
    private final BlockingViews blocking;

    BlockingPages(DashboardViews views, BlockingViews blocking) {
        this.views = views;
        this.blocking = blocking;
    }

    @GET
    public Response index(@QueryParam("fragment") String fragment) {
        Page page = views.page("Blocking", "blocking", null);
        List<DatabaseTree> trees = blocking.trees();
        if (fragment != null) {
            if (!"trees".equals(fragment)) {
                return HtmlPages.notFound(page, HtmlPages.named("fragment", fragment));
            }
            return HtmlPages.html(Templates.index$trees(page, blocking.enabled(), trees));
        }
        return HtmlPages.html(Templates.index(page, blocking.enabled(), trees));
    }

}
