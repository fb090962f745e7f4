// Internal to the PostgreSQL backend: PgTransaction, an open transaction
// on one PgConnection, rolled back when destroyed unless it was ended, so
// an error return or an exception anywhere leaves nothing behind. Also
// the statements that begin a transaction, and the transaction-level
// advisory locks gatehouse takes.
#ifndef GATEHOUSE_STORAGE_POSTGRES_PG_TRANSACTION_H_
#define GATEHOUSE_STORAGE_POSTGRES_PG_TRANSACTION_H_

#include <optional>
#include <string_view>

#include "core/result.h"
#include "storage/postgres/pg_connection.h"

namespace gatehouse {
namespace pg {

// kRead: one snapshot for the whole callback, as SQLite's deferred BEGIN
// gives; a read-only REPEATABLE READ transaction never fails to serialise.
// kWrite: READ COMMITTED, so a row lock waits for the holder and then
// reads its committed result instead of failing (docs/storage.md).
inline constexpr std::string_view kBeginRead =
    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
inline constexpr std::string_view kBeginWrite =
    "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE";

// Transaction-level advisory locks: released at commit or rollback, also
// when the connection dies. Key 1734441061 is "gate" in ASCII; the second
// number names the lock.
#define GH_ADVISORY_LOCK(n) "SELECT pg_advisory_xact_lock(1734441061, " #n ")"
// Held by each migration step, so instances starting at once migrate one
// after the other (the second finds the work done).
inline constexpr std::string_view kLockMigrations = GH_ADVISORY_LOCK(1);
// Taken before an audit insert and held to commit, so audit ids, which a
// sequence hands out at insert, also grow in commit order (docs/storage.md).
inline constexpr std::string_view kLockAuditLog = GH_ADVISORY_LOCK(2);
#undef GH_ADVISORY_LOCK

}  // namespace pg

// Not thread-safe, like its connection, which must outlive it. It does
// not begin the transaction: the caller has sent (or is about to send)
// BEGIN on the connection.
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& connection) : connection_(&connection) {}
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  // Rollback() unless ended.
  ~PgTransaction() {
    if (connection_ != nullptr) (void)Rollback();
  }

  // Ends the transaction with ROLLBACK; Ok at once if it is ended already
  // or the connection is broken (the server rolls back by itself). If
  // ROLLBACK fails, the connection is out of step: it is marked broken,
  // never to be lent out again, and the error returned.
  gatehouse::Status Rollback();

  // Ends the transaction with COMMIT. `failure` is the error that aborted
  // the transaction earlier, if a statement failed and the callback
  // carried on regardless: then PostgreSQL can only roll back, and that
  // error is returned. If the connection breaks during COMMIT the outcome
  // is unknown, and the kUnavailable error says so.
  gatehouse::Status Commit(const std::optional<Error>& failure);

 private:
  PgConnection* connection_;  // null once ended
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_POSTGRES_PG_TRANSACTION_H_
