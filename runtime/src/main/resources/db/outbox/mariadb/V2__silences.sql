-- Alert silences (io.poolwatch.alerting.Silences), kept with the outbox so they survive restarts and every replica
-- sharing the outbox sees the same ones. Matchers are JSON; times are epoch milliseconds.
CREATE TABLE poolwatch_silences (
    id          VARCHAR(64)   NOT NULL PRIMARY KEY,
    matchers    TEXT          NOT NULL,
    starts_at   BIGINT        NOT NULL,
    ends_at     BIGINT        NOT NULL,
    created_by  VARCHAR(200)  NOT NULL,
    comment     VARCHAR(600)  NOT NULL
);
