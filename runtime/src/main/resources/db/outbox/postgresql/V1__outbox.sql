-- poolwatch's notification outbox (io.poolwatch.alerting.JdbcOutbox), in its own schema "poolwatch".
-- One row per notification; a receiver's pending rows are sent in seq order, one at a time.
-- Times are epoch milliseconds.
CREATE TABLE poolwatch.outbox (
    seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               VARCHAR(200)  NOT NULL,
    receiver         VARCHAR(63)   NOT NULL,
    group_key        TEXT          NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    alerts           INTEGER       NOT NULL,
    body             TEXT          NOT NULL,
    created_at       BIGINT        NOT NULL,
    state            VARCHAR(16)   NOT NULL,
    attempts         INTEGER       NOT NULL,
    next_attempt_at  BIGINT        NOT NULL,
    lease_owner      VARCHAR(64),
    lease_until      BIGINT,
    last_http_status INTEGER,
    last_error       VARCHAR(500),
    finished_at      BIGINT,
    CONSTRAINT outbox_id_unique UNIQUE (id)
);

CREATE INDEX outbox_receiver_state_seq ON poolwatch.outbox (receiver, state, seq);
CREATE INDEX outbox_state_finished ON poolwatch.outbox (state, finished_at);
