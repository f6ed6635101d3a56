package io.poolwatch.observed;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/** Reads who blocks whom on each watched database on {@code poolwatch.sampling.server-interval}. */
@ApplicationScoped
public class BlockingSampler {

    /** Reads every watched database now. */
    public void sampleNow() {
    }

    /** The latest snapshot of every watched database that has been read. */
    public List<BlockingSnapshot> all() {
        return List.of();
    }

    /** The latest snapshot of one database. */
    public Optional<BlockingSnapshot> latest(String database) {
        return Optional.empty();
    }
}
