#!/usr/bin/env bash
# Adds COUNT live sessions (each with its current refresh token) to a
# migrated gatehouse database, in one transaction, with plain SQL: seeding
# a million sessions through a million argon2id sign-ins would take hours.
# The rows have the shape production writes (UUID ids, a 64-hex token
# hash, times in each backend's own form) for filler users, one per 1,000
# sessions, so indexes grow as they would in production.
#
#   bench/seed_sessions.sh sqlite://PATH COUNT
#   bench/seed_sessions.sh postgres://USER@HOST:PORT/DB COUNT
#
# Written against the schema of src/storage/*/migrations; a migration that
# changes these tables must change this file too (it fails loudly if not).
set -euo pipefail

url=${1:?database URL}
count=${2:?session count}
[[ $count =~ ^[1-9][0-9]*$ ]] || { echo "seed_sessions: bad count '$count'" >&2; exit 2; }
users=$(( count / 1000 > 0 ? count / 1000 : 1 ))
# Tags this batch's filler users, so seeding twice adds rather than collides.
batch=$(od -An -tx1 -N6 /dev/urandom | tr -d ' \n')
# An argon2id hash of no password anyone knows: filler users never sign in.
# shellcheck disable=SC2016  # a literal hash, not an expansion
filler_hash='$argon2id$v=19$m=19456,t=2,p=1$c2VlZHNlZWRzZWVkc2VlZA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

case $url in
  sqlite://*)
    path=${url#sqlite://}
    now=$(date +%s%3N)
    day=86400000
    # SQLite: times are unix milliseconds; ids are random UUID-shaped text.
    sqlite3 -bail "$path" <<SQL
PRAGMA foreign_keys = ON;
-- Room for the whole load in memory: random UUID keys touch pages all over
-- each index, and with the default 2 MB cache every insert would reread one.
PRAGMA cache_size = -2000000;
BEGIN IMMEDIATE;
CREATE TEMP TABLE seed AS
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count)
  SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' ||
               hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' ||
               hex(randomblob(6))) AS id,
         lower(hex(randomblob(32))) AS token_hash,
         1 + i % $users AS user_index
  FROM n;
INSERT INTO users (id, email, name, role, disabled, password_hash, created_at, updated_at)
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $users)
  SELECT 'seed-$batch-' || i, 'seed-$batch-' || i || '@example.test', '', 'user', 0,
         '$filler_hash', $now, $now
  FROM n;
INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at,
                      absolute_expires_at, user_agent, ip, generation)
  SELECT id, 'seed-$batch-' || user_index, $now, $now, $now + 30 * $day,
         $now + 90 * $day, 'bench seed', '127.0.0.1', 0
  FROM seed ORDER BY id;
INSERT INTO refresh_tokens (token_hash, session_id, generation, issued_at)
  SELECT token_hash, id, 0, $now FROM seed ORDER BY token_hash;
COMMIT;
SQL
    ;;
  postgres://*)
    psql -X -q -v ON_ERROR_STOP=1 "$url" <<SQL
BEGIN;
CREATE TEMP TABLE seed ON COMMIT DROP AS
  SELECT gen_random_uuid()::text AS id,
         md5(random()::text) || md5(random()::text) AS token_hash,
         1 + i % $users AS user_index
  FROM generate_series(1, $count) AS i;
INSERT INTO users (id, email, name, role, disabled, password_hash, created_at, updated_at)
  SELECT 'seed-$batch-' || i, 'seed-$batch-' || i || '@example.test', '', 'user',
         false, '$filler_hash', now(), now()
  FROM generate_series(1, $users) AS i;
INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at,
                      absolute_expires_at, user_agent, ip, generation)
  SELECT id, 'seed-$batch-' || user_index, now(), now(), now() + interval '30 days',
         now() + interval '90 days', 'bench seed', '127.0.0.1', 0
  FROM seed;
INSERT INTO refresh_tokens (token_hash, session_id, generation, issued_at)
  SELECT token_hash, id, 0, now() FROM seed;
COMMIT;
-- Fresh statistics, as autovacuum would have them after a load this size.
ANALYZE users;
ANALYZE sessions;
ANALYZE refresh_tokens;
SQL
    ;;
  *)
    echo "seed_sessions: unsupported database URL: $url" >&2
    exit 2
    ;;
esac
