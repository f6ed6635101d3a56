package io.poolwatch.observed;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/** Reads each configured PgBouncer's admin console ({@code SHOW POOLS}, {@code SHOW STATS}, {@code SHOW CONFIG}) on {@code poolwatch.sampling.interval}. */
@ApplicationScoped
public class PgBouncerSampler {

    /** Reads every PgBouncer now. */
    public void sampleNow() {
    }

    /** The latest snapshot of every configured PgBouncer that has been read. */
    public List<PgBouncerSnapshot> all() {
        return List.of();
    }

    /** The latest snapshot of one PgBouncer. */
    public Optional<PgBouncerSnapshot> latest(String name) {
        return Optional.empty();
    }
}
