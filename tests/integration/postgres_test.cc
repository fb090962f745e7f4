// Black-box tests of gatehouse on PostgreSQL: several instances on one
// database, and database outages (SPEC §4 revocation across instances,
// §8).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "testing/pg_cluster.h"
#include "tests/integration/backend_fixture.h"

namespace gatehouse::testkit {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Two gatehouse processes on one PostgreSQL database.
class MultiInstanceTest : public ApiTest {
 protected:
  void SetUp() override {
    db_ = FreshDatabase(BackendKind::kPostgres, dir_);
    if (!db_.skip_reason.empty()) GTEST_SKIP() << db_.skip_reason;
    ApiTest::SetUp();  // instance A, as server_
    other_ = std::make_unique<ServerProcess>(dir_, Options());
    ASSERT_TRUE(other_->started());
  }
  ServerOptions Options() override {
    ServerOptions options = ApiTest::Options();
    options.env["GATEHOUSE_DATABASE_URL"] = db_.url;
    return options;
  }
  // The same call as Call(), sent to instance B.
  HttpResult CallB(const std::string& method, const std::string& target,
                   CookieJar* jar) {
    HttpRequest req;
    req.method = method;
    req.target = target;
    req.headers = {{"Origin", kAppOrigin}};
    if (jar && jar->size() > 0)
      req.headers.emplace_back("Cookie", jar->CookieHeader());
    HttpResult r = Send(other_->port(), req);
    if (jar) jar->Absorb(r);
    return r;
  }

  TestDatabase db_;
  std::unique_ptr<ServerProcess> other_;
};

TEST_F(MultiInstanceTest,
       RevocationOnOneInstanceIsRefusedByTheOtherWithinASecond) {
  Register("wes@example.test");
  CookieJar jar;
  ASSERT_EQ(Login(jar, "wes@example.test").status, 200);               // on A
  ASSERT_EQ(CallB("POST", "/api/v1/auth/refresh", &jar).status, 200);  // on B
  CookieJar old_access;
  old_access.Set("access_token", jar.Get("access_token"));
  ASSERT_EQ(Me(old_access).status, 200)
      << "A verifies B's token: keys are shared";
  ASSERT_EQ(CallB("POST", "/api/v1/auth/logout", &jar).status, 200);  // on B

  auto started = SteadyClock::now();
  std::string code;
  while (SteadyClock::now() - started < std::chrono::seconds(1)) {
    code = Me(old_access).Code();
    if (code == "SESSION_REVOKED") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(code, "SESSION_REVOKED") << "A still accepted the token after 1 s";
  EXPECT_EQ(Call("GET", "/.well-known/jwks.json").body,
            CallB("GET", "/.well-known/jwks.json", nullptr).body);
}

TEST_F(MultiInstanceTest, F9_OneTokenRefreshedOnBothInstancesAtOnceConverges) {
  Register("xia@example.test");
  CookieJar jar;
  ASSERT_EQ(Login(jar, "xia@example.test").status, 200);
  for (int round = 0; round < 5; ++round) {
    CookieJar a = jar, b = jar;
    HttpResult ra, rb;
    std::thread ta([&] { ra = Refresh(a); });
    std::thread tb([&] { rb = CallB("POST", "/api/v1/auth/refresh", &b); });
    ta.join();
    tb.join();
    ASSERT_EQ(ra.status, 200) << ra.body;
    ASSERT_EQ(rb.status, 200) << rb.body;
    EXPECT_EQ(a.Get("refresh_token"), b.Get("refresh_token"))
        << "round " << round;
    jar = round % 2 == 0 ? a : b;
  }
  EXPECT_EQ(Me(jar).status, 200);
}

// The database goes away under load and comes back.
class OutageTest : public ApiTest {
 protected:
  void SetUp() override {
    db_ = FreshDatabase(BackendKind::kPostgres, dir_);
    if (!db_.skip_reason.empty()) GTEST_SKIP() << db_.skip_reason;
    ApiTest::SetUp();
  }
  void TearDown() override {
    // Whatever happened, leave the shared cluster running for others.
    if (PgCluster* cluster = SharedCluster(); cluster != nullptr)
      (void)cluster->Start();
  }
  ServerOptions Options() override {
    ServerOptions options = ApiTest::Options();
    options.env["GATEHOUSE_DATABASE_URL"] = db_.url;
    return options;
  }
  TestDatabase db_;
};

TEST_F(OutageTest, DatabaseDownGives503AndTheServerRecoversByItself) {
  Register("yan@example.test");
  CookieJar jar;
  ASSERT_EQ(Login(jar, "yan@example.test").status, 200);
  std::atomic<bool> running{true};
  std::atomic<int> server_errors{0};
  std::thread load([&] {
    CookieJar mine = jar;
    while (running) {
      HttpResult r = Me(mine);
      if (r.status >= 500 && r.status != 503) ++server_errors;
      if (r.status == 0) ++server_errors;  // the process must not go away
    }
  });

  PgCluster* cluster = SharedCluster();
  ASSERT_NE(cluster, nullptr);
  ASSERT_TRUE(cluster->Stop().ok());
  HttpResult me = Me(jar);
  EXPECT_EQ(me.status, 503);
  EXPECT_EQ(me.Code(), "UNAVAILABLE");
  EXPECT_FALSE(me.Header("Retry-After").empty());
  CookieJar before = jar;
  HttpResult refresh = Refresh(jar);
  EXPECT_EQ(refresh.status, 503);
  EXPECT_TRUE(refresh.set_cookies.empty()) << "an outage never clears cookies";
  CookieJar other;
  EXPECT_EQ(Login(other, "yan@example.test").status, 503);
  EXPECT_EQ(Call("GET", "/readyz").status, 503);
  EXPECT_EQ(Call("GET", "/healthz").status, 200);

  ASSERT_TRUE(cluster->Start().ok());
  auto started = SteadyClock::now();
  while (Call("GET", "/readyz").status != 200 &&
         SteadyClock::now() - started < std::chrono::seconds(15)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(Call("GET", "/readyz").status, 200)
      << "recovered without a restart";
  running = false;
  load.join();
  EXPECT_EQ(server_errors.load(), 0) << "never a 500, never a crash";
  // The rotation attempted during the outage left nothing half-written.
  EXPECT_EQ(Refresh(before).status, 200);
  EXPECT_EQ(Me(before).status, 200);
}

}  // namespace
}  // namespace gatehouse::testkit
