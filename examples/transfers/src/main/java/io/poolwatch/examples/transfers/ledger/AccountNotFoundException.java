package io.poolwatch.examples.transfers.ledger;

/** No account has the number asked for. */
public class AccountNotFoundException extends RuntimeException {

    public AccountNotFoundException(long account) {
        super("no account " + account);
    }
}
