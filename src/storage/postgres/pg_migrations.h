// The PostgreSQL schema migrations, embedded at build time from
// storage/postgres/migrations/ by cmake/EmbedMigrations.cmake.
#ifndef GATEHOUSE_STORAGE_POSTGRES_PG_MIGRATIONS_H_
#define GATEHOUSE_STORAGE_POSTGRES_PG_MIGRATIONS_H_

#include <span>

#include "storage/migration.h"

namespace gatehouse {

// Every PostgreSQL migration, oldest first. The span refers to static
// storage and is valid for the life of the program. Thread-safe.
std::span<const Migration> PgMigrations();

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_POSTGRES_PG_MIGRATIONS_H_
