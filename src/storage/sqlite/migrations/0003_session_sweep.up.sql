-- 0003_session_sweep: an index for DeleteEndedSessions, the background
-- sweep of sessions that ended long ago. Explained in docs/storage.md.

-- A session ends at the earliest of revoked_at (NULL while live),
-- expires_at and absolute_expires_at. SQLite's multi-argument min() is NULL
-- if any argument is, hence the coalesce. Indexing that one expression lets
-- "ended before the cutoff, oldest first, LIMIT n" be a single range seek
-- that reads n entries, however many live sessions there are. The sweep's
-- query must spell the expression exactly like this, or SQLite will not
-- use the index.
CREATE INDEX sessions_ended_at
  ON sessions (min(coalesce(revoked_at, expires_at), expires_at,
                   absolute_expires_at));
