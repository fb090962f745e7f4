-- 0001_init: the first gatehouse schema (SQLite).
-- Times are INTEGER unix milliseconds (core/clock.h ToUnixMillis). STRICT
-- tables make SQLite reject a value of the wrong type instead of storing it.
-- Every index below is explained in docs/storage.md.

CREATE TABLE users (
  id            TEXT    NOT NULL PRIMARY KEY,
  -- Stored lower-cased by the store; NOCASE makes the unique index and
  -- lookups case-insensitive even for a row written by hand.
  email         TEXT    NOT NULL COLLATE NOCASE CHECK (email = lower(email)),
  name          TEXT    NOT NULL DEFAULT '',
  role          TEXT    NOT NULL DEFAULT 'user',
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  password_hash TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;
-- Uniqueness of email (case-insensitive) and FindUserByEmail.
CREATE UNIQUE INDEX users_email ON users (email);
-- ListUsers pages by (created_at, id) without sorting the whole table.
CREATE INDEX users_created_at_id ON users (created_at, id);

CREATE TABLE sessions (
  id                  TEXT    NOT NULL PRIMARY KEY,
  user_id             TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at          INTEGER NOT NULL,
  last_used_at        INTEGER NOT NULL,
  expires_at          INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL,
  user_agent          TEXT    NOT NULL DEFAULT '',
  ip                  TEXT    NOT NULL DEFAULT '',
  generation          INTEGER NOT NULL DEFAULT 0,
  revoked_at          INTEGER,
  revoke_reason       TEXT    NOT NULL DEFAULT ''
) STRICT;
-- ListActiveSessions and RevokeUserSessions select by user; created_at
-- second gives "newest first" straight from the index. Also serves the
-- foreign key from users (deleting a user finds its sessions).
CREATE INDEX sessions_user_id_created_at ON sessions (user_id, created_at);

CREATE TABLE refresh_tokens (
  token_hash    TEXT    NOT NULL PRIMARY KEY,
  session_id    TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  generation    INTEGER NOT NULL,
  issued_at     INTEGER NOT NULL,
  superseded_at INTEGER
) STRICT, WITHOUT ROWID;
-- The foreign key from sessions (deleting a session must not scan every
-- token) and finding a session's token of a given generation (grace: the
-- successor of a superseded token).
CREATE INDEX refresh_tokens_session_id_generation
  ON refresh_tokens (session_id, generation);

CREATE TABLE signing_keys (
  kid                TEXT    NOT NULL PRIMARY KEY,
  alg                TEXT    NOT NULL,
  public_key         BLOB    NOT NULL,
  sealed_private_key BLOB    NOT NULL,
  created_at         INTEGER NOT NULL,
  retired_at         INTEGER
) STRICT;

CREATE TABLE server_secrets (
  name         TEXT    NOT NULL PRIMARY KEY,
  sealed_value BLOB    NOT NULL,
  created_at   INTEGER NOT NULL
) STRICT;
