-- 0004_change_feed: indexes for the change feed every instance polls to
-- learn of revocations and user updates made elsewhere
-- (service/revocation_feed.h). Explained in docs/storage.md.

-- Partial: only revoked sessions are ever asked for, and they are few
-- next to the live ones, so the index stays small.
CREATE INDEX sessions_revoked_at
  ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX users_updated_at ON users (updated_at);
