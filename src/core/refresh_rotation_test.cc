#include "core/refresh_rotation.h"

#include <gtest/gtest.h>

#include "testing/fake_clock.h"

namespace gatehouse {
namespace {

using std::chrono::days;
using std::chrono::seconds;

constexpr Duration kGrace = seconds(30);

class RefreshRotationTest : public ::testing::Test {
 protected:
  RefreshRotationTest() {
    session_.id = "s1";
    session_.created_at = clock_.Now();
    session_.expires_at = clock_.Now() + days(30);
    session_.absolute_expires_at = clock_.Now() + days(90);
    session_.generation = 0;
    token_.session_id = "s1";
    token_.generation = 0;
    token_.issued_at = clock_.Now();
  }

  // Applies a rotation the way the service does.
  void Rotate() {
    token_.superseded_at = clock_.Now();
    session_.generation += 1;
  }

  RefreshDecision Decide() {
    return DecideRefresh(token_, session_, clock_.Now(), kGrace);
  }

  testkit::FakeClock clock_;
  Session session_;
  RefreshTokenRecord token_;
};

TEST_F(RefreshRotationTest, CurrentTokenOfLiveSessionRotates) {
  EXPECT_EQ(Decide(), RefreshDecision::kRotate);
}

TEST_F(RefreshRotationTest, F9_SupersededTokenWithinGraceIsReplayed) {
  Rotate();
  clock_.Advance(seconds(29));
  EXPECT_EQ(Decide(), RefreshDecision::kReplayWithinGrace);
}

TEST_F(RefreshRotationTest, SupersededTokenAfterGraceIsReuse) {
  Rotate();
  clock_.Advance(kGrace);  // the window is half-open: [superseded, +grace)
  EXPECT_EQ(Decide(), RefreshDecision::kReuseDetected);
  clock_.Advance(days(1));
  EXPECT_EQ(Decide(), RefreshDecision::kReuseDetected);
}

TEST_F(RefreshRotationTest, ZeroGraceMakesEveryReplayReuse) {
  Rotate();
  EXPECT_EQ(DecideRefresh(token_, session_, clock_.Now(), Duration(0)),
            RefreshDecision::kReuseDetected);
}

TEST_F(RefreshRotationTest, OverlongChainWithinGraceIsReuse) {
  Rotate();
  session_.generation = kMaxGraceChain + 1;
  EXPECT_EQ(Decide(), RefreshDecision::kReuseDetected);
}

TEST_F(RefreshRotationTest, RevokedSessionEndsEvenForCurrentOrGraceTokens) {
  session_.revoked_at = clock_.Now();
  EXPECT_EQ(Decide(), RefreshDecision::kSessionEnded);
  Rotate();
  EXPECT_EQ(Decide(), RefreshDecision::kSessionEnded);
}

TEST_F(RefreshRotationTest, ExpiredTokenOrSessionEnds) {
  clock_.Advance(days(30));
  EXPECT_EQ(Decide(), RefreshDecision::kSessionEnded);
  session_.expires_at = clock_.Now() + days(30);
  clock_.Set(session_.absolute_expires_at);
  EXPECT_EQ(Decide(), RefreshDecision::kSessionEnded);
}

TEST_F(RefreshRotationTest, RankPrefersUsableTokensOverReuseEvidence) {
  EXPECT_LT(DecisionRank(RefreshDecision::kRotate),
            DecisionRank(RefreshDecision::kReplayWithinGrace));
  EXPECT_LT(DecisionRank(RefreshDecision::kReplayWithinGrace),
            DecisionRank(RefreshDecision::kReuseDetected));
  EXPECT_LT(DecisionRank(RefreshDecision::kReuseDetected),
            DecisionRank(RefreshDecision::kSessionEnded));
}

TEST(RefreshExpiryTest, NeverPastTheAbsoluteEnd) {
  Time now = FromUnixMillis(0);
  EXPECT_EQ(RefreshExpiry(now, days(30), now + days(90)), now + days(30));
  EXPECT_EQ(RefreshExpiry(now, days(30), now + days(10)), now + days(10));
}

}  // namespace
}  // namespace gatehouse
