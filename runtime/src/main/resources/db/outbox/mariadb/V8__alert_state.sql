-- Alert state (io.poolwatch.alerting.AlertStateStore), kept with the outbox so that a restart, or another replica taking
-- over the cluster's jobs, continues the same alerts: the same fingerprint, startsAt and activeAt, and no notification
-- again before repeat-interval. owner_name is the instance label of the alerts: a process's own name for the alerts about
-- its pools, the shared cluster name for the alerts only the holder of the cluster's jobs sends. Every process replaces
-- its owner's rows as a whole; labels, annotations and the fingerprint lists are JSON; times are epoch milliseconds.
CREATE TABLE poolwatch_alert_state (
    owner_name      VARCHAR(200)     NOT NULL,
    fingerprint     VARCHAR(16)      NOT NULL,
    state           VARCHAR(16)      NOT NULL,
    labels          VARCHAR(4000)    NOT NULL,
    annotations     TEXT             NOT NULL,
    alert_value     DOUBLE PRECISION NOT NULL,
    threshold       DOUBLE PRECISION NOT NULL,
    for_ms          BIGINT           NOT NULL,
    keep_firing_ms  BIGINT           NOT NULL,
    active_at       BIGINT           NOT NULL,
    starts_at       BIGINT,
    ends_at         BIGINT,
    clearing_since  BIGINT,
    saved_at        BIGINT           NOT NULL,
    PRIMARY KEY (owner_name, fingerprint)
);
CREATE INDEX alert_state_saved ON poolwatch_alert_state (saved_at);

-- The notification log: each group's last notification per receiver (group_id is the SHA-256 of group_key), what it
-- carried (carried: {fingerprint: state}), which of its alerts the receiver knows as firing (firing) and which alerts
-- belong to the group until their resolution is sent (members).
CREATE TABLE poolwatch_alert_groups (
    owner_name        VARCHAR(200)  NOT NULL,
    receiver          VARCHAR(63)   NOT NULL,
    group_id          VARCHAR(64)   NOT NULL,
    group_key         VARCHAR(4000) NOT NULL,
    group_labels      VARCHAR(4000) NOT NULL,
    last_notified_at  BIGINT        NOT NULL,
    status            VARCHAR(16)   NOT NULL,
    carried           TEXT          NOT NULL,
    firing            TEXT          NOT NULL,
    members           TEXT          NOT NULL,
    saved_at          BIGINT        NOT NULL,
    PRIMARY KEY (owner_name, receiver, group_id)
);
CREATE INDEX alert_groups_saved ON poolwatch_alert_groups (saved_at);
