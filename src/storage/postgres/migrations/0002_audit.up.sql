-- 0002_audit: the audit log, and an index for the active-sessions gauge.
-- Every index below is explained in docs/storage.md.

-- GENERATED ALWAYS AS IDENTITY: ids come from a sequence, which never hands
-- one out twice (not even after a rollback), so an id names one event for
-- good. A sequence assigns ids at insert, not at commit; the store makes
-- them follow commit order as well by serialising audit inserts on an
-- advisory lock held to the end of the transaction (docs/storage.md).
-- No foreign keys: a user's or session's events must outlive the user or
-- session (forensics), and an event may name no user at all.
CREATE TABLE audit_events (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at         timestamptz      NOT NULL,
  type       text             NOT NULL DEFAULT '',
  user_id    text COLLATE "C" NOT NULL DEFAULT '',
  session_id text COLLATE "C" NOT NULL DEFAULT '',
  actor_id   text COLLATE "C" NOT NULL DEFAULT '',
  ip         text             NOT NULL DEFAULT '',
  user_agent text             NOT NULL DEFAULT '',
  detail     text             NOT NULL DEFAULT ''
);
-- ListAuditEvents for one user: newest first, before an id, straight from
-- the index. (The unfiltered listing walks the primary key backwards.)
CREATE INDEX audit_events_user_id_id ON audit_events (user_id, id);

-- CountActiveSessions: revoked_at IS NULL AND expires_at > now AND
-- absolute_expires_at > now. Partial, so revoked sessions take no space in
-- it; led by expires_at, so expired sessions are skipped by a range seek;
-- holding absolute_expires_at as well, so the count can be an index-only
-- scan.
CREATE INDEX sessions_live_expires_at
  ON sessions (expires_at, absolute_expires_at) WHERE revoked_at IS NULL;
