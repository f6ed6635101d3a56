package io.poolwatch.web;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/server}: what each database server says about its sessions, poolwatch's own pools joined
 * with the server's view of their sessions, and pool-sizing advice. Answers from the latest samples only.
 */
@Singleton
@RootedPath("/api/v1/server")
@Produces(MediaType.APPLICATION_JSON)
public class ServerResource {

    private final ServerViews views;

    ServerResource(ServerViews views) {
        this.views = views;
    }

    @GET
    public ServerViews.ServerView get() {
        return views.view();
    }
}
