#include "tests/integration/backend_fixture.h"

#include <atomic>
#include <cstdlib>
#include <mutex>

#include "testing/pg_cluster.h"

namespace gatehouse::testkit {
namespace {

bool PostgresRequired() {
  const char* v = std::getenv("GATEHOUSE_REQUIRE_POSTGRES");
  return v != nullptr && std::string(v) == "1";
}

std::mutex cluster_mu;
std::unique_ptr<PgCluster>
    cluster;                // guarded by cluster_mu; lives for the binary
std::string cluster_error;  // guarded by cluster_mu

}  // namespace

std::string BackendName(BackendKind kind) {
  return kind == BackendKind::kSqlite ? "SQLite" : "PostgreSQL";
}

PgCluster* SharedCluster() {
  std::lock_guard lock(cluster_mu);
  if (cluster) return cluster.get();
  if (!cluster_error.empty()) return nullptr;
  if (!PgCluster::Available()) {
    cluster_error = PgCluster::UnavailableReason();
    return nullptr;
  }
  auto created = PgCluster::Create();
  if (!created.ok()) {
    cluster_error = created.error().message;
    return nullptr;
  }
  cluster = std::move(created).value();
  return cluster.get();
}

TestDatabase FreshDatabase(BackendKind kind, const TempDir& dir) {
  if (kind == BackendKind::kSqlite) {
    return {"sqlite://" + (dir.path() / "gatehouse.db").string(), ""};
  }
  PgCluster* pg = SharedCluster();
  if (pg == nullptr) {
    std::lock_guard lock(cluster_mu);
    std::string reason = "PostgreSQL unavailable: " + cluster_error;
    if (PostgresRequired()) ADD_FAILURE() << reason;
    return {"", reason};
  }
  static std::atomic<int> counter{0};
  std::string name = "gh_test_" + std::to_string(counter++);
  if (Status s = pg->CreateDatabase(name); !s.ok()) {
    ADD_FAILURE() << "cannot create a test database: " << s.error().message;
    return {"", s.error().message};
  }
  return {pg->UrlFor(name), ""};
}

void BackendTest::SetUp() {
  db_ = FreshDatabase(GetParam(), dir_);
  if (!db_.skip_reason.empty()) GTEST_SKIP() << db_.skip_reason;
  ApiTest::SetUp();
}

ServerOptions BackendTest::Options() {
  ServerOptions options = ApiTest::Options();
  options.env["GATEHOUSE_DATABASE_URL"] = db_.url;
  return options;
}

}  // namespace gatehouse::testkit
