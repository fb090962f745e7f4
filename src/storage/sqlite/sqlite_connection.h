// Internal to the SQLite backend: SqliteConnection, one sqlite3 handle and
// its cache of prepared statements. The pool of SqliteStore lends each one
// to a single thread at a time; statements run on it through
// SqliteStatement (sqlite_statement.h), transactions through
// SqliteTransaction (sqlite_transaction.h).
#ifndef GATEHOUSE_STORAGE_SQLITE_SQLITE_CONNECTION_H_
#define GATEHOUSE_STORAGE_SQLITE_SQLITE_CONNECTION_H_

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "core/result.h"
#include "storage/sqlite/sqlite_store.h"

namespace gatehouse {

// Not thread-safe: used by one thread at a time (the pool hands it out),
// so it needs no lock of its own.
class SqliteConnection {
 public:
  // Opens `options.path` (created if absent) and configures the handle:
  // extended result codes, busy timeout, foreign keys on, PRAGMA
  // synchronous = `synchronous` (already normalised), trusted_schema off.
  // With `set_wal`, first switches the file to WAL mode. kUnavailable
  // (retry_after_seconds = 1) with a message naming the path when the
  // file cannot be opened or read; kInternal if WAL cannot be enabled.
  static Result<std::unique_ptr<SqliteConnection>> Open(
      const SqliteOptions& options, std::string_view synchronous, bool set_wal);

  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  // Finalizes every cached statement and closes the handle.
  ~SqliteConnection();

  // The handle, owned by this object.
  sqlite3* db() { return db_; }
  // SqliteOptions::busy_timeout: the handle's usual busy timeout, which
  // SqliteTransaction::Begin shortens for a BEGIN and then restores.
  Duration busy_timeout() const { return busy_timeout_; }

  // The cached prepared statement for `sql`, which must have static
  // storage (it keys the cache). Prepared once per connection; owned by
  // the connection. On failure, the error of Failed(rc, op).
  Result<sqlite3_stmt*> Prepare(std::string_view sql, std::string_view op);

  // Records `rc` as the latest failure and returns its error (FromSqlite
  // with the handle's message).
  Error Failed(int rc, std::string_view op);
  // Failed() for the handle's latest extended error code.
  Error LastError(std::string_view op);
  // The result code last passed to Failed(); SQLITE_OK if none was.
  int last_failure() const { return last_failure_; }

  // Runs `sql`, one or more statements without parameters, to completion,
  // uncached. The error of LastError(op) if one fails.
  gatehouse::Status ExecScript(std::string_view sql, std::string_view op);

  // The first column of the first row of a parameterless statement; ""
  // if it returns no row or NULL.
  Result<std::string> QueryText(const char* sql);

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  sqlite3* const db_;
  Duration busy_timeout_{0};
  int last_failure_ = SQLITE_OK;
  std::unordered_map<std::string_view, sqlite3_stmt*> statements_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_SQLITE_SQLITE_CONNECTION_H_
