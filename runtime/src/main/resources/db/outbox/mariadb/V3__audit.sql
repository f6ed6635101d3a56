-- The audit log (io.poolwatch.alerting.AuditLog): admin actions and notification attempts, kept with the outbox so
-- they survive restarts and every replica sharing the outbox writes to one place. Fields are one flat JSON object
-- (never a secret); times are epoch milliseconds; instance names the poolwatch process that wrote the event.
CREATE TABLE poolwatch_audit (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at_ms       BIGINT        NOT NULL,
    type        VARCHAR(100)  NOT NULL,
    instance    VARCHAR(200)  NOT NULL,
    fields      TEXT          NOT NULL
);
CREATE INDEX poolwatch_audit_at ON poolwatch_audit (at_ms);
