-- 0005_audit_retention down: drops the index 0005_audit_retention.up.sql
-- added.
DROP INDEX audit_events_at;
