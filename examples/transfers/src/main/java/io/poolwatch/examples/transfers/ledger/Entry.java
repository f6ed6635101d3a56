package io.poolwatch.examples.transfers.ledger;

import java.time.OffsetDateTime;

/**
 * One line of an account's statement: one side of a transfer.
 *
 * @param transferId the transfer the entry belongs to
 * @param direction debit (money out) or credit (money in)
 * @param amountCents the amount, in cents, always positive
 * @param bookedAt when the transfer was booked
 */
public record Entry(long transferId, String direction, long amountCents, OffsetDateTime bookedAt) {
}
