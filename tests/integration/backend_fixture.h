// BackendTest: a black-box test run once per storage backend: SQLite (a
// file in the test's folder) and PostgreSQL (a database of its own on a
// private cluster this test binary starts; see testing/pg_cluster.h).
#ifndef GATEHOUSE_TESTS_INTEGRATION_BACKEND_FIXTURE_H_
#define GATEHOUSE_TESTS_INTEGRATION_BACKEND_FIXTURE_H_

#include <gtest/gtest.h>

#include <string>

#include "tests/integration/api_fixture.h"

namespace gatehouse::testkit {

class PgCluster;

enum class BackendKind { kSqlite, kPostgres };
std::string BackendName(BackendKind kind);

// A fresh, empty database for one test, or why there cannot be one.
struct TestDatabase {
  std::string url;
  std::string skip_reason;
};

// For kPostgres the private cluster is started on first use and shared by
// the whole test binary. When PostgreSQL is not installed the answer has a
// skip reason, unless GATEHOUSE_REQUIRE_POSTGRES=1 (as `make test` sets),
// which makes it a failure: CI must never pass by skipping.
TestDatabase FreshDatabase(BackendKind kind, const TempDir& dir);

// The shared cluster (starting it if needed), for tests that take the
// database away and bring it back; nullptr if PostgreSQL is unavailable.
PgCluster* SharedCluster();

class BackendTest : public ApiTest,
                    public ::testing::WithParamInterface<BackendKind> {
 protected:
  void SetUp() override;
  ServerOptions Options() override;

  TestDatabase db_;
};

#define INSTANTIATE_BACKENDS(suite)                                    \
  INSTANTIATE_TEST_SUITE_P(                                            \
      Backends, suite,                                                 \
      ::testing::Values(::gatehouse::testkit::BackendKind::kSqlite,    \
                        ::gatehouse::testkit::BackendKind::kPostgres), \
      [](const auto& param_info) {                                     \
        return ::gatehouse::testkit::BackendName(param_info.param);    \
      })

}  // namespace gatehouse::testkit

#endif  // GATEHOUSE_TESTS_INTEGRATION_BACKEND_FIXTURE_H_
