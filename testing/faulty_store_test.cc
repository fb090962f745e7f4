// Test that header file is self-contained.
#include "testing/faulty_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "storage/store_conformance.h"
#include "testing/temp_sqlite_store.h"
#include "testing/test_records.h"

namespace gatehouse {
namespace {

using testkit::MakeSession;
using testkit::MakeToken;
using testkit::MakeUser;

using TempSqlite = testkit::TempSqliteStore;

// With no fault armed, FaultyStore must be indistinguishable from its base.
std::unique_ptr<StoreUnderTest> MakeFaultyOverSqlite() {
  auto base = std::make_shared<TempSqlite>();
  if (base->store() == nullptr) {
    ADD_FAILURE() << "cannot open a temporary SQLite store";
    return nullptr;
  }
  auto out = std::make_unique<StoreUnderTest>();
  out->store = std::make_unique<FaultyStore>(*base->store());
  out->cleanup = [base]() mutable { base.reset(); };
  return out;
}

INSTANTIATE_TEST_SUITE_P(
    FaultyOverSqlite, StoreConformanceTest,
    ::testing::Values(StoreFactory(&MakeFaultyOverSqlite)));

int64_t CountUsers(Store& store) {
  int64_t n = -1;
  Status st = store.Run(TxMode::kRead, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(n, tx.CountUsers());
    return Ok();
  });
  EXPECT_TRUE(st.ok());
  return n;
}

class FaultyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(base_.store(), nullptr);
    faulty_ = std::make_unique<FaultyStore>(*base_.store());
  }

  Store& base() { return *base_.store(); }
  FaultyStore& faulty() { return *faulty_; }

  TempSqlite base_;
  std::unique_ptr<FaultyStore> faulty_;
};

TEST_F(FaultyStoreTest, PassesEverythingThroughUntilArmed) {
  Status st = faulty().Run(TxMode::kWrite, [](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(tx.InsertUser(MakeUser("a", "a@example.com")));
    return tx.InsertUser(MakeUser("b", "b@example.com"));
  });
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(CountUsers(base()), 2);
  EXPECT_EQ(faulty().calls(), 2);
  EXPECT_FALSE(faulty().fired());
  EXPECT_TRUE(faulty().Ping().ok());
}

TEST_F(FaultyStoreTest, TheNthCallFailsWithoutRunningAndTheRunRollsBack) {
  faulty().FailAfter(2);
  int reached = 0;
  Status st = faulty().Run(TxMode::kWrite, [&](Tx& tx) -> Status {
    GH_RETURN_IF_ERROR(
        tx.InsertUser(MakeUser("a", "a@example.com")));  // call 0
    ++reached;
    GH_RETURN_IF_ERROR(
        tx.InsertUser(MakeUser("b", "b@example.com")));  // call 1
    ++reached;
    GH_RETURN_IF_ERROR(
        tx.InsertUser(MakeUser("c", "c@example.com")));  // call 2: fails
    ++reached;
    return Ok();
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(st.error().retry_after_seconds, std::optional<int>(1));
  EXPECT_NE(st.error().message.find("InsertUser"), std::string::npos);
  EXPECT_EQ(reached, 2);
  EXPECT_TRUE(faulty().fired());
  EXPECT_EQ(CountUsers(base()), 0);  // a and b were rolled back with it
}

TEST_F(FaultyStoreTest, CountsAcrossRunsAndStaysDownUntilReset) {
  faulty().FailAfter(1);
  EXPECT_TRUE(faulty()
                  .Run(TxMode::kWrite,
                       [](Tx& tx) {
                         return tx.InsertUser(MakeUser("a", "a@example.com"));
                       })
                  .ok());  // call 0
  Status st = faulty().Run(TxMode::kWrite, [](Tx& tx) {
    return tx.InsertSession(MakeSession("s", "a"));  // call 1
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  // The database "stays away": later calls and Ping fail as well.
  st = faulty().Run(TxMode::kRead, [](Tx& tx) -> Status {
    auto user = tx.GetUser("a");
    return user.ok() ? Ok() : std::move(user).error();
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(faulty().Ping().ok());
  EXPECT_EQ(faulty().calls(), 3);

  faulty().Reset();
  EXPECT_TRUE(faulty().Ping().ok());
  EXPECT_EQ(CountUsers(faulty()), 1);  // the first Run committed
  EXPECT_EQ(faulty().calls(), 1);
}

TEST_F(FaultyStoreTest, FailAtZeroFailsTheFirstCall) {
  faulty().FailAfter(0);
  Status st = faulty().Run(TxMode::kRead, [](Tx& tx) -> Status {
    auto n = tx.CountUsers();
    return n.ok() ? Ok() : std::move(n).error();
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
}

// The pattern service tests follow (testing/faulty_store.h): fail each step in
// turn until the operation succeeds, checking after every failure that nothing
// of it was kept.
TEST_F(FaultyStoreTest, FailMatrixOverAMultiStepWrite) {
  auto sign_up_and_log_in = [&](Store& store) {
    return store.Run(TxMode::kWrite, [](Tx& tx) -> Status {
      auto existing = tx.FindUserByEmail("a@example.com");
      if (existing.ok()) return MakeError(ErrorCode::kEmailTaken, "taken");
      if (existing.error().code != ErrorCode::kNotFound) {
        return existing.error();
      }
      GH_RETURN_IF_ERROR(tx.InsertUser(MakeUser("a", "a@example.com")));
      GH_RETURN_IF_ERROR(tx.InsertSession(MakeSession("s", "a")));
      return tx.InsertRefreshToken(MakeToken("hash-0", "s"));
    });
  };
  int failures = 0;
  for (int n = 0;; ++n) {
    ASSERT_LT(n, 100) << "never succeeded";
    faulty().FailAfter(n);
    Status st = sign_up_and_log_in(faulty());
    faulty().Reset();
    if (st.ok()) break;
    ++failures;
    EXPECT_EQ(st.error().code, ErrorCode::kUnavailable) << n;
    EXPECT_EQ(CountUsers(base()), 0) << n;
    Status none = base().Run(TxMode::kRead, [](Tx& tx) -> Status {
      EXPECT_FALSE(tx.GetSession("s").ok());
      EXPECT_FALSE(tx.FindRefreshToken("hash-0").ok());
      return Ok();
    });
    EXPECT_TRUE(none.ok());
  }
  EXPECT_EQ(failures, 4);  // one per data call
  EXPECT_EQ(CountUsers(base()), 1);
}

}  // namespace
}  // namespace gatehouse
