package io.poolwatch.examples.transfers.ledger;

/** A transfer refused because the account to debit holds less than the amount. */
public class InsufficientFundsException extends RuntimeException {

    public InsufficientFundsException(long account, long balanceCents, long amountCents) {
        super("account " + account + " holds " + balanceCents + " cents, less than the " + amountCents + " to transfer");
    }
}
