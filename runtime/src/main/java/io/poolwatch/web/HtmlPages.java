package io.poolwatch.web;

import java.util.function.Supplier;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.poolwatch.config.Limits;
import io.quarkus.qute.TemplateInstance;

/** How the dashboard's pages answer: never cached, a 404 page that names what is missing, a page with a live part. */
final class HtmlPages {

    private HtmlPages() {
    }

    /** A page of live figures: a cached copy would show a past state as the present one. */
    static Response html(TemplateInstance t) {
        return Response.ok(t, MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-store").build();
    }

    /** A form refused: the page again, with why. */
    static Response refused(TemplateInstance t) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-store")
                .entity(t).build();
    }

    /** The not-found page, saying what was asked for. */
    static Response notFound(DashboardModel.Page page, String what) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_HTML_TYPE)
                .entity(DashboardResource.Templates.notFound(page, what)).build();
    }

    /** What was asked for, as a not-found page names it: {@code pool 'x'}, the name cut to a bounded length. */
    static String named(String kind, String name) {
        return kind + " '" + Limits.quote(name) + "'";
    }

    /**
     * A page whose live part refreshes on its own ({@code ?fragment=live}): the whole page, that part alone, or a 404
     * for any other fragment.
     */
    static Response withLivePart(DashboardModel.Page page, String fragment, Supplier<TemplateInstance> whole,
            Supplier<TemplateInstance> live) {
        if (fragment == null) {
            return html(whole.get());
        }
        return "live".equals(fragment) ? html(live.get()) : notFound(page, named("fragment", fragment));
    }
}
