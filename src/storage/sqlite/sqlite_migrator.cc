// SqliteMigrator (sqlite_migrator.h): the bookkeeping table
// schema_migrations, and applying and reverting migrations on SQLite.
#include "storage/sqlite/sqlite_migrator.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "storage/sqlite/sqlite_helpers.h"
#include "storage/sqlite/sqlite_statement.h"
#include "storage/sqlite/sqlite_transaction.h"

namespace gatehouse {
namespace {

using SteadyClock = std::chrono::steady_clock;

// --- SQL. Constant text only: values are always bound (see FromSqlite). ---

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER NOT NULL PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at INTEGER NOT NULL) STRICT";
constexpr std::string_view kMigrationsTableExists =
    "SELECT 1 FROM sqlite_schema WHERE type = 'table'"
    " AND name = 'schema_migrations'";
constexpr std::string_view kSelectMigrations =
    "SELECT version, name FROM schema_migrations ORDER BY version";
constexpr std::string_view kInsertMigration =
    "INSERT INTO schema_migrations (version, name, applied_at)"
    " VALUES (?, ?, " GH_SQLITE_NOW_MS ")";
constexpr std::string_view kDeleteMigration =
    "DELETE FROM schema_migrations WHERE version = ?";

}  // namespace

Result<std::vector<int>> SqliteMigrator::Up(Duration busy_timeout) {
  GH_RETURN_IF_ERROR(ExecCached(connection_, kCreateMigrationsTable,
                                "create schema_migrations"));

  std::vector<int> applied_now;
  for (const Migration& m : migrations_) {
    const std::string label = MigrationLabel(m.version, m.name);
    GH_ASSIGN_OR_RETURN(
        SqliteTransaction txn,
        SqliteTransaction::Begin(connection_, TxMode::kWrite,
                                 SteadyClock::now() + busy_timeout));
    // Read inside the write transaction: another process may have applied
    // this migration since the previous one.
    GH_ASSIGN_OR_RETURN(auto applied, ReadApplied());
    GH_ASSIGN_OR_RETURN(bool done,
                        IsApplied("sqlite", applied, migrations_, m));
    if (done) continue;  // ~SqliteTransaction ends the read-only transaction
    GH_RETURN_IF_ERROR(connection_.ExecScript(m.up, "migration " + label));
    {
      GH_ASSIGN_OR_RETURN(SqliteStatement st,
                          SqliteStatement::Use(connection_, kInsertMigration,
                                               "record migration"));
      st.Bind(int64_t{m.version}).Bind(m.name);
      GH_RETURN_IF_ERROR(st.Exec());
    }
    GH_RETURN_IF_ERROR(txn.Commit());
    applied_now.push_back(m.version);
  }
  return applied_now;
}

Result<int> SqliteMigrator::Down(SteadyTime deadline) {
  GH_ASSIGN_OR_RETURN(
      SqliteTransaction txn,
      SqliteTransaction::Begin(connection_, TxMode::kWrite, deadline));
  GH_ASSIGN_OR_RETURN(auto applied, ReadApplied());
  GH_ASSIGN_OR_RETURN(const Migration* migration,
                      NewestApplied("sqlite", applied, migrations_));
  const int version = migration->version;
  GH_RETURN_IF_ERROR(connection_.ExecScript(
      migration->down,
      "revert migration " + MigrationLabel(version, migration->name)));
  {
    GH_ASSIGN_OR_RETURN(SqliteStatement st,
                        SqliteStatement::Use(connection_, kDeleteMigration,
                                             "unrecord migration"));
    st.Bind(int64_t{version});
    GH_RETURN_IF_ERROR(st.Exec());
  }
  GH_RETURN_IF_ERROR(txn.Commit());
  return version;
}

Result<std::vector<MigrationStatus>> SqliteMigrator::List(SteadyTime deadline) {
  GH_ASSIGN_OR_RETURN(
      SqliteTransaction txn,
      SqliteTransaction::Begin(connection_, TxMode::kRead, deadline));
  GH_ASSIGN_OR_RETURN(auto applied, ReadApplied());
  std::vector<MigrationStatus> statuses =
      MigrationStatuses(migrations_, std::move(applied));
  GH_RETURN_IF_ERROR(txn.Commit());
  return statuses;
}

Result<AppliedMigrations> SqliteMigrator::ReadApplied() {
  AppliedMigrations applied;
  {
    GH_ASSIGN_OR_RETURN(SqliteStatement exists,
                        SqliteStatement::Use(
                            connection_, kMigrationsTableExists, "migrations"));
    GH_ASSIGN_OR_RETURN(bool has_table, exists.Step());
    if (!has_table) return applied;
  }
  GH_ASSIGN_OR_RETURN(
      SqliteStatement st,
      SqliteStatement::Use(connection_, kSelectMigrations, "migrations"));
  while (true) {
    GH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return applied;
    applied.emplace(static_cast<int>(st.Int(0)), st.Text(1));
  }
}

}  // namespace gatehouse
