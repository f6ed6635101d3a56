package io.poolwatch.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.engine.ReplicaLag;
import io.poolwatch.pool.ReplicaCondition;
import io.poolwatch.pool.ReplicaConditions;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.sampling.ReplicaLagSampler;

/**
 * Each replica's condition for routing: reachable or not from the background validation of its database, and its
 * replay lag from the latest sample. From cached results only, so a routing decision never waits on a database. A lag
 * older than three intervals is treated as unknown rather than trusted.
 */
@ApplicationScoped
public class ReplicaHealth implements ReplicaConditions {

    private final DatabaseValidator validator;
    private final ReplicaLagSampler lags;
    private final Duration staleAfter;

    ReplicaHealth(DatabaseValidator validator, ReplicaLagSampler lags, PoolwatchConfig config) {
        this.validator = validator;
        this.lags = lags;
        this.staleAfter = config.health().validationInterval().multipliedBy(3).plus(config.health().validationTimeout());
    }

    @Override
    public ReplicaCondition of(WorkloadPool replica) {
        Optional<String> database = lags.databaseOf(replica.name());
        if (database.isEmpty()) {
            return new ReplicaCondition(ReplicaCondition.Reachability.DOWN, Optional.empty(), Optional.empty(),
                    Optional.empty(), false,
                    "no monitoring connection to validate it with");
        }
        Optional<DatabaseValidation> v = validator.result(database.get());
        if (v.isEmpty()) {
            return ReplicaCondition.pending();
        }
        Instant now = Instant.now();
        Optional<ReplicaLag> lag = lags.latest(database.get())
                .filter(l -> l.state() != ReplicaLag.State.UNREACHABLE
                        && Duration.between(l.readAt(), now).compareTo(staleAfter) <= 0);
        if (!v.get().reachable()) {
            return new ReplicaCondition(ReplicaCondition.Reachability.DOWN, v.get().lastSuccess(), Optional.empty(),
                    Optional.empty(), false,
                    v.get().error().orElse("validation failed"));
        }
        return new ReplicaCondition(ReplicaCondition.Reachability.UP, v.get().lastSuccess(), lag.flatMap(ReplicaLag::seconds),
                lag.flatMap(ReplicaLag::bytes), lag.map(ReplicaLag::replicationStopped).orElse(false),
                lag.map(l -> l.state().label() + ": " + l.detail()).orElse("replication lag not read yet"));
    }
}
