// Conformance cases: the Migrator of a database backend (Up, Down,
// ListMigrations, and what it refuses), with the database reached around
// the store. The suite, its fixtures and how a backend runs it:
// storage/store_conformance.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "storage/conformance/helpers.h"
#include "storage/store_conformance.h"

namespace gatehouse::conformance {
namespace {

// The names of a comma-separated list, such as SqlDialect::select_tables
// yields.
std::vector<std::string> Names(const std::string& list) {
  std::vector<std::string> names;
  std::istringstream in(list);
  for (std::string name; std::getline(in, name, ',');) names.push_back(name);
  return names;
}

bool Has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// "0005_broken": how the migrator names a migration in its messages, as
// the migration's files are named (storage/migration.h).
std::string Label(int version, const std::string& name) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%04d", version);
  return digits + ("_" + name);
}

TEST_P(DatabaseConformanceTest, MigrateUpStatusDownUpRoundTrip) {
  OpenedStore opened = Open();
  ASSERT_NE(opened.store, nullptr);
  Store& store = *opened.store;
  Migrator& migrator = *opened.migrator;
  const size_t known = db().migrations.size();

  auto status = migrator.ListMigrations();
  ASSERT_TRUE(IsOk(status));
  ASSERT_EQ(status->size(), known);
  EXPECT_EQ((*status)[0].version, 1);
  EXPECT_EQ((*status)[0].name, "init");
  for (const MigrationStatus& m : *status) EXPECT_FALSE(m.applied) << m.version;

  auto up = migrator.Up();
  ASSERT_TRUE(IsOk(up));
  EXPECT_EQ(up->size(), known);
  EXPECT_EQ(up->front(), 1);
  status = migrator.ListMigrations();
  ASSERT_TRUE(IsOk(status));
  for (const MigrationStatus& m : *status) EXPECT_TRUE(m.applied) << m.version;
  up = migrator.Up();
  ASSERT_TRUE(IsOk(up));
  EXPECT_TRUE(up->empty());  // already current
  // Rows, and the counters the database keeps for generated ids.
  ASSERT_TRUE(IsOk(store.Run(TxMode::kWrite, [](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.InsertUser(MakeUser("before", "b@example.com")));
    GH_RETURN_IF_ERROR(tx.InsertAuditEvent(MakeEvent("user.created", "b")));
    return Ok();
  })));

  // Down all the way: every table, index and sequence of the schema goes;
  // the bookkeeping table stays, empty.
  for (size_t i = known; i > 0; --i) {
    auto down = migrator.Down();
    ASSERT_TRUE(IsOk(down));
    EXPECT_EQ(*down, static_cast<int>(i));
  }
  auto down = migrator.Down();
  EXPECT_TRUE(HasCode(down, ErrorCode::kNotFound));
  EXPECT_EQ(db().query(db().dialect.select_tables), "schema_migrations");
  EXPECT_EQ(db().query(db().dialect.select_leftovers), "");
  EXPECT_EQ(db().query("SELECT count(*) FROM schema_migrations"), "0");
  status = migrator.ListMigrations();
  ASSERT_TRUE(IsOk(status));
  for (const MigrationStatus& m : *status) EXPECT_FALSE(m.applied) << m.version;

  // And up again, to a working store (a backend's pooled connections may
  // have had statements prepared against the dropped tables).
  up = migrator.Up();
  ASSERT_TRUE(IsOk(up));
  EXPECT_EQ(up->size(), known);
  EXPECT_TRUE(IsOk(store.Run(TxMode::kWrite, [](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.InsertUser(MakeUser("u", "u@example.com")));
    GH_RETURN_IF_ERROR(tx.InsertAuditEvent(MakeEvent("user.created", "u")));
    GH_ASSIGN_OR_RETURN(int64_t users, tx.CountUsers());
    EXPECT_EQ(users, 1);
    GH_ASSIGN_OR_RETURN(int64_t active, tx.CountActiveSessions(kT0));
    EXPECT_EQ(active, 0);
    GH_ASSIGN_OR_RETURN(int deleted, tx.DeleteEndedSessions(kT0, 10));
    EXPECT_EQ(deleted, 0);
    return Ok();
  })));
}

TEST_P(DatabaseConformanceTest, OpenDoesNotMigrate) {
  OpenedStore opened = Open();
  ASSERT_NE(opened.store, nullptr);
  EXPECT_EQ(db().query(db().dialect.select_tables), "");
  // Without the schema a call fails with a message that says what is wrong.
  auto count = Read(*opened.store, [](Tx& tx) { return tx.CountUsers(); });
  ASSERT_TRUE(HasCode(count, ErrorCode::kInternal));
  EXPECT_NE(count.error().message.find(db().dialect.missing_users_table),
            std::string::npos)
      << count.error().message;
}

TEST_P(DatabaseConformanceTest, UpRefusesADatabaseMigratedByANewerBinary) {
  OpenedStore opened = OpenMigrated();
  ASSERT_NE(opened.store, nullptr);
  Migrator& migrator = *opened.migrator;
  // As a binary newer than this one would have (applied_at copied, its
  // type being the backend's own).
  ASSERT_TRUE(
      IsOk(db().exec("INSERT INTO schema_migrations (version, name, applied_at)"
                     " SELECT 99, 'future', applied_at FROM schema_migrations"
                     " WHERE version = 1")));

  auto up = migrator.Up();
  ASSERT_TRUE(HasCode(up, ErrorCode::kInternal));
  EXPECT_NE(up.error().message.find("99"), std::string::npos)
      << up.error().message;
  EXPECT_TRUE(HasCode(migrator.Down(), ErrorCode::kInternal));

  auto status = migrator.ListMigrations();
  ASSERT_TRUE(IsOk(status));
  ASSERT_EQ(status->size(), db().migrations.size() + 1);
  EXPECT_EQ(status->back().version, 99);
  EXPECT_EQ(status->back().name, "future");
  EXPECT_TRUE(status->back().applied);
}

TEST_P(DatabaseConformanceTest, UpRefusesARenamedMigration) {
  OpenedStore opened = OpenMigrated();
  ASSERT_NE(opened.store, nullptr);
  ASSERT_GE(db().migrations.size(), 2u);
  for (int version : {1, 2}) {
    SCOPED_TRACE(version);
    const std::string where = " WHERE version = " + std::to_string(version);
    ASSERT_TRUE(
        IsOk(db().exec("UPDATE schema_migrations SET name = 'other'" + where)));
    auto up = opened.migrator->Up();
    ASSERT_TRUE(HasCode(up, ErrorCode::kInternal));
    EXPECT_NE(up.error().message.find("other"), std::string::npos)
        << up.error().message;
    // Named right again, the database is current.
    const std::string name(db().migrations[version - 1].name);
    ASSERT_TRUE(IsOk(db().exec("UPDATE schema_migrations SET name = '" + name +
                               "'" + where)));
    up = opened.migrator->Up();
    ASSERT_TRUE(IsOk(up));
    EXPECT_TRUE(up->empty());
  }
}

TEST_P(DatabaseConformanceTest,
       FailedMigrationLeavesEarlierOnesAndNothingOfItself) {
  // Valid SQL on every backend; the second statement fails.
  std::vector<Migration> migrations(db().migrations.begin(),
                                    db().migrations.end());
  const int broken = static_cast<int>(migrations.size()) + 1;
  migrations.push_back(Migration{broken, "broken",
                                 "CREATE TABLE half_done (x integer);\n"
                                 "INSERT INTO no_such_table VALUES (1);\n",
                                 "DROP TABLE half_done;"});
  OpenOptions options;
  options.migrations = migrations;
  OpenedStore opened = Open(options);
  ASSERT_NE(opened.store, nullptr);

  auto up = opened.migrator->Up();
  ASSERT_TRUE(HasCode(up, ErrorCode::kInternal));
  EXPECT_NE(up.error().message.find(Label(broken, "broken")), std::string::npos)
      << up.error().message;
  auto status = opened.migrator->ListMigrations();
  ASSERT_TRUE(IsOk(status));
  ASSERT_EQ(status->size(), migrations.size());
  for (const MigrationStatus& m : *status) {
    EXPECT_EQ(m.applied, m.version != broken) << m.version;
  }
  const std::vector<std::string> tables =
      Names(db().query(db().dialect.select_tables));
  EXPECT_TRUE(Has(tables, "users"));
  EXPECT_TRUE(Has(tables, "schema_migrations"));
  EXPECT_FALSE(Has(tables, "half_done"));
}

}  // namespace
}  // namespace gatehouse::conformance
