package io.poolwatch.examples.transfers.ledger;

/**
 * An account and its balance.
 *
 * @param id the account number
 * @param owner who holds it
 * @param balanceCents the balance, in cents
 */
public record Account(long id, String owner, long balanceCents) {
}
