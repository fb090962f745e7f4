// The suite's fixtures. The cases live in storage/conformance/, one file a
// section (users.cc, sessions.cc, ..., migrator.cc).
#include "storage/store_conformance.h"

#include <ostream>

namespace gatehouse {

StoreUnderTest::~StoreUnderTest() {
  store.reset();
  if (cleanup) cleanup();
}

DatabaseUnderTest::~DatabaseUnderTest() {
  if (cleanup) cleanup();
}

void PrintTo(const StoreFactory& factory, std::ostream* os) {
  *os << (factory ? "a store factory" : "an empty store factory");
}

void PrintTo(const DatabaseFactory& factory, std::ostream* os) {
  *os << (factory ? "a database factory" : "an empty database factory");
}

namespace {

std::unique_ptr<StoreUnderTest> MigratedStoreOn(
    std::unique_ptr<DatabaseUnderTest> database) {
  if (database == nullptr) return nullptr;
  auto out = std::make_unique<StoreUnderTest>();
  if (!database->skip_reason.empty()) {
    out->skip_reason = database->skip_reason;
    return out;
  }
  auto opened = database->open(OpenOptions{});
  if (!opened.ok()) {
    ADD_FAILURE() << opened.error().message;
    return nullptr;
  }
  auto migrated = opened->migrator->Up();
  if (!migrated.ok()) {
    ADD_FAILURE() << migrated.error().message;
    return nullptr;
  }
  out->store = std::move(opened->store);
  std::shared_ptr<DatabaseUnderTest> kept = std::move(database);
  out->cleanup = [kept]() mutable { kept.reset(); };
  return out;
}

}  // namespace

StoreFactory StoreOn(DatabaseFactory make) {
  return [make]() { return MigratedStoreOn(make()); };
}

void StoreConformanceTest::SetUp() {
  under_test_ = GetParam()();
  ASSERT_NE(under_test_, nullptr) << "the store factory returned null";
  if (!under_test_->skip_reason.empty()) {
    GTEST_SKIP() << under_test_->skip_reason;
  }
  ASSERT_NE(under_test_->store, nullptr) << "the store factory made no store";
}

void StoreConformanceTest::TearDown() { under_test_.reset(); }

void DatabaseConformanceTest::SetUp() {
  database_ = GetParam()();
  ASSERT_NE(database_, nullptr) << "the database factory returned null";
  if (!database_->skip_reason.empty()) {
    GTEST_SKIP() << database_->skip_reason;
  }
  ASSERT_TRUE(database_->open && database_->exec && database_->query)
      << "the database factory left a hook empty";
}

void DatabaseConformanceTest::TearDown() { database_.reset(); }

OpenedStore DatabaseConformanceTest::Open(const OpenOptions& options) {
  auto opened = database_->open(options);
  if (!opened.ok()) {
    ADD_FAILURE() << "open: " << opened.error().message;
    return OpenedStore{};
  }
  return std::move(opened).value();
}

OpenedStore DatabaseConformanceTest::OpenMigrated(const OpenOptions& options) {
  OpenedStore opened = Open(options);
  if (opened.store == nullptr) return opened;
  auto up = opened.migrator->Up();
  if (!up.ok()) {
    ADD_FAILURE() << "up: " << up.error().message;
    return OpenedStore{};
  }
  return opened;
}

// Binaries linking the suite without instantiating a part of it (a
// decorator has no database of its own) still pass.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(StoreConformanceTest);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DatabaseConformanceTest);

}  // namespace gatehouse
