package io.poolwatch.health;

import java.time.Duration;
import java.util.Optional;

import io.poolwatch.config.Durations;

/**
 * What the workload pools of one database prove about it: statements it answered. A database whose workloads complete
 * statements answers, whatever poolwatch's own monitoring connection says.
 *
 * @param completedInWindow statements completed without error on the database's pools in the last {@code window}
 * @param window the window, {@link DatabaseValidator#evidenceWindow()}
 * @param completedSinceAttempt statements completed since the latest validation attempt began (the failing one, when
 *        it failed)
 * @param sinceLastCompleted how long ago the last statement completed, if one ever did
 */
public record WorkloadEvidence(long completedInWindow, Duration window, long completedSinceAttempt,
        Optional<Duration> sinceLastCompleted) {

    /** Whether a statement completed after the latest validation attempt began, and within the window. */
    public boolean answersSinceAttempt() {
        return completedSinceAttempt > 0 && sinceLastCompleted.isPresent() && sinceLastCompleted.get().compareTo(window) <= 0;
    }

    /** "workloads on this database completed 1234 statements in the last 3s". */
    public String describe() {
        return completedInWindow > 0
                ? "workloads on this database completed " + completedInWindow + " statement(s) in the last "
                        + Durations.format(window)
                : "no workload statement completed on this database in the last " + Durations.format(window);
    }
}
