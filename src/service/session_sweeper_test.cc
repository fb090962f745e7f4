#include "service/session_sweeper.h"

#include <gtest/gtest.h>

#include "testing/service_fixture.h"

namespace gatehouse {
namespace {

using std::chrono::days;

class SessionSweeperTest : public testkit::ServiceTest {
 protected:
  int64_t SessionCount() {
    int64_t n = 0;
    EXPECT_TRUE(store_
                    ->Run(TxMode::kRead,
                          [&](Tx& tx) -> Status {
                            GH_ASSIGN_OR_RETURN(
                                n, tx.CountActiveSessions(clock_.Now()));
                            return Ok();
                          })
                    .ok());
    return n;
  }
};

TEST_F(SessionSweeperTest, DeletesLongEndedSessionsInBatchesAndKeepsLiveOnes) {
  NewUser("a@example.test");
  std::vector<std::string> refresh_tokens;
  for (int i = 0; i < 7; ++i) {
    auto issued =
        auth_->Login("a@example.test", testkit::kTestPassword, client_, {});
    ASSERT_TRUE(issued.ok());
    refresh_tokens.push_back(issued->refresh_token);
  }
  // Five sessions end now; two stay live.
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(auth_->Logout({}, {refresh_tokens[i]}, client_).ok());
  }
  SessionSweeper sweeper(*store_, clock_, {days(7), 2, 10});
  EXPECT_EQ(*sweeper.SweepOnce(), 0) << "kept for the retention period first";
  clock_.Advance(days(8));
  // The two live ones are within their 30-day refresh lifetime.
  EXPECT_EQ(*sweeper.SweepOnce(), 5);
  EXPECT_EQ(SessionCount(), 2);
  EXPECT_EQ(auth_->Refresh({refresh_tokens[0]}, client_).error().code,
            ErrorCode::kInvalidRefreshToken);
  EXPECT_TRUE(auth_->Refresh({refresh_tokens[6]}, client_).ok());
}

TEST_F(SessionSweeperTest, OneSweepIsBounded) {
  NewUser("b@example.test");
  for (int i = 0; i < 6; ++i) {
    auto issued =
        auth_->Login("b@example.test", testkit::kTestPassword, client_, {});
    ASSERT_TRUE(issued.ok());
  }
  clock_.Advance(days(100));  // all expired, long ago
  SessionSweeper sweeper(*store_, clock_, {days(7), 2, 2});
  EXPECT_EQ(*sweeper.SweepOnce(), 4);
  EXPECT_EQ(*sweeper.SweepOnce(), 2);
  EXPECT_EQ(*sweeper.SweepOnce(), 0);
}

}  // namespace
}  // namespace gatehouse
