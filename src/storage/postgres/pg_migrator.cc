// PgMigrator (pg_migrator.h): the bookkeeping table schema_migrations, and
// applying and reverting migrations on PostgreSQL.
#include "storage/postgres/pg_migrator.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "storage/postgres/pg_statement.h"
#include "storage/postgres/pg_transaction.h"
#include "storage/store_errors.h"

namespace gatehouse {
namespace {

using SteadyTime = std::chrono::steady_clock::time_point;
using pg::StatusOf;

// --- SQL. Constant text only: values are always bound parameters. ---

constexpr std::string_view kNoStatementTimeout =
    "SET LOCAL statement_timeout = 0";
constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer NOT NULL PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";
constexpr std::string_view kMigrationsTableExists =
    "SELECT to_regclass('schema_migrations') IS NOT NULL";
constexpr std::string_view kSelectMigrations =
    "SELECT version, name FROM schema_migrations ORDER BY version";
constexpr std::string_view kInsertMigration =
    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";
constexpr std::string_view kDeleteMigration =
    "DELETE FROM schema_migrations WHERE version = $1";

}  // namespace

gatehouse::Status PgMigrator::Up(std::vector<int>* applied_now) {
  for (const Migration& m : migrations_) {
    const std::string label = MigrationLabel(m.version, m.name);
    PgTransaction txn(connection_);
    GH_RETURN_IF_ERROR(BeginStep());
    // Read under the lock: another instance may have applied this one
    // since the previous step.
    GH_ASSIGN_OR_RETURN(auto applied, ReadApplied());
    GH_ASSIGN_OR_RETURN(bool done,
                        IsApplied("postgres", applied, migrations_, m));
    if (done) {
      GH_RETURN_IF_ERROR(txn.Commit(std::nullopt));
      continue;
    }
    GH_RETURN_IF_ERROR(StatusOf(
        connection_.Script(m.up, "migration " + label, SteadyTime::max())));
    PgParams p;
    p.Int(m.version).Text(m.name);
    GH_RETURN_IF_ERROR(
        StatusOf(connection_.Exec(kInsertMigration, p, "record migration")));
    GH_RETURN_IF_ERROR(txn.Commit(std::nullopt));
    applied_now->push_back(m.version);
  }
  return Ok();
}

Result<int> PgMigrator::Down() {
  PgTransaction txn(connection_);
  GH_RETURN_IF_ERROR(BeginStep());
  GH_ASSIGN_OR_RETURN(auto applied, ReadApplied());
  GH_ASSIGN_OR_RETURN(const Migration* migration,
                      NewestApplied("postgres", applied, migrations_));
  const int version = migration->version;
  GH_RETURN_IF_ERROR(StatusOf(connection_.Script(
      migration->down,
      "revert migration " + MigrationLabel(version, migration->name),
      SteadyTime::max())));
  PgParams p;
  p.Int(version);
  GH_RETURN_IF_ERROR(
      StatusOf(connection_.Exec(kDeleteMigration, p, "unrecord migration")));
  GH_RETURN_IF_ERROR(txn.Commit(std::nullopt));
  return version;
}

Result<std::vector<MigrationStatus>> PgMigrator::List() {
  PgTransaction txn(connection_);
  GH_ASSIGN_OR_RETURN(auto applied, ReadApplied());
  std::vector<MigrationStatus> statuses =
      MigrationStatuses(migrations_, std::move(applied));
  GH_RETURN_IF_ERROR(txn.Commit(std::nullopt));
  return statuses;
}

gatehouse::Status PgMigrator::BeginStep() {
  GH_RETURN_IF_ERROR(StatusOf(connection_.Script(pg::kBeginWrite, "BEGIN")));
  // A migration may rebuild an index on a large table, and the lock may be
  // held by another instance doing so: neither is a hung statement.
  GH_RETURN_IF_ERROR(
      StatusOf(connection_.Script(kNoStatementTimeout, "migration")));
  GH_RETURN_IF_ERROR(StatusOf(connection_.Script(
      pg::kLockMigrations, "migration lock", SteadyTime::max())));
  return StatusOf(
      connection_.Script(kCreateMigrationsTable, "create schema_migrations"));
}

Result<AppliedMigrations> PgMigrator::ReadApplied() {
  AppliedMigrations applied;
  {
    GH_ASSIGN_OR_RETURN(
        PgRows exists,
        connection_.Exec(kMigrationsTableExists, PgParams(), "migrations"));
    const bool has_table = exists.size() == 1 && exists.Bool(0, 0);
    if (!exists.malformed().empty()) {
      return Internal("postgres migrations: " + exists.malformed());
    }
    if (!has_table) return applied;
  }
  GH_ASSIGN_OR_RETURN(PgRows rows, connection_.Exec(kSelectMigrations,
                                                    PgParams(), "migrations"));
  for (int r = 0; r < rows.size(); ++r) {
    applied.emplace(static_cast<int>(rows.Int(r, 0)), rows.Text(r, 1));
  }
  if (!rows.malformed().empty()) {
    return Internal("postgres migrations: " + rows.malformed());
  }
  return applied;
}

}  // namespace gatehouse
