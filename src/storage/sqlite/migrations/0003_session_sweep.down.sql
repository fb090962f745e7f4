-- 0003_session_sweep down: drops the index 0003_session_sweep.up.sql added.
DROP INDEX sessions_ended_at;
