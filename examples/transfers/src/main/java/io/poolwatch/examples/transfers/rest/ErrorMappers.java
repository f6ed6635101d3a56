package io.poolwatch.examples.transfers.rest;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.poolwatch.examples.transfers.ledger.AccountNotFoundException;
import io.poolwatch.examples.transfers.ledger.InsufficientFundsException;
import io.poolwatch.pool.TransactionException;

/** The ledger's exceptions as HTTP answers with a JSON {@code {"error": ...}} body. */
public class ErrorMappers {

    /**
     * The body of every error answer.
     *
     * @param error what went wrong, in words
     */
    public record Error(String error) {
    }

    @ServerExceptionMapper
    public Response overdraft(InsufficientFundsException e) {
        return answer(Response.Status.CONFLICT, e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(AccountNotFoundException e) {
        return answer(Response.Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public Response badRequest(IllegalArgumentException e) {
        return answer(Response.Status.BAD_REQUEST, e.getMessage());
    }

    /** Conflicts that outlasted the retries are worth another try by the client; anything else is ours. */
    @ServerExceptionMapper
    public Response transactionFailed(TransactionException e) {
        if (e.retriesExhausted()) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).header("Retry-After", "1")
                    .entity(new Error("too many concurrent changes to the same accounts; try again")).build();
        }
        return answer(Response.Status.INTERNAL_SERVER_ERROR, "the transfer could not be booked");
    }

    private static Response answer(Response.Status status, String message) {
        return Response.status(status).entity(new Error(message)).build();
    }
}
