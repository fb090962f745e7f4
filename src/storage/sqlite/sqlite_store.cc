// SqliteStore (sqlite_store.h): the pool of connections, this process's
// writer turn and the group commit of write transactions; the Store and
// Migrator calls run on them (the SQL lives in sqlite_tx.cc and
// sqlite_migrator.cc).
#include "storage/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <optional>
#include <string_view>
#include <utility>

#include "storage/sqlite/sqlite_connection.h"
#include "storage/sqlite/sqlite_helpers.h"
#include "storage/sqlite/sqlite_migrator.h"
#include "storage/sqlite/sqlite_statement.h"
#include "storage/sqlite/sqlite_transaction.h"
#include "storage/sqlite/sqlite_tx.h"
#include "storage/store_errors.h"

namespace gatehouse {
namespace {

using SteadyClock = std::chrono::steady_clock;
using sqlite::ClampMillis;
using sqlite::FromSqlite;
using sqlite::NormaliseSynchronous;

// More connections than this only cost file descriptors (see pool_size).
constexpr int kMaxPoolSize = 64;

// --- SQL. Constant text only: values are always bound (see FromSqlite). ---

// Each member of a group commit runs inside this savepoint.
constexpr std::string_view kSavepoint = "SAVEPOINT gatehouse_member";
constexpr std::string_view kReleaseSavepoint = "RELEASE gatehouse_member";
constexpr std::string_view kRollbackToSavepoint =
    "ROLLBACK TO gatehouse_member";
// Members of one group commit at most: bounds how long one transaction
// holds the write lock (each member is a few statements, tens of us).
constexpr size_t kMaxGroupCommit = 32;
constexpr std::string_view kPing = "SELECT count(*) FROM sqlite_schema";

}  // namespace

// A connection on loan from the pool; gives it back when destroyed.
class SqliteStore::Lease {
 public:
  Lease(SqliteStore* store, std::unique_ptr<SqliteConnection> connection)
      : store_(store), connection_(std::move(connection)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (connection_ != nullptr) store_->Release(std::move(connection_));
  }
  SqliteConnection& operator*() { return *connection_; }
  SqliteConnection* operator->() { return connection_.get(); }

 private:
  SqliteStore* store_;
  std::unique_ptr<SqliteConnection> connection_;
};

// This process's turn to write; ends it when destroyed.
class SqliteStore::WriterTurn {
 public:
  explicit WriterTurn(SqliteStore* store) : store_(store) {}
  WriterTurn(WriterTurn&& other) noexcept
      : store_(std::exchange(other.store_, nullptr)) {}
  WriterTurn& operator=(WriterTurn&&) = delete;
  ~WriterTurn() {
    if (store_ != nullptr) store_->EndWriterTurn();
  }

 private:
  SqliteStore* store_;
};

SqliteStore::SqliteStore(const SqliteOptions& options) : options_(options) {}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const SqliteOptions& options) {
  if (options.path.empty() || options.path == ":memory:") {
    return MakeError(ErrorCode::kValidationFailed,
                     "sqlite path: must name a database file");
  }
  if (options.pool_size < 1 || options.pool_size > kMaxPoolSize) {
    return MakeError(ErrorCode::kValidationFailed,
                     "sqlite pool_size: must be between 1 and " +
                         std::to_string(kMaxPoolSize));
  }
  if (options.busy_timeout < Duration::zero()) {
    return MakeError(ErrorCode::kValidationFailed,
                     "sqlite busy_timeout: must not be negative");
  }
  std::optional<std::string> synchronous =
      NormaliseSynchronous(options.synchronous);
  if (!synchronous.has_value()) {
    return MakeError(ErrorCode::kValidationFailed,
                     "sqlite synchronous: must be OFF, NORMAL, FULL or EXTRA");
  }
  for (size_t i = 0; i < options.migrations.size(); ++i) {
    if (options.migrations[i].version != static_cast<int>(i) + 1) {
      return Internal("sqlite: migrations must be numbered 1, 2, 3, ...");
    }
  }

  auto store = std::unique_ptr<SqliteStore>(new SqliteStore(options));
  for (int i = 0; i < options.pool_size; ++i) {
    GH_ASSIGN_OR_RETURN(
        std::unique_ptr<SqliteConnection> connection,
        SqliteConnection::Open(options, *synchronous, /*set_wal=*/i == 0));
    MutexLock lock(&store->pool_mu_);
    store->idle_.push_back(std::move(connection));
  }
  return store;
}

Result<SqliteStore::Lease> SqliteStore::Acquire(SteadyTime deadline) {
  MutexLock lock(&pool_mu_);
  while (idle_.empty()) {
    if (!pool_cv_.WaitUntil(&pool_mu_, deadline) && idle_.empty()) {
      return Unavailable(
          "sqlite: no free connection within busy_timeout (pool exhausted)");
    }
  }
  std::unique_ptr<SqliteConnection> connection = std::move(idle_.back());
  idle_.pop_back();
  return Lease(this, std::move(connection));
}

void SqliteStore::Release(std::unique_ptr<SqliteConnection> connection) {
  {
    MutexLock lock(&pool_mu_);
    idle_.push_back(std::move(connection));
  }
  pool_cv_.Signal();
}

Result<SqliteStore::WriterTurn> SqliteStore::AwaitWriterTurn(
    SteadyTime deadline) {
  MutexLock lock(&write_mu_);
  while (writing_) {
    if (!write_cv_.WaitUntil(&write_mu_, deadline) && writing_) {
      return Unavailable(
          "sqlite: another write held the lock for longer than "
          "busy_timeout");
    }
  }
  writing_ = true;
  return WriterTurn(this);
}

void SqliteStore::EndWriterTurn() {
  {
    MutexLock lock(&write_mu_);
    writing_ = false;
  }
  // All: queued group-commit callers wait here too (see RunWrite).
  write_cv_.SignalAll();
}

// One write transaction waiting for, or inside, a group commit.
struct SqliteStore::PendingWrite {
  const std::function<gatehouse::Status(Tx&)>* fn = nullptr;
  // Set, under write_mu_, when its group has ended.
  std::optional<gatehouse::Status> result;
  // Thrown by fn on the leader's thread; rethrown on the caller's.
  std::exception_ptr exception;
  // Taken into a group: from then on its caller must wait for the end,
  // since fn (on the caller's stack) is in use.
  bool taken = false;
};

gatehouse::Status SqliteStore::Run(
    TxMode mode, const std::function<gatehouse::Status(Tx&)>& fn) {
  const SteadyTime deadline = SteadyClock::now() + options_.busy_timeout;
  if (mode == TxMode::kWrite) return RunWrite(fn, deadline);
  GH_ASSIGN_OR_RETURN(Lease connection, Acquire(deadline));
  GH_ASSIGN_OR_RETURN(SqliteTransaction txn,
                      SqliteTransaction::Begin(*connection, mode, deadline));
  SqliteTx tx(*connection, mode);
  gatehouse::Status result = fn(tx);
  if (!result.ok()) return result;  // ~SqliteTransaction rolls back
  return txn.Commit();
}

gatehouse::Status SqliteStore::RunWrite(
    const std::function<gatehouse::Status(Tx&)>& fn, SteadyTime deadline) {
  PendingWrite me;
  me.fn = &fn;
  std::vector<PendingWrite*> group;  // the one this caller leads, if any
  {
    MutexLock lock(&write_mu_);
    write_queue_.push_back(&me);
    while (!me.result) {
      if (!writing_ && !me.taken && write_queue_.front() == &me) {
        // This caller leads the next group: everything queued so far.
        group = TakeGroup();
        writing_ = true;
        break;
      }
      if (me.taken) {
        write_cv_.Wait(&write_mu_);  // the leader's own deadline bounds this
      } else if (!write_cv_.WaitUntil(&write_mu_, deadline) && !me.taken &&
                 !me.result) {
        write_queue_.erase(
            std::find(write_queue_.begin(), write_queue_.end(), &me));
        write_cv_.SignalAll();  // the front may have changed
        return Unavailable(
            "sqlite: another write held the lock for longer than "
            "busy_timeout");
      }
    }
  }
  if (!group.empty()) {
    try {
      CommitGroup(group, deadline);
    } catch (...) {
      // Out of memory or the like around the callbacks: nobody may be
      // left waiting for a result, nor the writer turn left taken.
      MutexLock failed(&write_mu_);
      for (PendingWrite* member : group) {
        if (!member->result) {
          member->result = Internal("sqlite: group commit failed");
        }
      }
    }
    MutexLock lock(&write_mu_);
    writing_ = false;
    write_cv_.SignalAll();
  }
  // Both were set before the result was published under write_mu_, and
  // nobody touches them once it is.
  if (me.exception) std::rethrow_exception(me.exception);
  return *std::move(me.result);
}

std::vector<SqliteStore::PendingWrite*> SqliteStore::TakeGroup() {
  std::vector<PendingWrite*> group;
  while (!write_queue_.empty() && group.size() < kMaxGroupCommit) {
    group.push_back(write_queue_.front());
    group.back()->taken = true;
    write_queue_.pop_front();
  }
  return group;
}

void SqliteStore::CommitGroup(const std::vector<PendingWrite*>& group,
                              SteadyTime deadline) {
  // Results are published under write_mu_, which the waiting callers read.
  auto finish = [&](const std::vector<std::optional<gatehouse::Status>>& own,
                    const gatehouse::Status& commit) {
    MutexLock lock(&write_mu_);
    for (size_t i = 0; i < group.size(); ++i) {
      group[i]->result = own[i].has_value() ? *own[i] : commit;
    }
  };
  std::vector<std::optional<gatehouse::Status>> own(group.size());
  auto lease = Acquire(deadline);
  if (!lease.ok()) return finish(own, lease.error());
  SqliteConnection& connection = **lease;
  auto txn = SqliteTransaction::Begin(connection, TxMode::kWrite, deadline);
  if (!txn.ok()) return finish(own, txn.error());

  // A group of one needs no savepoint: its transaction is its own.
  const bool alone = group.size() == 1;
  for (size_t i = 0; i < group.size(); ++i) {
    if (!alone) {
      gatehouse::Status opened =
          ExecCached(connection, kSavepoint, "SAVEPOINT");
      if (!opened.ok()) return finish(own, opened);
    }
    SqliteTx tx(connection, TxMode::kWrite);
    gatehouse::Status result = Ok();
    try {
      result = (*group[i]->fn)(tx);
    } catch (...) {
      group[i]->exception = std::current_exception();
      result = Internal("sqlite: the transaction callback threw");
    }
    if (sqlite3_get_autocommit(connection.db()) != 0) {
      // SQLite itself ended the transaction (a busy, full-disk or I/O
      // error): every member so far is gone with it.
      return finish(own, FromSqlite(connection.last_failure() != SQLITE_OK
                                        ? connection.last_failure()
                                        : SQLITE_ERROR,
                                    "group commit",
                                    "the database rolled the transaction back "
                                    "after an error"));
    }
    if (!result.ok()) {
      own[i] = result;
      if (alone) return finish(own, result);  // ~SqliteTransaction rolls back
      gatehouse::Status undone =
          ExecCached(connection, kRollbackToSavepoint, "ROLLBACK TO");
      if (!undone.ok()) return finish(own, undone);
    }
    if (!alone) {
      gatehouse::Status released =
          ExecCached(connection, kReleaseSavepoint, "RELEASE");
      if (!released.ok()) return finish(own, released);
    }
  }
  finish(own, txn->Commit());
}

gatehouse::Status SqliteStore::Ping() {
  const SteadyTime deadline = SteadyClock::now() + options_.busy_timeout;
  GH_ASSIGN_OR_RETURN(Lease connection, Acquire(deadline));
  GH_ASSIGN_OR_RETURN(SqliteStatement st,
                      SqliteStatement::Use(*connection, kPing, "Ping"));
  gatehouse::Status done = st.Exec();
  if (!done.ok()) {
    Error e = std::move(done).error();
    // Whatever stops a trivial read means "not reachable" to a probe.
    return Unavailable(std::move(e.message));
  }
  return Ok();
}

Result<std::vector<int>> SqliteStore::Up() {
  const SteadyTime deadline = SteadyClock::now() + options_.busy_timeout;
  GH_ASSIGN_OR_RETURN(WriterTurn writer, AwaitWriterTurn(deadline));
  GH_ASSIGN_OR_RETURN(Lease connection, Acquire(deadline));
  return SqliteMigrator(*connection, options_.migrations)
      .Up(options_.busy_timeout);
}

Result<int> SqliteStore::Down() {
  const SteadyTime deadline = SteadyClock::now() + options_.busy_timeout;
  GH_ASSIGN_OR_RETURN(WriterTurn writer, AwaitWriterTurn(deadline));
  GH_ASSIGN_OR_RETURN(Lease connection, Acquire(deadline));
  return SqliteMigrator(*connection, options_.migrations).Down(deadline);
}

Result<std::vector<MigrationStatus>> SqliteStore::ListMigrations() {
  const SteadyTime deadline = SteadyClock::now() + options_.busy_timeout;
  GH_ASSIGN_OR_RETURN(Lease connection, Acquire(deadline));
  return SqliteMigrator(*connection, options_.migrations).List(deadline);
}

}  // namespace gatehouse
