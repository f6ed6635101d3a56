package io.poolwatch.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Faults that an application can start on purpose against its own pools, such as the standalone service's demo fault
 * phases (a leak, slow statements, a saturated pool). The dashboard shows its form and its phases, and takes the form's
 * POST, only when a bean of this type exists and says it is {@linkplain #available() available}; the extension has none.
 */
public interface FaultPhases {

    /**
     * Whether the faults can run here: the standalone service's simulator says no where it cannot run (pointed at a
     * real database, without its demo schema), and the dashboard then leaves the fault phases out altogether.
     */
    default boolean available() {
        return true;
    }

    /** The kinds of fault, as the form and the API name them. */
    List<String> kinds();

    /**
     * Starts a fault on a workload's pool.
     *
     * @throws IllegalArgumentException naming the field and what is accepted, when the fault cannot start
     */
    Fault start(String kind, String workload, Optional<Duration> duration);

    /** The latest faults, newest first; a bounded list. */
    List<Fault> faults();

    /** One fault phase; {@code state} is a word, optionally followed by a colon and a reason ("failed: ..."). */
    record Fault(int id, String kind, String workload, Instant startedAt, Instant until, String state) {
    }
}
