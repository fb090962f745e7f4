// The SQLite schema migrations, embedded at build time from
// storage/sqlite/migrations/ by cmake/EmbedMigrations.cmake.
#ifndef GATEHOUSE_STORAGE_SQLITE_SQLITE_MIGRATIONS_H_
#define GATEHOUSE_STORAGE_SQLITE_SQLITE_MIGRATIONS_H_

#include <span>

#include "storage/migration.h"

namespace gatehouse {

// Every SQLite migration, oldest first. The span refers to static storage
// and is valid for the life of the program. Thread-safe.
std::span<const Migration> SqliteMigrations();

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_SQLITE_SQLITE_MIGRATIONS_H_
