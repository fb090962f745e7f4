// Internal to the PostgreSQL backend: PgMigrator, the schema migrations'
// SQL and transactions on one connection. PgStore's Migrator methods
// (pg_store.h) lend it a connection and replace the pooled ones when the
// schema changed; the decisions (what counts as applied, what Down
// reverts) are migration_bookkeeping.h's.
#ifndef GATEHOUSE_STORAGE_POSTGRES_PG_MIGRATOR_H_
#define GATEHOUSE_STORAGE_POSTGRES_PG_MIGRATOR_H_

#include <span>
#include <vector>

#include "core/result.h"
#include "storage/migration.h"
#include "storage/migration_bookkeeping.h"
#include "storage/postgres/pg_connection.h"
#include "storage/store.h"

namespace gatehouse {

// Not thread-safe, like its connection. Safe against other instances
// migrating the same database at once: each step is a transaction that
// first takes the migration advisory lock (pg_transaction.h), then checks
// whether its migration is still pending. Steps run without
// statement_timeout and wait for the lock as long as another instance
// holds it.
class PgMigrator {
 public:
  // `connection` (with no transaction open) and `migrations` (numbered 1,
  // 2, 3, ...) must outlive the migrator.
  PgMigrator(PgConnection& connection, std::span<const Migration> migrations)
      : connection_(connection), migrations_(migrations) {}

  // Migrator::Up: applies each pending migration in a step of its own and
  // appends its version to `applied_now` once that step has committed, so
  // that the caller knows, on an error too, whether the schema changed
  // (the steps before the error stay applied). kInternal for a database
  // this binary must not migrate (IsApplied).
  gatehouse::Status Up(std::vector<int>* applied_now);
  // Migrator::Down: reverts the newest applied migration in one step and
  // returns its version. kNotFound if none is applied; kInternal if this
  // binary does not know it.
  Result<int> Down();
  // Migrator::ListMigrations. REQUIRES: the caller has begun a kRead
  // transaction on the connection; List ends it. Writes nothing.
  Result<std::vector<MigrationStatus>> List();

 private:
  // Begins a migration step: BEGIN, no statement_timeout, the migration
  // lock, and schema_migrations created if missing.
  gatehouse::Status BeginStep();
  // schema_migrations as version -> recorded name; empty if the table does
  // not exist yet.
  Result<AppliedMigrations> ReadApplied();

  PgConnection& connection_;
  const std::span<const Migration> migrations_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_POSTGRES_PG_MIGRATOR_H_
