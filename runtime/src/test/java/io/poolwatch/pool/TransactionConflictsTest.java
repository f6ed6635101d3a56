package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which failures are worth running a transaction again for, however the driver or the application wrapped them. */
class TransactionConflictsTest {

    @Test
    void sqlStatesAndMariadbErrorCodes() {
        assertEquals(Optional.of("serialization_failure"), TransactionConflicts.reason(new SQLException("x", "40001")));
        assertEquals(Optional.of("deadlock"), TransactionConflicts.reason(new SQLException("x", "40P01")));
        // MariaDB: a deadlock is error 1213 with SQLSTATE 40001.
        assertEquals(Optional.of("deadlock"), TransactionConflicts.reason(new SQLException("Deadlock found", "40001", 1213)));
        assertEquals(Optional.empty(), TransactionConflicts.reason(new SQLException("unique", "23505")));
        assertEquals(Optional.empty(), TransactionConflicts.reason(new SQLException("lock wait timeout", "HY000", 1205)));
        assertEquals(Optional.empty(), TransactionConflicts.reason(new IllegalStateException("no")));
    }

    @Test
    void causeAndNextExceptionChainsAreWalked() {
        RuntimeException wrapped = new RuntimeException("application",
                new IllegalStateException(new SQLException("x", "40P01")));
        assertEquals(Optional.of("deadlock"), TransactionConflicts.reason(wrapped));
        BatchUpdateException batch = new BatchUpdateException("batch entry 3 was aborted", "42000", new int[0]);
        batch.setNextException(new SQLException("could not serialize access", "40001"));
        assertEquals(Optional.of("serialization_failure"), TransactionConflicts.reason(batch));
        SQLException cyclic = new SQLException("a", "42000");
        SQLException other = new SQLException("b", "42000", cyclic);
        cyclic.setNextException(other);
        assertEquals(Optional.empty(), TransactionConflicts.reason(cyclic));
    }
}
