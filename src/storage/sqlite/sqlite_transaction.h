// Internal to the SQLite backend: SqliteTransaction, an open transaction
// on one SqliteConnection, rolled back when destroyed unless committed, so
// an error return or an exception anywhere leaves nothing behind.
#ifndef GATEHOUSE_STORAGE_SQLITE_SQLITE_TRANSACTION_H_
#define GATEHOUSE_STORAGE_SQLITE_SQLITE_TRANSACTION_H_

#include <chrono>
#include <utility>

#include "core/result.h"
#include "storage/sqlite/sqlite_connection.h"
#include "storage/store.h"

namespace gatehouse {

// Not thread-safe, like its connection, which must outlive it.
class SqliteTransaction {
 public:
  // Begins with BEGIN IMMEDIATE (kWrite) or a deferred BEGIN (kRead).
  // Waits for the database's write lock at most until `deadline`, then
  // gives up with kUnavailable (the connection's busy timeout is shortened
  // for the BEGIN and restored after it).
  static Result<SqliteTransaction> Begin(
      SqliteConnection& connection, TxMode mode,
      std::chrono::steady_clock::time_point deadline);

  SqliteTransaction(SqliteTransaction&& other) noexcept
      : connection_(std::exchange(other.connection_, nullptr)) {}
  SqliteTransaction& operator=(SqliteTransaction&&) = delete;
  // ROLLBACK unless committed (or already ended by SQLite itself).
  ~SqliteTransaction();

  // COMMIT. If SQLite already rolled the transaction back itself (after a
  // busy, full-disk or I/O error the caller chose to ignore), commits
  // nothing and returns that failure's error instead: committing what is
  // left would half-apply. Call at most once.
  gatehouse::Status Commit();

 private:
  explicit SqliteTransaction(SqliteConnection& connection)
      : connection_(&connection) {}

  SqliteConnection* connection_;  // null once committed or moved from
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_SQLITE_SQLITE_TRANSACTION_H_
