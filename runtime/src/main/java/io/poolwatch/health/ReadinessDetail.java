package io.poolwatch.health;

/**
 * One more entry in readiness's details, from a part of poolwatch that readiness does not otherwise know (the alerting
 * loop's watchdog): shown, never deciding the status. A bean implementing it is found by {@link ReadinessCheck}, so
 * the health package depends on no feature that reports through it.
 */
public interface ReadinessDetail {

    /** The entry's key in the details. */
    String key();

    /** The entry's text, as of now; cheap, and never blocking. */
    String describe();
}
