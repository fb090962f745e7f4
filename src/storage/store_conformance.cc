// The suite's fixture. The cases live in storage/conformance/, one file a
// section of the Tx interface (users.cc, sessions.cc, ...).
#include "storage/store_conformance.h"

#include <ostream>

namespace gatehouse {

StoreUnderTest::~StoreUnderTest() {
  store.reset();
  if (cleanup) cleanup();
}

void PrintTo(const StoreFactory& factory, std::ostream* os) {
  *os << (factory ? "a store factory" : "an empty store factory");
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

// Backends linking the suite without instantiating it (yet) still pass.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(StoreConformanceTest);

}  // namespace gatehouse
