// The Migrator's decisions, the same on every backend (store.h Migrator;
// sqlite_store.h and pg_store.h document them for each): what counts as
// applied, which migration Down reverts, what Status lists, and when to
// refuse. A backend reads its schema_migrations table into an
// AppliedMigrations and does its own SQL, locking and transactions around
// these calls. For the backends in storage/ only.
#ifndef GATEHOUSE_STORAGE_MIGRATION_BOOKKEEPING_H_
#define GATEHOUSE_STORAGE_MIGRATION_BOOKKEEPING_H_

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "storage/migration.h"
#include "storage/store.h"
#include "storage/store_errors.h"

namespace gatehouse {

// What schema_migrations records: version -> name, oldest first.
using AppliedMigrations = std::map<int, std::string>;

// "0002_audit": the version zero-padded to four digits, then the name, as
// the migration's files are named (storage/migration.h).
inline std::string MigrationLabel(int version, std::string_view name) {
  std::string label = std::to_string(version);
  label.insert(0, label.size() < 4 ? 4 - label.size() : 0, '0');
  return label.append("_").append(name);
}

// Whether Up should skip `m` as applied already. kInternal, refusing to
// migrate, if the database has a migration newer than every one in `known`
// (a newer binary migrated it) or records `m`'s version under another
// name. `backend` ("sqlite", "postgres") starts every message.
inline Result<bool> IsApplied(std::string_view backend,
                              const AppliedMigrations& applied,
                              std::span<const Migration> known,
                              const Migration& m) {
  const int newest_known = known.empty() ? 0 : known.back().version;
  if (!applied.empty() && applied.rbegin()->first > newest_known) {
    return Internal(std::string(backend) + ": the database has migration " +
                    std::to_string(applied.rbegin()->first) +
                    ", newer than this binary knows (" +
                    std::to_string(newest_known) + "); refusing to migrate");
  }
  auto it = applied.find(m.version);
  if (it == applied.end()) return false;
  if (it->second != m.name) {
    return Internal(std::string(backend) + ": migration " +
                    std::to_string(m.version) + " is recorded as '" +
                    it->second + "' but this binary calls it '" +
                    std::string(m.name) + "'");
  }
  return true;
}

// The migration Down reverts: the newest applied one. kNotFound if none is
// applied; kInternal if `known` lacks it (only the binary that applied it
// has its down step). The pointer points into `known`.
inline Result<const Migration*> NewestApplied(
    std::string_view backend, const AppliedMigrations& applied,
    std::span<const Migration> known) {
  if (applied.empty()) {
    return MakeError(ErrorCode::kNotFound, "no migration is applied");
  }
  const int version = applied.rbegin()->first;
  const Migration* migration = nullptr;
  for (const Migration& m : known) {
    if (m.version == version) migration = &m;
  }
  if (migration == nullptr) {
    return Internal(std::string(backend) + ": the newest applied migration (" +
                    std::to_string(version) +
                    ") is unknown to this binary; revert it with the binary "
                    "that applied it");
  }
  return migration;
}

// What Status reports: every migration in `known`, in order, and whether it
// is applied; then, as applied, those recorded that `known` lacks (a newer
// binary applied them), oldest first.
inline std::vector<MigrationStatus> MigrationStatuses(
    std::span<const Migration> known, AppliedMigrations applied) {
  std::vector<MigrationStatus> statuses;
  for (const Migration& m : known) {
    statuses.push_back(MigrationStatus{m.version, std::string(m.name),
                                       applied.erase(m.version) > 0});
  }
  for (auto& [version, name] : applied) {  // unknown to this binary
    statuses.push_back(MigrationStatus{version, std::move(name), true});
  }
  return statuses;
}

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_MIGRATION_BOOKKEEPING_H_
