package io.poolwatch.alerting;

import java.time.Instant;
import java.util.List;

/** Where silences are kept beyond the process: with the notification outbox. */
public interface SilenceStore {

    /** Stores a silence, replacing one with the same id. */
    void save(Silence silence);

    /** Every silence that ends after {@code endedAfter}. */
    List<Silence> load(Instant endedAfter);
}
