-- 0004_change_feed down: drops the indexes 0004_change_feed.up.sql added.
DROP INDEX users_updated_at;
DROP INDEX sessions_revoked_at;
