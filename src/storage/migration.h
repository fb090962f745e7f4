// Migration: one versioned schema change with its up and down steps.
//
// Each backend keeps its own numbered SQL files (storage/<backend>/
// migrations/NNNN_name.{up,down}.sql). cmake/EmbedMigrations.cmake compiles
// them into the binary as a std::span<const Migration> returned by a
// function the backend declares (e.g. storage/sqlite/sqlite_migrations.h),
// so `gatehouse migrate` never needs the source tree. See docs/storage.md.
#ifndef GATEHOUSE_STORAGE_MIGRATION_H_
#define GATEHOUSE_STORAGE_MIGRATION_H_

#include <string_view>

namespace gatehouse {

// Views into static storage: a Migration never owns its text.
struct Migration {
  int version;            // 1, 2, 3, ... with no gaps, in apply order
  std::string_view name;  // "init" for 0001_init.up.sql
  // SQL scripts of one or more statements. They must not contain
  // BEGIN/COMMIT: the migrator runs each step in its own transaction.
  std::string_view up;
  std::string_view down;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_MIGRATION_H_
