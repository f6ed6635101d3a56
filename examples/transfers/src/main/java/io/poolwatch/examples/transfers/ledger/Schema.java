package io.poolwatch.examples.transfers.ledger;

import java.sql.Statement;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.poolwatch.pool.Workloads;
import io.quarkus.runtime.StartupEvent;

/**
 * Creates the tables at start-up when they are missing. Every table is prefixed {@code transfers_} so the example can
 * share a database with other applications. A real service would use Flyway; three tables do not need it.
 */
@ApplicationScoped
public class Schema {

    /** The account money comes from when an account is opened with a balance, so every cent has a ledger entry. */
    public static final String FUNDING = "funding";

    private final Workloads workloads;

    Schema(Workloads workloads) {
        this.workloads = workloads;
    }

    void create(@Observes StartupEvent event) {
        workloads.runInTransaction("main", c -> {
            try (Statement st = c.createStatement()) {
                // Only one instance creates the tables at a time, however many start together.
                st.execute("SELECT pg_advisory_xact_lock(hashtext('transfers_schema'))");
                st.execute("""
                        CREATE TABLE IF NOT EXISTS transfers_accounts (
                            id bigserial PRIMARY KEY,
                            owner text NOT NULL,
                            kind text NOT NULL DEFAULT 'customer' CHECK (kind IN ('customer', 'funding')),
                            balance_cents bigint NOT NULL,
                            CHECK (kind = 'funding' OR balance_cents >= 0))""");
                st.execute("""
                        CREATE TABLE IF NOT EXISTS transfers_transfers (
                            id bigserial PRIMARY KEY,
                            from_account bigint NOT NULL REFERENCES transfers_accounts (id),
                            to_account bigint NOT NULL REFERENCES transfers_accounts (id),
                            amount_cents bigint NOT NULL CHECK (amount_cents > 0),
                            booked_at timestamptz NOT NULL DEFAULT now())""");
                st.execute("""
                        CREATE TABLE IF NOT EXISTS transfers_ledger (
                            id bigserial PRIMARY KEY,
                            transfer_id bigint NOT NULL REFERENCES transfers_transfers (id),
                            account_id bigint NOT NULL REFERENCES transfers_accounts (id),
                            direction text NOT NULL CHECK (direction IN ('debit', 'credit')),
                            amount_cents bigint NOT NULL CHECK (amount_cents > 0))""");
                st.execute("CREATE INDEX IF NOT EXISTS transfers_ledger_account ON transfers_ledger (account_id, id)");
                st.execute("INSERT INTO transfers_accounts (owner, kind, balance_cents) SELECT '" + FUNDING + "', 'funding', 0 "
                        + "WHERE NOT EXISTS (SELECT 1 FROM transfers_accounts WHERE kind = 'funding')");
            }
        });
    }
}
