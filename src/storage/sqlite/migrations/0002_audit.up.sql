-- 0002_audit: the audit log, and an index for the active-sessions gauge.
-- Every index below is explained in docs/storage.md.

-- AUTOINCREMENT: ids only ever grow, even after the newest rows have been
-- deleted (a retention purge), so an id names one event for good and
-- "id < before_id" paging never meets a reused id.
-- No foreign keys: a user's or session's events must outlive the user or
-- session (forensics), and an event may name no user at all (a failed
-- sign-in with an unknown email).
CREATE TABLE audit_events (
  id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  at         INTEGER NOT NULL,
  type       TEXT    NOT NULL DEFAULT '',
  user_id    TEXT    NOT NULL DEFAULT '',
  session_id TEXT    NOT NULL DEFAULT '',
  actor_id   TEXT    NOT NULL DEFAULT '',
  ip         TEXT    NOT NULL DEFAULT '',
  user_agent TEXT    NOT NULL DEFAULT '',
  detail     TEXT    NOT NULL DEFAULT ''
) STRICT;
-- ListAuditEvents for one user: newest first, before an id, straight from
-- the index. (The unfiltered listing walks the primary key backwards.)
CREATE INDEX audit_events_user_id_id ON audit_events (user_id, id);

-- CountActiveSessions: revoked_at IS NULL AND expires_at > now AND
-- absolute_expires_at > now. Partial, so revoked sessions (which are never
-- purged) take no space in it and revoking one removes its entry; ordered
-- by expires_at, so expired sessions are skipped by a range seek; and
-- holding absolute_expires_at as well, so the count never reads the table.
CREATE INDEX sessions_live_expires_at
  ON sessions (expires_at, absolute_expires_at) WHERE revoked_at IS NULL;
