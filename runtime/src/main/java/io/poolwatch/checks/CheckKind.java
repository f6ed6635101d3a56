package io.poolwatch.checks;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a consistency check looks for. */
public enum CheckKind {
    /** Child rows whose foreign key has no parent row. */
    ORPHANS,
    /** Groups of ledger entries (a transaction, or a day or month) whose debits and credits differ. */
    LEDGER_BALANCE,
    /** Accounts whose balance differs from the sum of their ledger entries. */
    ACCOUNT_BALANCE,
    /** Values below a minimum or above a maximum, such as negative balances. */
    RANGE,
    /** Rows sharing a business key with another row. */
    DUPLICATES,
    /** PostgreSQL constraints declared NOT VALID and never validated. */
    NOT_VALID_CONSTRAINTS,
    /** An operator's query returning the number of violations. */
    SQL;

    /** The name used in configuration and JSON: orphans, ledger-balance ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static final String ACCEPTED = Arrays.stream(values()).map(CheckKind::label).collect(Collectors.joining(", "));

    static CheckKind parse(String text) {
        for (CheckKind k : values()) {
            if (k.label().equalsIgnoreCase(text.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a check kind; accepted: " + ACCEPTED);
    }
}
