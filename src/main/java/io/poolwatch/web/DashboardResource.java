package io.poolwatch.web;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.poolwatch.pool.PoolRegistry;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The overview page: one card per workload pool. */
@Path("/")
public class DashboardResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(List<PoolView> pools, boolean embedded);
    }

    private final PoolRegistry registry;

    DashboardResource(PoolRegistry registry) {
        this.registry = registry;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance index() {
        return Templates.index(registry.pools().stream().map(p -> PoolView.of(p, null)).toList(), registry.embedded());
    }
}
