-- Each audit entry's retention class (io.poolwatch.alerting.AuditLog.Retention): every class is kept within its own row
-- count as well as its age, so refused requests, anonymous ones and notification attempts never evict the actions of
-- signed-in users. Entries already stored are classed by their type and fields.
ALTER TABLE poolwatch.audit ADD COLUMN retention VARCHAR(20) DEFAULT 'actions' NOT NULL;
UPDATE poolwatch.audit SET retention = 'notifications' WHERE type = 'notification.attempt';
UPDATE poolwatch.audit SET retention = 'other' WHERE type <> 'notification.attempt' AND type <> 'admin.action';
UPDATE poolwatch.audit SET retention = 'refused' WHERE type = 'admin.action'
    AND (fields LIKE '%"outcome":"refused"%' OR (fields LIKE '%"user":"anonymous"%' AND fields NOT LIKE '%"outcome":"done"%'));
UPDATE poolwatch.audit SET retention = 'anonymous' WHERE type = 'admin.action' AND retention = 'actions' AND fields LIKE '%"user":"anonymous"%';
CREATE INDEX audit_retention ON poolwatch.audit (retention, id);
