-- Where chunked consistency checks have got to (io.poolwatch.checks.ChunkCursor), kept with the outbox so a restart,
-- or another replica taking over the checks, resumes after the watermark instead of starting from the lowest key.
-- definition fingerprints what the watermark is about (kind, table, key); pending holds earlier key ranges
-- [[after, upTo], ...] that still had violations, as JSON.
CREATE TABLE poolwatch.check_cursors (
    check_name  VARCHAR(200)  NOT NULL PRIMARY KEY,
    definition  VARCHAR(64)   NOT NULL,
    watermark   BIGINT        NOT NULL,
    pending     TEXT          NOT NULL,
    updated_ms  BIGINT        NOT NULL
);
