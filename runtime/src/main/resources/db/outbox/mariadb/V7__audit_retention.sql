-- Each audit entry's retention class (io.poolwatch.alerting.AuditLog.Retention): every class is kept within its own row
-- count as well as its age, so refused requests, anonymous ones and notification attempts never evict the actions of
-- signed-in users. Entries already stored are classed by their type and fields.
ALTER TABLE poolwatch_audit ADD COLUMN retention VARCHAR(20) DEFAULT 'actions' NOT NULL;
UPDATE poolwatch_audit SET retention = 'notifications' WHERE type = 'notification.attempt';
UPDATE poolwatch_audit SET retention = 'other' WHERE type <> 'notification.attempt' AND type <> 'admin.action';
UPDATE poolwatch_audit SET retention = 'refused' WHERE type = 'admin.action'
    AND (fields LIKE '%"outcome":"refused"%' OR (fields LIKE '%"user":"anonymous"%' AND fields NOT LIKE '%"outcome":"done"%'));
UPDATE poolwatch_audit SET retention = 'anonymous' WHERE type = 'admin.action' AND retention = 'actions' AND fields LIKE '%"user":"anonymous"%';
CREATE INDEX poolwatch_audit_retention ON poolwatch_audit (retention, id);
