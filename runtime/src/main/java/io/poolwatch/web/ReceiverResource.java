package io.poolwatch.web;

import java.util.List;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The receivers (webhooks and Alertmanagers) and how deliveries to each are going, as JSON. Secrets are never shown. */
@Singleton
@RootedPath("/api/v1/alerts/receivers")
@Produces(MediaType.APPLICATION_JSON)
public class ReceiverResource {

    private final ReceiverViews views;

    ReceiverResource(ReceiverViews views) {
        this.views = views;
    }

    /** Every configured receiver, in name order. */
    @GET
    public List<ReceiverViews.ReceiverView> list() {
        return views.list();
    }
}
