package io.poolwatch.web;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.UnknownWorkloadException;

/** The workload pools as JSON: configuration in effect and current use. */
@Path("/api/v1/pools")
@Produces(MediaType.APPLICATION_JSON)
public class PoolResource {

    private final PoolRegistry registry;

    PoolResource(PoolRegistry registry) {
        this.registry = registry;
    }

    @GET
    public List<PoolView> list() {
        return registry.pools().stream().map(PoolView::of).toList();
    }

    @GET
    @Path("{name}")
    public PoolView get(@PathParam("name") String name) {
        try {
            return PoolView.of(registry.pool(name));
        } catch (UnknownWorkloadException e) {
            throw new NotFoundException(e.getMessage());
        }
    }
}
