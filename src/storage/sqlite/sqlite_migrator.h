// Internal to the SQLite backend: SqliteMigrator, the schema migrations'
// SQL and transactions on one connection. SqliteStore's Migrator methods
// (sqlite_store.h) lend it a connection, with this process's writer turn
// taken for Up and Down; the decisions (what counts as applied, what Down
// reverts) are migration_bookkeeping.h's.
#ifndef GATEHOUSE_STORAGE_SQLITE_SQLITE_MIGRATOR_H_
#define GATEHOUSE_STORAGE_SQLITE_SQLITE_MIGRATOR_H_

#include <chrono>
#include <span>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "storage/migration.h"
#include "storage/migration_bookkeeping.h"
#include "storage/sqlite/sqlite_connection.h"
#include "storage/store.h"

namespace gatehouse {

// Not thread-safe, like its connection. Safe against a second process
// migrating the same file: each step is a BEGIN IMMEDIATE transaction
// that reads what is applied before it changes anything.
class SqliteMigrator {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  // `connection` (with no transaction open) and `migrations` (numbered 1,
  // 2, 3, ...) must outlive the migrator.
  SqliteMigrator(SqliteConnection& connection,
                 std::span<const Migration> migrations)
      : connection_(connection), migrations_(migrations) {}

  // Migrator::Up: creates schema_migrations if missing, then applies each
  // pending migration in a transaction of its own, which waits up to
  // `busy_timeout` for the database's write lock. Returns the versions it
  // applied; on an error, those before it stay applied. kInternal for a
  // database this binary must not migrate (IsApplied).
  Result<std::vector<int>> Up(Duration busy_timeout);
  // Migrator::Down: reverts the newest applied migration, in one
  // transaction begun by `deadline`, and returns its version. kNotFound if
  // none is applied; kInternal if this binary does not know it.
  Result<int> Down(SteadyTime deadline);
  // Migrator::ListMigrations, read in one transaction begun by `deadline`.
  // Writes nothing.
  Result<std::vector<MigrationStatus>> List(SteadyTime deadline);

 private:
  // schema_migrations as version -> recorded name; empty if the table does
  // not exist yet.
  Result<AppliedMigrations> ReadApplied();

  SqliteConnection& connection_;
  const std::span<const Migration> migrations_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_SQLITE_SQLITE_MIGRATOR_H_
