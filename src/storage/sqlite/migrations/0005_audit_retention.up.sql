-- 0005_audit_retention: an index for DeleteAuditEventsBefore, the
-- background sweep of audit events older than GATEHOUSE_AUDIT_RETENTION.
-- Explained in docs/storage.md.

-- "Older than the cutoff, oldest first, LIMIT n" is then one range scan
-- that reads n entries, and a sweep that has caught up reads none; without
-- it every sweep would scan the whole log, which only ever grew before.
CREATE INDEX audit_events_at ON audit_events (at);
