-- 0001_init: the first gatehouse schema (PostgreSQL). The same tables,
-- keys and indexes as the SQLite 0001_init, so a migration number means
-- the same schema on both backends. Every index is explained in
-- docs/storage.md.
--
-- Times are timestamptz: the store sends and reads them as exact unix
-- milliseconds (the binary protocol's microseconds since 2000-01-01).
-- Keys and ids are text COLLATE "C": compared and ordered byte for byte,
-- as in SQLite, whatever the database's locale, so ListUsers pages in the
-- same order on both backends.

CREATE TABLE users (
  id            text COLLATE "C" NOT NULL PRIMARY KEY,
  -- Stored lower-cased (ASCII letters, as SQLite's lower() and NOCASE
  -- fold) by the store; lower() under "C" folds ASCII only in any locale.
  email         text COLLATE "C" NOT NULL
                CONSTRAINT users_email_lower_case CHECK (email = lower(email)),
  name          text        NOT NULL DEFAULT '',
  role          text        NOT NULL DEFAULT 'user',
  disabled      boolean     NOT NULL DEFAULT false,
  password_hash text        NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);
-- Uniqueness of email (case-insensitive, as it is stored lower-cased) and
-- FindUserByEmail.
CREATE UNIQUE INDEX users_email ON users (email);
-- ListUsers pages by (created_at, id) without sorting the whole table.
CREATE INDEX users_created_at_id ON users (created_at, id);

CREATE TABLE sessions (
  id                  text COLLATE "C" NOT NULL PRIMARY KEY,
  user_id             text COLLATE "C" NOT NULL
                      REFERENCES users (id) ON DELETE CASCADE,
  created_at          timestamptz NOT NULL,
  last_used_at        timestamptz NOT NULL,
  expires_at          timestamptz NOT NULL,
  absolute_expires_at timestamptz NOT NULL,
  user_agent          text        NOT NULL DEFAULT '',
  ip                  text        NOT NULL DEFAULT '',
  generation          bigint      NOT NULL DEFAULT 0,
  revoked_at          timestamptz,
  revoke_reason       text        NOT NULL DEFAULT ''
);
-- ListActiveSessions and RevokeUserSessions select by user; created_at and
-- id after it give "newest first" straight from the index (read
-- backwards). Also serves the foreign key from users.
CREATE INDEX sessions_user_id_created_at ON sessions (user_id, created_at, id);

CREATE TABLE refresh_tokens (
  token_hash    text COLLATE "C" NOT NULL PRIMARY KEY,
  session_id    text COLLATE "C" NOT NULL
                REFERENCES sessions (id) ON DELETE CASCADE,
  generation    bigint      NOT NULL,
  issued_at     timestamptz NOT NULL,
  superseded_at timestamptz
);
-- The foreign key from sessions (deleting a session must not scan every
-- token) and finding a session's token of a given generation.
CREATE INDEX refresh_tokens_session_id_generation
  ON refresh_tokens (session_id, generation);

CREATE TABLE signing_keys (
  kid                text COLLATE "C" NOT NULL PRIMARY KEY,
  alg                text        NOT NULL,
  public_key         bytea       NOT NULL,
  sealed_private_key bytea       NOT NULL,
  created_at         timestamptz NOT NULL,
  retired_at         timestamptz
);

CREATE TABLE server_secrets (
  name         text COLLATE "C" NOT NULL PRIMARY KEY,
  sealed_value bytea       NOT NULL,
  -- Audit only: the Tx call carries no time, so the database's clock.
  created_at   timestamptz NOT NULL DEFAULT now()
);
