package io.poolwatch.examples.transfers.rest;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.poolwatch.examples.transfers.ledger.Account;
import io.poolwatch.examples.transfers.ledger.Entry;
import io.poolwatch.examples.transfers.ledger.Ledger;

/** Opening accounts, their balances and statements. */
@Path("/accounts")
public class AccountResource {

    /**
     * What opening an account takes.
     *
     * @param owner who holds it
     * @param openingBalanceCents money put in at opening, in cents; 0 when absent
     */
    public record OpenAccount(String owner, Long openingBalanceCents) {
    }

    private final Ledger ledger;

    AccountResource(Ledger ledger) {
        this.ledger = ledger;
    }

    @POST
    public Response open(OpenAccount request) {
        if (request == null) {
            throw new IllegalArgumentException("a JSON body with owner and openingBalanceCents is required");
        }
        Account account = ledger.open(request.owner(),
                request.openingBalanceCents() == null ? 0 : request.openingBalanceCents());
        return Response.created(URI.create("/accounts/" + account.id())).entity(account).build();
    }

    @GET
    @Path("/{id}")
    public Account balance(@PathParam("id") long id) {
        return ledger.account(id);
    }

    @GET
    @Path("/{id}/statement")
    public List<Entry> statement(@PathParam("id") long id) {
        return ledger.statement(id);
    }
}
