package io.poolwatch.alerting;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The alert state in the local outbox file, shared with the outbox open in the same process. */
class AlertStateStoreH2Test extends AlertStateStoreContractTest {

    @TempDir
    Path dir;
    private JdbcOutbox outbox;

    @Override
    AlertStateStore open() {
        // The outbox opens the file first, as in poolwatch; the store shares it.
        outbox = JdbcOutbox.h2File(dir);
        return AlertStateStore.h2File(dir);
    }

    @Override
    AlertStateStore openAgain() {
        return AlertStateStore.h2File(dir);
    }

    @AfterEach
    void closeOutbox() {
        outbox.close();
    }
}
