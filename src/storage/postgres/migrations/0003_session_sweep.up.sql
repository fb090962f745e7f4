-- 0003_session_sweep: an index for DeleteEndedSessions, the background
-- sweep of sessions that ended long ago. Explained in docs/storage.md.

-- A session ends at the earliest of revoked_at (NULL while live),
-- expires_at and absolute_expires_at; LEAST ignores NULLs. Indexing that
-- one expression makes "ended before the cutoff, oldest first, LIMIT n" a
-- single range scan that reads n entries, however many live sessions there
-- are. The sweep's query spells the expression exactly like this, or the
-- planner would not match it to the index.
CREATE INDEX sessions_ended_at
  ON sessions ((LEAST(revoked_at, expires_at, absolute_expires_at)));
