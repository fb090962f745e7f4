// The one contract suite every Store backend must pass, written once.
//
// It has two parts. StoreConformanceTest needs only a store: a backend's
// test, or a decorator's, instantiates it with a factory that returns a
// fresh, migrated, empty store per test:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
//                            ::testing::Values(StoreFactory(&MakeSqlite)));
//
// Its cases cover every Tx method (success, kNotFound, kConflict),
// rollback, the rotation lock under concurrency, and, beside each data
// case, an isolation twin: a second user's calls never see or touch the
// first user's rows.
//
// DatabaseConformanceTest reaches the database around the store: the
// Migrator (up, down, refusals, a failed migration), two stores on one
// database as two gatehouse processes would have, a store with a single
// connection. A database backend's test instantiates it too, with a
// factory of DatabaseUnderTest whose hooks use the backend's own client
// library (never test-only methods of the store):
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, DatabaseConformanceTest,
//                            ::testing::Values(DatabaseFactory(&MakeDb)));
//
// The cases are in storage/conformance/, one file a section (users,
// sessions, the sweep, the change feed, refresh tokens, audit, keys,
// transactions, concurrency, the migrator). Link the
// gatehouse_store_conformance target (an object library, so the TEST_P
// registrations always reach the test binary).
#ifndef GATEHOUSE_STORAGE_STORE_CONFORMANCE_H_
#define GATEHOUSE_STORAGE_STORE_CONFORMANCE_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <utility>

#include "core/clock.h"
#include "core/result.h"
#include "storage/migration.h"
#include "storage/store.h"

namespace gatehouse {

// One store for one test, plus whatever must go when the test ends.
struct StoreUnderTest {
  StoreUnderTest() = default;
  StoreUnderTest(const StoreUnderTest&) = delete;
  StoreUnderTest& operator=(const StoreUnderTest&) = delete;
  // Destroys `store` first, then runs `cleanup` (so a database file can be
  // removed after its last connection has closed).
  ~StoreUnderTest();

  // Fresh, migrated and empty. May be null only if skip_reason is set.
  std::unique_ptr<Store> store;
  // Runs after `store` is destroyed: delete files, drop a schema, and
  // release anything `store` referred to. May be empty.
  std::function<void()> cleanup;
  // Non-empty: the backend is not available here (e.g. no PostgreSQL URL
  // configured); every case calls GTEST_SKIP() with this reason, so a
  // missing backend is reported, never silently passed.
  std::string skip_reason;
};

// Called once per test case. Returning null fails the test; a factory
// that cannot build its store says why in skip_reason or by failing.
using StoreFactory = std::function<std::unique_ptr<StoreUnderTest>()>;

// Names the parameter in gtest failure messages instead of dumping bytes.
void PrintTo(const StoreFactory& factory, std::ostream* os);

// A store of a database backend, which is its own Migrator too.
struct OpenedStore {
  std::unique_ptr<Store> store;
  Migrator* migrator = nullptr;  // the same object as `store`
};

// For a backend's DatabaseUnderTest::open: what its Open returned (`S` is
// both a Store and a Migrator), as an OpenedStore.
template <class S>
Result<OpenedStore> AsOpenedStore(Result<std::unique_ptr<S>> opened) {
  if (!opened.ok()) return std::move(opened).error();
  OpenedStore out;
  out.migrator = opened->get();
  out.store = std::move(opened).value();
  return out;
}

// How DatabaseUnderTest::open opens a store.
struct OpenOptions {
  // The migrations its Migrator knows; nullopt: the backend's own. The
  // span must outlive the store.
  std::optional<std::span<const Migration>> migrations;
  // Set: one connection only, and a call waits this long for it to be
  // free before failing with kUnavailable.
  std::optional<Duration> single_connection_wait;
};

// The SQL that differs between the backends, for the cases that use it.
// Each SELECT yields one text value (see DatabaseUnderTest::query).
struct SqlDialect {
  // The names of the tables in the store's schema, sorted and
  // comma-separated ("" if none); the database's own catalog excluded.
  std::string select_tables;
  // The names of whatever the schema still holds besides the migrator's
  // bookkeeping table (indexes, sequences, counters of the database),
  // comma-separated; "" if nothing.
  std::string select_leftovers;
  // Part of the message of a call on a database with no schema: the
  // database's own words for the missing users table.
  std::string missing_users_table;
  // Part of every kConflict message (the database's name for a violated
  // constraint).
  std::string conflict_mark;
};

// A fresh, empty database (nothing migrated) for one test, and the ways
// to reach it besides a store: the backend's client library, as an
// operator or another binary would.
struct DatabaseUnderTest {
  DatabaseUnderTest() = default;
  DatabaseUnderTest(const DatabaseUnderTest&) = delete;
  DatabaseUnderTest& operator=(const DatabaseUnderTest&) = delete;
  // Runs `cleanup`. REQUIRES: every store opened with `open` is gone.
  ~DatabaseUnderTest();

  // Opens a store on this database, as the backend's Open does: nothing
  // is migrated. Stores opened one after another share the database, as
  // two gatehouse processes would.
  std::function<Result<OpenedStore>(const OpenOptions&)> open;
  // Runs `sql` on a connection of its own. Ok, or kInternal with the
  // database's message.
  std::function<Status(const std::string& sql)> exec;
  // The one value `sql` selects (a row of one column), as text: "<null>"
  // for NULL, "<error: ...>" with the database's message if it fails.
  std::function<std::string(const std::string& sql)> query;
  // The backend's own migrations, which `open` uses by default.
  std::span<const Migration> migrations;
  SqlDialect dialect;
  // Runs last: deletes the file, drops the schema. May be empty.
  std::function<void()> cleanup;
  // As StoreUnderTest::skip_reason: non-empty, every case is skipped.
  std::string skip_reason;
};

// Called once per test case; null fails the test.
using DatabaseFactory = std::function<std::unique_ptr<DatabaseUnderTest>()>;

void PrintTo(const DatabaseFactory& factory, std::ostream* os);

// For a database backend's factory: a DatabaseUnderTest whose `open` opens
// an `S` (SqliteStore, PgStore) with `options`, and whose `exec` and
// `query` go through `Raw`, a plain connection of the backend's client
// library: Raw(address), with Status Run(sql) and std::string Query(sql).
// For a single connection, `open` sets options.pool_size to 1 and
// options.*connection_wait to the wait. `cleanup` as in DatabaseUnderTest.
template <class S, class Raw, class Options>
std::unique_ptr<DatabaseUnderTest> MakeDatabaseUnderTest(
    Options options, Duration Options::*connection_wait, std::string address,
    SqlDialect dialect, std::function<void()> cleanup) {
  auto db = std::make_unique<DatabaseUnderTest>();
  db->migrations = options.migrations;
  db->open = [options, connection_wait](const OpenOptions& open) {
    Options opening = options;
    if (open.migrations.has_value()) opening.migrations = *open.migrations;
    if (open.single_connection_wait.has_value()) {
      opening.pool_size = 1;
      opening.*connection_wait = *open.single_connection_wait;
    }
    return AsOpenedStore(S::Open(opening));
  };
  db->exec = [address](const std::string& sql) {
    return Raw(address).Run(sql);
  };
  db->query = [address](const std::string& sql) {
    return Raw(address).Query(sql);
  };
  db->dialect = std::move(dialect);
  db->cleanup = std::move(cleanup);
  return db;
}

// A StoreFactory from a database backend's DatabaseFactory, for
// StoreConformanceTest: on each new database, a store opened with the
// default options and migrated up; the database goes when the store has
// gone. Passes on a skip_reason; reports a failure to open or migrate
// (ADD_FAILURE), and returns null then or if `make` does.
StoreFactory StoreOn(DatabaseFactory make);

class StoreConformanceTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *under_test_->store; }

 private:
  std::unique_ptr<StoreUnderTest> under_test_;
};

class DatabaseConformanceTest
    : public ::testing::TestWithParam<DatabaseFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  DatabaseUnderTest& db() { return *database_; }
  // A store opened with `options`; on failure, a failed test and a null
  // store (check it with ASSERT_NE).
  OpenedStore Open(const OpenOptions& options = {});
  // Open, then Up; on failure of either, a failed test and a null store.
  OpenedStore OpenMigrated(const OpenOptions& options = {});

 private:
  std::unique_ptr<DatabaseUnderTest> database_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_STORE_CONFORMANCE_H_
