package io.poolwatch.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.poolwatch.checks.UnknownCheckException;
import io.poolwatch.pool.UnknownWorkloadException;

/** An unknown pool or check name in any API path is a 404 with a JSON body naming the ones that exist. */
public class UnknownWorkloadMapper {

    @ServerExceptionMapper
    public Response unknownWorkload(UnknownWorkloadException e) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(e.getMessage(), 404)).build();
    }

    @ServerExceptionMapper
    public Response unknownCheck(UnknownCheckException e) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(e.getMessage(), 404)).build();
    }
}
