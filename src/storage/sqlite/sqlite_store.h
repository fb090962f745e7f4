// SqliteStore: the embedded default backend of the Store port.
//
// One database file in WAL mode, shared by a small pool of connections.
// Readers run beside each other and beside one writer; writers take the
// write lock up front (BEGIN IMMEDIATE), so a refresh rotation's read of
// its token is current and two rotations of one token run one after the
// other. Schema, indexes, durability and locking: docs/storage.md.
#ifndef GATEHOUSE_STORAGE_SQLITE_SQLITE_STORE_H_
#define GATEHOUSE_STORAGE_SQLITE_SQLITE_STORE_H_

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/result.h"
#include "core/thread_annotations.h"
#include "storage/migration.h"
#include "storage/sqlite/sqlite_migrations.h"
#include "storage/store.h"

namespace gatehouse {

class SqliteConnection;  // one pooled sqlite3 handle; sqlite_connection.h

struct SqliteOptions {
  // The database file, created if absent. Its directory must exist: a
  // missing directory is a deployment mistake worth a clear error, not
  // something to paper over. ":memory:" is refused, because every pooled
  // connection would get a database of its own.
  std::string path;
  // Connections kept open, each used by one thread at a time. Readers on
  // separate connections run in parallel; writers are serialised anyway,
  // so more than a handful only costs file descriptors. 1..64.
  int pool_size = 4;
  // The longest a call waits for a lock held by another writer (in this
  // process or another one) or for a free connection, before it gives up
  // with kUnavailable (retry_after_seconds = 1). >= 0.
  Duration busy_timeout{5000};
  // PRAGMA synchronous: "OFF", "NORMAL", "FULL" or "EXTRA" (any case).
  // FULL: a transaction that Run reported committed survives a power cut.
  // NORMAL in WAL mode may lose the last commits on power loss (never on a
  // process crash) but saves one fsync per commit. See docs/storage.md.
  std::string synchronous = "FULL";
  // The schema migrations the Migrator knows, oldest first. Defaults to the
  // set embedded from storage/sqlite/migrations/; tests of the migrator
  // substitute their own. Must outlive the store.
  std::span<const Migration> migrations = SqliteMigrations();
};

class SqliteStore final : public Store, public Migrator {
 public:
  // Opens `options.path` with `options.pool_size` connections, switches the
  // file to WAL mode and configures every connection (foreign keys on,
  // busy timeout, synchronous). Does not migrate: the caller runs Up().
  // Errors: kValidationFailed for a bad option (the message names it);
  // kUnavailable (retry_after_seconds = 1) when the file cannot be opened,
  // with a message naming the path; kInternal if WAL cannot be enabled.
  static Result<std::unique_ptr<SqliteStore>> Open(
      const SqliteOptions& options);

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  // REQUIRES: no call is in progress.
  ~SqliteStore() override;

  // Store. Thread-safe. kWrite begins with BEGIN IMMEDIATE, kRead with a
  // deferred BEGIN; the write methods of a kRead Tx return kInternal
  // without touching the database. Errors of the transaction itself:
  // kUnavailable (retry_after_seconds = 1) when the database stays locked
  // or no connection frees up within busy_timeout, or on I/O failure;
  // kConflict for a constraint violation; kInternal otherwise. No message
  // ever contains a bound value (a token hash, a password hash, an email).
  // If `fn` throws, the transaction is rolled back and the exception
  // propagates. REQUIRES: `fn` does not call Run on this store (it would
  // wait for the connection it holds with a pool of one).
  gatehouse::Status Run(
      TxMode mode, const std::function<gatehouse::Status(Tx&)>& fn) override;
  // Ok if a connection reads the schema now; kUnavailable if not (also
  // when no connection frees up within busy_timeout).
  gatehouse::Status Ping() override;

  // Migrator. Thread-safe, and safe against a second process migrating the
  // same file: each migration runs in its own BEGIN IMMEDIATE transaction
  // and is skipped if it turns out to be applied already. The bookkeeping
  // table schema_migrations is created on first use and never dropped.
  // Up() refuses (kInternal) a database with an applied migration this
  // binary does not know, or whose recorded name differs from ours.
  Result<std::vector<int>> Up() override;
  // kInternal if the newest applied migration is unknown to this binary.
  Result<int> Down() override;
  // Also lists, as applied, migrations recorded in the database that this
  // binary does not know (a newer binary applied them). Writes nothing.
  Result<std::vector<MigrationStatus>> ListMigrations() override;

 private:
  class Lease;
  class WriterTurn;
  struct PendingWrite;
  using SteadyTime = std::chrono::steady_clock::time_point;

  explicit SqliteStore(const SqliteOptions& options);

  // Waits until `deadline` for an idle connection; kUnavailable if none
  // frees up in time.
  Result<Lease> Acquire(SteadyTime deadline) EXCLUDES(pool_mu_);
  // Puts a connection back among the idle ones and wakes one waiter.
  void Release(std::unique_ptr<SqliteConnection> connection) EXCLUDES(pool_mu_);
  // Waits until `deadline` for this process's writer turn (see writing_);
  // kUnavailable if another write holds it for that long.
  Result<WriterTurn> AwaitWriterTurn(SteadyTime deadline) EXCLUDES(write_mu_);
  // Ends the turn and wakes every writer waiting (see RunWrite).
  void EndWriterTurn() EXCLUDES(write_mu_);
  // Run for kWrite: queues `fn` for the next group commit (see
  // write_queue_) and returns its own result once that has committed.
  gatehouse::Status RunWrite(const std::function<gatehouse::Status(Tx&)>& fn,
                             SteadyTime deadline) EXCLUDES(write_mu_);
  // Removes the next group from the front of write_queue_ (at most
  // kMaxGroupCommit members) and marks each member taken.
  std::vector<PendingWrite*> TakeGroup() REQUIRES(write_mu_);
  // Runs `group` in one transaction, each callback inside a savepoint of
  // its own, commits once, and sets every member's result.
  void CommitGroup(const std::vector<PendingWrite*>& group, SteadyTime deadline)
      EXCLUDES(write_mu_);

  // Constant after construction.
  const SqliteOptions options_;

  // Set by every writer from before BEGIN IMMEDIATE to after COMMIT, so
  // writers of this process wait here on a condition variable instead of
  // polling SQLite's lock with sleeps; busy_timeout then only matters
  // against other processes. (Not a timed mutex: ThreadSanitizer in GCC 12
  // cannot see its timed lock.) Never held together with pool_mu_.
  Mutex write_mu_;
  CondVar write_cv_;  // waits under write_mu_
  bool writing_ GUARDED_BY(write_mu_) = false;
  // Group commit: write transactions waiting for their turn queue here;
  // the one at the front, once no write runs, takes everything queued (up
  // to kMaxGroupCommit) and commits it as one SQLite transaction. With
  // synchronous=FULL each commit costs an fsync, which otherwise caps
  // writes at one per fsync; a group shares one. Each callback still runs
  // alone inside its own savepoint, so it commits or vanishes whole, and
  // its caller hears Ok only once the group commit is durable.
  std::deque<PendingWrite*> write_queue_ GUARDED_BY(write_mu_);

  // The connections not lent out.
  Mutex pool_mu_;
  CondVar pool_cv_;  // waits under pool_mu_
  std::vector<std::unique_ptr<SqliteConnection>> idle_ GUARDED_BY(pool_mu_);
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_SQLITE_SQLITE_STORE_H_
