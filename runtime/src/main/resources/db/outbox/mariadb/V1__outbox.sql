-- poolwatch's notification outbox (io.poolwatch.alerting.JdbcOutbox), in the workload's database.
-- One row per notification; a receiver's pending rows are sent in seq order, one at a time.
-- Times are epoch milliseconds.
CREATE TABLE poolwatch_outbox (
    seq              BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    id               VARCHAR(200)  NOT NULL,
    receiver         VARCHAR(63)   NOT NULL,
    group_key        TEXT          NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    alerts           INT           NOT NULL,
    body             LONGTEXT      NOT NULL,
    created_at       BIGINT        NOT NULL,
    state            VARCHAR(16)   NOT NULL,
    attempts         INT           NOT NULL,
    next_attempt_at  BIGINT        NOT NULL,
    lease_owner      VARCHAR(64),
    lease_until      BIGINT,
    last_http_status INT,
    last_error       VARCHAR(500),
    finished_at      BIGINT,
    CONSTRAINT poolwatch_outbox_id_unique UNIQUE (id),
    INDEX poolwatch_outbox_receiver_state_seq (receiver, state, seq),
    INDEX poolwatch_outbox_state_finished (state, finished_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
