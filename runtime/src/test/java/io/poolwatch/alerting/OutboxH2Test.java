package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local outbox: an H2 file in a directory it creates, which one process at a time may open. */
class OutboxH2Test extends OutboxContractTest {

    @TempDir
    Path dir;

    @Override
    Outbox open() {
        return JdbcOutbox.h2File(dir.resolve("data/outbox-dir"));
    }

    @Override
    Outbox openAgain() {
        // One H2 file belongs to one process; its workers share the handle.
        return outbox;
    }

    @Test
    void theFileIsCreatedWithItsDirectory() {
        assertTrue(Files.exists(dir.resolve("data/outbox-dir/outbox.mv.db")));
        assertTrue(outbox.location().startsWith("H2 file "), outbox.location());
    }

    @Test
    void anUnwritableDirectoryIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Outbox.OutboxException e = assertThrows(Outbox.OutboxException.class, () -> JdbcOutbox.h2File(file.resolve("sub")));
        assertTrue(e.getMessage().startsWith("cannot create the outbox directory " + file.resolve("sub")), e.getMessage());
    }

    @Test
    void reopeningMigratesNothingAgain() {
        outbox.close();
        Outbox again = JdbcOutbox.h2File(dir.resolve("data/outbox-dir"));
        try {
            assertEquals(0, again.depths().size());
        } finally {
            again.close();
        }
    }
}
