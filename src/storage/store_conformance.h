// The one contract suite every Store backend must pass, written once.
//
// A backend's test adds only an instantiation with a factory that returns
// a fresh, migrated, empty store per test:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
//                            ::testing::Values(StoreFactory(&MakeSqlite)));
//
// Cases cover every Tx method (success, kNotFound, kConflict), rollback,
// the rotation lock under concurrency, and, beside each data case, an
// isolation twin: a second user's calls never see or touch the first
// user's rows. The cases are in storage/conformance/, one file a section
// (users, sessions, the sweep, the change feed, refresh tokens, audit,
// keys, transactions, concurrency). Link the gatehouse_store_conformance
// target (an object library, so the TEST_P registrations always reach the
// test binary).
#ifndef GATEHOUSE_STORAGE_STORE_CONFORMANCE_H_
#define GATEHOUSE_STORAGE_STORE_CONFORMANCE_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <utility>

#include "core/result.h"
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

// For a backend's factory: takes what the backend's Open returned (`S` is
// both a Store and a Migrator), migrates it up, and hands it over with
// `cleanup`. Reports a failure of either step (ADD_FAILURE) and returns
// null then.
template <class S>
std::unique_ptr<StoreUnderTest> MigratedStoreUnderTest(
    Result<std::unique_ptr<S>> opened, std::function<void()> cleanup) {
  if (!opened.ok()) {
    ADD_FAILURE() << opened.error().message;
    return nullptr;
  }
  std::unique_ptr<S> store = std::move(opened).value();
  auto migrated = store->Up();
  if (!migrated.ok()) {
    ADD_FAILURE() << migrated.error().message;
    return nullptr;
  }
  auto out = std::make_unique<StoreUnderTest>();
  out->store = std::move(store);
  out->cleanup = std::move(cleanup);
  return out;
}

class StoreConformanceTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *under_test_->store; }

 private:
  std::unique_ptr<StoreUnderTest> under_test_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_STORAGE_STORE_CONFORMANCE_H_
