package io.poolwatch.examples.transfers.rest;

import java.net.URI;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import io.poolwatch.examples.transfers.ledger.Ledger;
import io.poolwatch.examples.transfers.ledger.Transfer;

/** Moving money between two accounts. */
@Path("/transfers")
public class TransferResource {

    /**
     * A transfer asked for.
     *
     * @param fromAccount the account to debit
     * @param toAccount the account to credit
     * @param amountCents the amount, in cents, above 0
     */
    public record TransferRequest(long fromAccount, long toAccount, long amountCents) {
    }

    private final Ledger ledger;

    TransferResource(Ledger ledger) {
        this.ledger = ledger;
    }

    @POST
    public Response transfer(TransferRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("a JSON body with fromAccount, toAccount and amountCents is required");
        }
        Transfer t = ledger.transfer(request.fromAccount(), request.toAccount(), request.amountCents());
        return Response.created(URI.create("/transfers/" + t.id())).entity(t).build();
    }
}
