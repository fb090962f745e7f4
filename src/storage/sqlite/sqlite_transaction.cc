// SqliteTransaction (sqlite_transaction.h): BEGIN, COMMIT and the ROLLBACK
// that every other way out of a transaction ends in.
#include "storage/sqlite/sqlite_transaction.h"

#include <sqlite3.h>

#include <string_view>

#include "storage/sqlite/sqlite_helpers.h"
#include "storage/sqlite/sqlite_statement.h"

namespace gatehouse {
namespace {

using SteadyClock = std::chrono::steady_clock;
using sqlite::ClampMillis;
using sqlite::FromSqlite;

constexpr std::string_view kBeginDeferred = "BEGIN";
constexpr std::string_view kBeginImmediate = "BEGIN IMMEDIATE";
constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";

}  // namespace

Result<SqliteTransaction> SqliteTransaction::Begin(
    SqliteConnection& connection, TxMode mode,
    SteadyClock::time_point deadline) {
  sqlite3_busy_timeout(connection.db(),
                       ClampMillis(deadline - SteadyClock::now()));
  gatehouse::Status begun = ExecCached(
      connection, mode == TxMode::kWrite ? kBeginImmediate : kBeginDeferred,
      "BEGIN");
  sqlite3_busy_timeout(connection.db(), ClampMillis(connection.busy_timeout()));
  if (!begun.ok()) return std::move(begun).error();
  return SqliteTransaction(connection);
}

SqliteTransaction::~SqliteTransaction() {
  if (connection_ != nullptr &&
      sqlite3_get_autocommit(connection_->db()) == 0) {
    // Nothing useful to do if even ROLLBACK fails; the next BEGIN on
    // this connection would report it.
    (void)ExecCached(*connection_, kRollback, "ROLLBACK");
  }
}

gatehouse::Status SqliteTransaction::Commit() {
  SqliteConnection& connection = *connection_;
  if (sqlite3_get_autocommit(connection.db()) != 0) {
    // SQLite already rolled back (after a busy, full-disk or I/O error
    // the callback chose to ignore): committing now would half-apply.
    connection_ = nullptr;
    return FromSqlite(
        connection.last_failure() != SQLITE_OK ? connection.last_failure()
                                               : SQLITE_ERROR,
        "COMMIT", "the database rolled the transaction back after an error");
  }
  GH_RETURN_IF_ERROR(ExecCached(connection, kCommit, "COMMIT"));
  connection_ = nullptr;
  return Ok();
}

}  // namespace gatehouse
