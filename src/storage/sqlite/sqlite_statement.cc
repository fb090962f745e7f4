// SqliteStatement (sqlite_statement.h): binding, stepping and reading one
// use of a cached statement.
#include "storage/sqlite/sqlite_statement.h"

namespace gatehouse {

Result<SqliteStatement> SqliteStatement::Use(SqliteConnection& connection,
                                             std::string_view sql,
                                             std::string_view op) {
  GH_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, connection.Prepare(sql, op));
  return SqliteStatement(connection, stmt, op);
}

SqliteStatement::~SqliteStatement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

SqliteStatement& SqliteStatement::Bind(std::string_view text) {
  // A null pointer would bind SQL NULL; an empty view may have one.
  const char* data = text.data() != nullptr ? text.data() : "";
  return Check(sqlite3_bind_text(stmt_, next_param_++, data,
                                 static_cast<int>(text.size()),
                                 SQLITE_TRANSIENT));
}

SqliteStatement& SqliteStatement::BindBlob(const void* data, size_t size) {
  if (data == nullptr) data = "";
  return Check(sqlite3_bind_blob(stmt_, next_param_++, data,
                                 static_cast<int>(size), SQLITE_TRANSIENT));
}

Result<bool> SqliteStatement::Step() {
  if (bind_rc_ != SQLITE_OK) return connection_.Failed(bind_rc_, op_);
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return connection_.Failed(rc, op_);
}

gatehouse::Status SqliteStatement::Exec() {
  while (true) {
    GH_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Ok();
  }
}

std::string SqliteStatement::Text(int col) {
  auto* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::string SqliteStatement::Blob(int col) {
  auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  if (p == nullptr) return "";
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

gatehouse::Status ExecCached(SqliteConnection& connection, std::string_view sql,
                             std::string_view op) {
  GH_ASSIGN_OR_RETURN(SqliteStatement st,
                      SqliteStatement::Use(connection, sql, op));
  return st.Exec();
}

}  // namespace gatehouse
