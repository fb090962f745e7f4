// Internal to the SQLite backend: SqliteStatement, one use of a cached
// prepared statement of a SqliteConnection. It binds parameters in order,
// steps, reads columns, and resets the statement (releasing its read lock
// and dropping the bound values) when it goes out of scope, on every path.
#ifndef GATEHOUSE_STORAGE_SQLITE_SQLITE_STATEMENT_H_
#define GATEHOUSE_STORAGE_SQLITE_SQLITE_STATEMENT_H_

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/clock.h"
#include "core/result.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gatehouse {

// Not thread-safe, like its connection, which must outlive it.
class SqliteStatement {
 public:
  // The cached statement for `sql` (static storage; see
  // SqliteConnection::Prepare), ready for its first parameter. `op` (a
  // constant: the Tx method name) names the operation in errors.
  static Result<SqliteStatement> Use(SqliteConnection& connection,
                                     std::string_view sql, std::string_view op);

  SqliteStatement(SqliteStatement&& other) noexcept
      : connection_(other.connection_),
        stmt_(std::exchange(other.stmt_, nullptr)),
        op_(other.op_),
        next_param_(other.next_param_),
        bind_rc_(other.bind_rc_) {}
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  ~SqliteStatement();

  // Bind the next parameter. A failure to bind is kept and reported by the
  // next Step(), so calls chain without checks in between.
  SqliteStatement& Bind(std::string_view text);              // copied
  SqliteStatement& BindBlob(const void* data, size_t size);  // copied
  SqliteStatement& Bind(int64_t value) {
    return Check(sqlite3_bind_int64(stmt_, next_param_++, value));
  }
  // Unix milliseconds, like every time column.
  SqliteStatement& Bind(Time t) { return Bind(ToUnixMillis(t)); }
  // NULL for nullopt.
  SqliteStatement& Bind(const std::optional<Time>& t) {
    return t.has_value() ? Bind(*t) : BindNull();
  }
  SqliteStatement& BindNull() {
    return Check(sqlite3_bind_null(stmt_, next_param_++));
  }

  // True when a row is ready, false when the statement is done; the
  // connection's error (Failed) for a bind or step failure.
  Result<bool> Step();
  // Steps to the end, discarding rows; for statements without results.
  gatehouse::Status Exec();
  // Rows changed by the last Exec.
  int64_t Changes() { return sqlite3_changes64(connection_.db()); }

  // Columns of the current row. Text and Blob read "" for NULL.
  std::string Text(int col);
  std::string Blob(int col);
  int64_t Int(int col) { return sqlite3_column_int64(stmt_, col); }
  Time TimeAt(int col) { return FromUnixMillis(Int(col)); }
  // nullopt for NULL.
  std::optional<Time> OptionalTime(int col) {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return TimeAt(col);
  }

 private:
  SqliteStatement(SqliteConnection& connection, sqlite3_stmt* stmt,
                  std::string_view op)
      : connection_(connection), stmt_(stmt), op_(op) {}

  SqliteStatement& Check(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
    return *this;
  }

  SqliteConnection& connection_;
  sqlite3_stmt* stmt_;
  std::string_view op_;  // a constant: the Tx method name
  int next_param_ = 1;
  int bind_rc_ = SQLITE_OK;
};

// Runs the cached statement `sql`, without parameters, to its end.
gatehouse::Status ExecCached(SqliteConnection& connection, std::string_view sql,
                             std::string_view op);

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_SQLITE_SQLITE_STATEMENT_H_
