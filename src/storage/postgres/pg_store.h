// PgStore: the PostgreSQL backend of the Store port, for production and
// for several gatehouse instances sharing one database (SPEC §8).
//
// A bounded pool of libpq connections, opened on demand and replaced when
// they break, so the store recovers by itself when the database comes
// back. Statements are prepared once per connection and always run with
// bound parameters. A kWrite transaction is READ COMMITTED and locks the
// refresh-token row it reads (SELECT ... FOR UPDATE), so two instances
// rotating one token run one after the other, exactly as on SQLite.
// Schema, indexes, locking, retries, outages and durability:
// docs/storage.md.
#ifndef GATEHOUSE_STORAGE_POSTGRES_PG_STORE_H_
#define GATEHOUSE_STORAGE_POSTGRES_PG_STORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/result.h"
#include "core/thread_annotations.h"
#include "storage/migration.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/store.h"

namespace gatehouse {

class PgConnection;  // one pooled libpq connection; pg_connection.h

struct PgOptions {
  // A libpq connection string: a URI such as
  // postgres://user:password@host:5432/gatehouse?sslmode=verify-full or
  // key=value pairs ("host=... dbname=..."). Anything libpq accepts
  // (several hosts, target_session_attrs, sslmode, ...) works. Never
  // echoed in an error message, as it may hold a password. A URI whose
  // userinfo holds '@', '/', '?' or '#' unencoded is refused
  // (HasUnencodedUserinfo in core/url_redaction.h): libpq would take part
  // of the password for the host or port, and quote it.
  std::string url;
  // Connections at most, each used by one thread at a time and opened only
  // when needed. Every gatehouse instance holds up to this many of the
  // server's max_connections (100 by default). 1..64.
  int pool_size = 8;
  // The longest opening one connection may take (TCP, TLS, authentication)
  // before the call fails with kUnavailable. Bounds how long a request
  // waits when the database host is unreachable. > 0.
  Duration connect_timeout{3000};
  // Sent to the server as statement_timeout: a statement running longer,
  // or waiting longer for a row lock (a rotation of the same token, say),
  // is cancelled and the call fails with kUnavailable. The client also
  // gives up on a connection that stays silent for 2 s beyond this (a
  // network partition). Migrations are exempt. > 0.
  Duration statement_timeout{5000};
  // The longest a call waits for a free connection when all pool_size are
  // in use, before it fails with kUnavailable. >= 0.
  Duration acquire_timeout{5000};
  // The schema migrations the Migrator knows, oldest first. Defaults to the
  // set embedded from storage/postgres/migrations/; tests of the migrator
  // substitute their own. Must outlive the store.
  std::span<const Migration> migrations = PgMigrations();
};

class PgStore final : public Store, public Migrator {
 public:
  // Checks the options and the connection string's syntax. Connects to
  // nothing yet: the first call opens the first connection, so a store
  // opened while the database is down works once it is up. Does not
  // migrate: the caller runs Up(). Errors: kValidationFailed for a bad
  // option or a malformed connection string, an unencoded userinfo
  // included (the message names the option, never its value).
  static Result<std::unique_ptr<PgStore>> Open(const PgOptions& options);

  PgStore(const PgStore&) = delete;
  PgStore& operator=(const PgStore&) = delete;
  // REQUIRES: no call is in progress.
  ~PgStore() override;

  // Store. Thread-safe. kWrite begins READ COMMITTED, and its
  // FindRefreshToken locks the row (FOR UPDATE) until the end; kRead
  // begins REPEATABLE READ READ ONLY (one snapshot for the whole callback,
  // as on SQLite), and the write methods of a kRead Tx return kInternal
  // without touching the database. Commits if `fn` returns Ok, rolls back
  // otherwise; if `fn` throws, rolls back and rethrows.
  //
  // `fn` may run more than once: when PostgreSQL aborts the transaction
  // for a deadlock or a serialization failure (40P01, 40001), the whole
  // callback is run again in a fresh transaction, up to 3 times in all.
  // It must therefore (re)set whatever it reports to the caller on each
  // run rather than append to it.
  //
  // Errors of the store itself: kConflict for a unique or foreign key
  // violation (the transaction stays usable); kUnavailable
  // (retry_after_seconds = 1) when the database cannot be reached, goes
  // away, shuts down, times out (statement_timeout, connect_timeout,
  // acquire_timeout) or keeps deadlocking; kValidationFailed for a text
  // value that is not UTF-8 or holds NUL where store.h requires it exact
  // (ids, emails, hashes, names); kInternal otherwise (e.g. no schema:
  // nobody ran `migrate up`). If the connection breaks during COMMIT the
  // outcome is unknown; the call reports kUnavailable. No message ever
  // contains a bound value (a token hash, a password hash, an email).
  // REQUIRES: `fn` does not call Run on this store (with every connection
  // of the pool held by such callers, they would wait for each other).
  gatehouse::Status Run(
      TxMode mode, const std::function<gatehouse::Status(Tx&)>& fn) override;
  // Ok if the database answers a trivial query now; kUnavailable if not.
  gatehouse::Status Ping() override;

  // Migrator. Thread-safe, and safe against other instances migrating the
  // same database at once: each migration runs in its own transaction
  // that first takes a transaction-level advisory lock
  // (pg_advisory_xact_lock), then checks whether the migration is still
  // pending. The bookkeeping table schema_migrations (in the first schema
  // of search_path, like every table) is created on first use and never
  // dropped. Migrations run without statement_timeout and wait for the
  // lock as long as another instance holds it. Up() refuses (kInternal) a
  // database with an applied migration this binary does not know, or
  // whose recorded name differs from ours.
  Result<std::vector<int>> Up() override;
  // kInternal if the newest applied migration is unknown to this binary.
  Result<int> Down() override;
  // Also lists, as applied, migrations recorded in the database that this
  // binary does not know (a newer binary applied them). Writes nothing.
  Result<std::vector<MigrationStatus>> ListMigrations() override;

 private:
  class Lease;
  using SteadyTime = std::chrono::steady_clock::time_point;

  explicit PgStore(const PgOptions& options);

  // Lends an idle connection, or opens a new one if the pool has room,
  // waiting until `deadline` for either. kUnavailable if neither comes in
  // time, or if opening fails (at once, with the same error, for
  // kReconnectPause after a failed attempt).
  Result<Lease> Acquire(SteadyTime deadline) EXCLUDES(pool_mu_);
  // Takes a connection back; closes it instead if it is broken, inside a
  // transaction or older than the schema (see schema_epoch_).
  void Release(std::unique_ptr<PgConnection> connection) EXCLUDES(pool_mu_);
  // Acquire + BEGIN. A pooled connection that died while idle (the server
  // restarted) is only found out by using it: it is dropped and the next
  // one tried, as nothing has run yet.
  Result<Lease> Begin(TxMode mode) EXCLUDES(pool_mu_);
  // The schema changed: pooled connections are replaced rather than reused
  // (their prepared statements were planned for the old one).
  void SchemaChanged() EXCLUDES(pool_mu_);

  // Constant after construction.
  const PgOptions options_;

  // The pool. Connections are opened and closed outside the lock.
  Mutex pool_mu_;
  CondVar pool_cv_;  // waits under pool_mu_
  std::vector<std::unique_ptr<PgConnection>> idle_ GUARDED_BY(pool_mu_);
  // Idle + lent out + being opened.
  int open_ GUARDED_BY(pool_mu_) = 0;
  // Bumped by Up/Down when they change the schema.
  uint64_t schema_epoch_ GUARDED_BY(pool_mu_) = 0;
  // The last failed attempt to open a connection: for a short while after
  // it, callers that would open one fail at once with the same error
  // instead of each waiting up to connect_timeout on a dead host.
  std::optional<std::pair<SteadyTime, Error>> last_connect_failure_
      GUARDED_BY(pool_mu_);
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_POSTGRES_PG_STORE_H_
