// SqliteConnection (sqlite_connection.h): opening and configuring one
// sqlite3 handle, its statement cache, and its error reporting.
#include "storage/sqlite/sqlite_connection.h"

#include <utility>

#include "storage/sqlite/sqlite_helpers.h"
#include "storage/store_errors.h"

namespace gatehouse {

using sqlite::AsciiLower;
using sqlite::ClampMillis;
using sqlite::FromSqlite;

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(
    const SqliteOptions& options, std::string_view synchronous, bool set_wal) {
  sqlite3* db = nullptr;
  // NOMUTEX: SQLite's per-connection mutex is redundant, as the pool
  // never lets two threads use one connection at once.
  int rc = sqlite3_open_v2(
      options.path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  auto connection = std::unique_ptr<SqliteConnection>(new SqliteConnection(db));
  if (rc != SQLITE_OK) {
    std::string detail =
        db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return Unavailable("sqlite: cannot open database file '" + options.path +
                       "': " + detail +
                       " (does its directory exist and is it writable?)");
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, ClampMillis(options.busy_timeout));
  connection->busy_timeout_ = options.busy_timeout;

  // The first statements are the first to read the file, so a file that
  // is unreadable or not a database fails here: an open failure too.
  auto open_error = [&](const Error& e) {
    return Unavailable("sqlite: cannot use database file '" + options.path +
                       "': " + e.message);
  };
  if (set_wal) {
    // Persistent in the file; the answer says whether it took (it
    // cannot on some network file systems).
    auto mode = connection->QueryText("PRAGMA journal_mode = WAL");
    if (!mode.ok()) return open_error(mode.error());
    if (AsciiLower(*mode) != "wal") {
      return Internal("sqlite: cannot switch '" + options.path +
                      "' to WAL mode (journal_mode stays '" + *mode + "')");
    }
  }
  for (std::string pragma :
       {std::string("PRAGMA foreign_keys = ON"),
        "PRAGMA synchronous = " + std::string(synchronous),
        // Triggers and views found in the file may not call functions
        // with side effects: the file is data, not trusted code.
        std::string("PRAGMA trusted_schema = OFF")}) {
    if (sqlite3_exec(db, pragma.c_str(), nullptr, nullptr, nullptr) !=
        SQLITE_OK) {
      return open_error(connection->LastError("open"));
    }
  }
  return connection;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Result<sqlite3_stmt*> SqliteConnection::Prepare(std::string_view sql,
                                                std::string_view op) {
  if (auto it = statements_.find(sql); it != statements_.end()) {
    return it->second;
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Failed(rc, op);
  }
  statements_.emplace(sql, stmt);
  return stmt;
}

Error SqliteConnection::Failed(int rc, std::string_view op) {
  last_failure_ = rc;
  return FromSqlite(rc, op, sqlite3_errmsg(db_));
}

Error SqliteConnection::LastError(std::string_view op) {
  return Failed(sqlite3_extended_errcode(db_), op);
}

gatehouse::Status SqliteConnection::ExecScript(std::string_view sql,
                                               std::string_view op) {
  std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return LastError(op);
  }
  return Ok();
}

Result<std::string> SqliteConnection::QueryText(const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  std::string out;
  if (rc == SQLITE_ROW) {
    auto* text = sqlite3_column_text(stmt, 0);
    if (text != nullptr) out = reinterpret_cast<const char*>(text);
    rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_OK && rc != SQLITE_DONE) return Failed(rc, "query");
  return out;
}

}  // namespace gatehouse
