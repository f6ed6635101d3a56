package io.poolwatch.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.checks.ProvidedChecks;
import io.poolwatch.engine.DatabaseKind;

/**
 * The checks of the embedded demo schema (accounts, a double-entry ledger, analytics events), on when poolwatch runs
 * on the embedded database. Each is an ordinary definition: the same keys set in configuration would make it.
 */
@ApplicationScoped
public class DemoChecks implements ProvidedChecks {

    @Override
    public String origin() {
        return "demo";
    }

    @Override
    public Map<String, Map<String, String>> definitions(Map<String, DatabaseKind> workloads) {
        return demo(workloads);
    }

    private static Map<String, String> map(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    public static Map<String, Map<String, String>> demo(Map<String, DatabaseKind> workloads) {
        Map<String, Map<String, String>> checks = new LinkedHashMap<>();
        String workload = workloads.containsKey("analytics") ? "analytics" : workloads.keySet().iterator().next();
        boolean postgres = workloads.get(workload) == DatabaseKind.POSTGRESQL;
        checks.put("ledger-balanced",
                map("kind", "ledger-balance", "workload", workload, "schedule", "30s", "severity", "critical",
                        "description", "every ledger transaction's debits equal its credits", "table", "ledger_entries",
                        "group-column", "transaction_id", "direction-column", "direction"));
        checks.put("account-balances",
                map("kind", "account-balance", "workload", workload, "schedule", "1m", "severity", "critical",
                        "description", "every account's balance is the sum of its ledger entries", "table", "accounts",
                        "entries-table", "ledger_entries", "direction-column", "direction"));
        checks.put("no-negative-customer-balance",
                map("kind", "range", "workload", workload, "schedule", "1m", "severity", "critical",
                        "description", "no customer account is overdrawn", "table", "accounts", "column", "balance", "min", "0",
                        "filter-column", "kind", "filter-values", "customer", "mask-columns", "owner"));
        checks.put("events-have-accounts", map("kind", "orphans", "workload", workload, "schedule", "30s", "mode", "chunked",
                "chunk-size", "50000", "description",
                "every analytics event names an existing account (no foreign key enforces it)",
                "table", "analytics_events", "column", "account_id", "parent-table", "accounts"));
        checks.put("unique-transaction-references", map("kind", "duplicates", "workload", workload, "schedule", "5m",
                "description", "no two ledger transactions share a reference", "table", "ledger_transactions", "key-columns",
                "reference"));
        if (postgres) {
            checks.put("event-amounts-in-range", map("kind", "range", "workload", workload, "schedule", "1m", "mode", "sampled",
                    "sample-percent", "5", "severity", "warning", "description", "analytics amounts are between 0 and 1,000",
                    "table", "analytics_events", "column", "amount", "min", "0", "max", "1000"));
            checks.put("constraints-validated", map("kind", "not-valid-constraints", "workload", workload, "schedule", "10m",
                    "severity", "info", "description", "no constraint was added NOT VALID and left unvalidated"));
        }
        return checks;
    }
}
