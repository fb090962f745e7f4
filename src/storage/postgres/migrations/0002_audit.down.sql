-- 0002_audit down: drops what 0002_audit.up.sql created. The index lives
-- on 0001's sessions table, so it must be dropped by name.
DROP INDEX sessions_live_expires_at;
DROP TABLE audit_events;
