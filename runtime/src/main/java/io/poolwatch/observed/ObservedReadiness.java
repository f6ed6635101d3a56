package io.poolwatch.observed;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.health.ReadinessDetail;

/**
 * Readiness's entry for what poolwatch observes but does not own: PgBouncers, applications and blocking, shown and never
 * deciding the status. A PgBouncer that is down or an application over its expected sessions is somebody else's
 * outage; taking this process out of service for it would only hide the dashboard that shows it.
 */
@ApplicationScoped
public class ObservedReadiness implements ReadinessDetail {

    /** At most this many problems are named; the rest are counted. */
    static final int NAMED = 5;

    private final ApplicationSampler applications;
    private final PgBouncerSampler pgbouncers;
    private final BlockingSampler blocking;

    ObservedReadiness(ApplicationSampler applications, PgBouncerSampler pgbouncers, BlockingSampler blocking) {
        this.applications = applications;
        this.pgbouncers = pgbouncers;
        this.blocking = blocking;
    }

    @Override
    public String key() {
        return "observed (informational)";
    }

    @Override
    public String describe() {
        List<String> problems = problems();
        int watched = pgbouncers.all().size() + applications.all().size() + blocking.all().size();
        if (watched == 0) {
            return "nothing observed";
        }
        if (problems.isEmpty()) {
            return "no problem in what poolwatch observes (never decides readiness)";
        }
        String named = String.join("; ", problems.subList(0, Math.min(NAMED, problems.size())));
        return "DEGRADED, never decides readiness: " + named
                + (problems.size() > NAMED ? "; and " + (problems.size() - NAMED) + " more" : "");
    }

    /** What is wrong in what poolwatch observes, one line each. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (PgBouncerSnapshot b : pgbouncers.all()) {
            if (!b.up()) {
                out.add("PgBouncer " + b.name() + " down: " + b.downReason().orElse("not read"));
            } else if (b.clientsWaiting() > 0) {
                out.add("PgBouncer " + b.name() + ": " + b.clientsWaiting() + " client(s) waiting for a server connection");
            }
        }
        for (ApplicationSnapshot a : applications.all()) {
            if (a.utilization().isPresent() && a.utilization().getAsDouble() >= 1) {
                out.add("application " + a.application() + " on " + a.database() + ": " + a.sessions()
                        + " sessions, expected at most "
                        + a.expectedMax().getAsInt());
            }
        }
        for (BlockingSnapshot b : blocking.all()) {
            if (b.available() && b.blockedSessions() > 0) {
                out.add(b.database() + ": " + b.blockedSessions() + " session(s) blocked"
                        + b.longestBlocked().map(d -> ", the longest for " + d.toMillis() / 1000 + "s").orElse(""));
            }
        }
        return out;
    }
}
