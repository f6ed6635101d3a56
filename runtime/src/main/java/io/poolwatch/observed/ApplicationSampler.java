package io.poolwatch.observed;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads each watched database server's sessions on {@code poolwatch.sampling.server-interval} and matches them to the
 * applications defined under {@code poolwatch.applications}; sessions no definition matches become suggestions.
 */
@ApplicationScoped
public class ApplicationSampler {

    /** Reads every watched server now. */
    public void sampleNow() {
    }

    /** The latest snapshot of every defined application, on every database it was looked for on. */
    public List<ApplicationSnapshot> all() {
        return List.of();
    }

    /** The latest snapshots of one application (one per database), empty when it is not defined. */
    public List<ApplicationSnapshot> latest(String application) {
        return List.of();
    }

    /** Whether an application of that name is defined. */
    public boolean defined(String application) {
        return false;
    }

    /** Sessions no definition matched at the latest sample, grouped; bounded. */
    public List<UnmatchedSessions> suggestions() {
        return List.of();
    }
}
