package io.poolwatch.examples.transfers.ledger;

/**
 * A transfer that was booked.
 *
 * @param id the transfer number, shared by its two ledger entries
 * @param fromAccount the account debited
 * @param toAccount the account credited
 * @param amountCents the amount moved, in cents
 */
public record Transfer(long id, long fromAccount, long toAccount, long amountCents) {
}
