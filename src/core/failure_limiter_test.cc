#include "core/failure_limiter.h"

#include <gtest/gtest.h>

#include "testing/fake_clock.h"

namespace gatehouse {
namespace {

using std::chrono::minutes;

TEST(FailureLimiterTest, BlocksAfterTheLimitUntilTheWindowEnds) {
  testkit::FakeClock clock;
  FailureLimiter limiter({3, minutes(15)}, 100);
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(limiter.Blocked("a", clock.Now()).has_value()) << i;
    limiter.RecordFailure("a", clock.Now());
    clock.Advance(minutes(1));
  }
  auto wait = limiter.Blocked("a", clock.Now());
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, minutes(12));  // the window started 3 minutes ago
  EXPECT_FALSE(limiter.Blocked("b", clock.Now()).has_value())
      << "keys are separate";
  clock.Advance(minutes(12));
  EXPECT_FALSE(limiter.Blocked("a", clock.Now()).has_value());
  limiter.RecordFailure("a", clock.Now());
  EXPECT_FALSE(limiter.Blocked("a", clock.Now()).has_value()) << "a new window";
}

TEST(FailureLimiterTest, MemoryIsBounded) {
  testkit::FakeClock clock;
  FailureLimiter limiter({1, minutes(15)}, 10);
  for (int i = 0; i < 1000; ++i) {
    limiter.RecordFailure("ip-" + std::to_string(i), clock.Now());
    clock.Advance(std::chrono::seconds(1));
  }
  EXPECT_LE(limiter.tracked_keys(), 10u);
  EXPECT_TRUE(limiter.Blocked("ip-999", clock.Now()).has_value())
      << "newest kept";
}

// Finding: a spray of cheap failures under fresh keys evicted the oldest
// window, so an attacker could make the limiter forget a locked account.
TEST(FailureLimiterTest, SprayOfFailuresNeverEvictsABlockedKey) {
  testkit::FakeClock clock;
  FailureLimiter limiter({3, minutes(15)}, 10);
  for (int i = 0; i < 3; ++i) limiter.RecordFailure("victim", clock.Now());
  ASSERT_TRUE(limiter.Blocked("victim", clock.Now()).has_value());
  for (int i = 0; i < 1000; ++i) {
    clock.Advance(std::chrono::milliseconds(100));
    limiter.RecordFailure("spray-" + std::to_string(i), clock.Now());
  }
  EXPECT_LE(limiter.tracked_keys(), 10u);
  EXPECT_TRUE(limiter.Blocked("victim", clock.Now()).has_value())
      << "the blocked key outlived 1000 unblocked ones";
  limiter.RecordFailure("spray-999", clock.Now());
  limiter.RecordFailure("spray-999", clock.Now());
  EXPECT_TRUE(limiter.Blocked("spray-999", clock.Now()).has_value())
      << "the newest unblocked key kept its count";
}

TEST(FailureLimiterTest, UnblockedKeysGoOldestFirst) {
  testkit::FakeClock clock;
  FailureLimiter limiter({2, minutes(15)}, 3);
  limiter.RecordFailure("blocked", clock.Now());
  limiter.RecordFailure("blocked", clock.Now());
  clock.Advance(minutes(1));
  limiter.RecordFailure("old", clock.Now());
  clock.Advance(minutes(1));
  limiter.RecordFailure("young", clock.Now());
  clock.Advance(minutes(1));
  limiter.RecordFailure("new", clock.Now());  // makes room
  EXPECT_EQ(limiter.tracked_keys(), 3u);
  EXPECT_TRUE(limiter.Blocked("blocked", clock.Now()).has_value())
      << "the oldest key of all, but blocked";
  limiter.RecordFailure("young", clock.Now());
  EXPECT_TRUE(limiter.Blocked("young", clock.Now()).has_value())
      << "young kept its first failure";
  limiter.RecordFailure("old", clock.Now());
  EXPECT_FALSE(limiter.Blocked("old", clock.Now()).has_value())
      << "old, the oldest unblocked key, was forgotten";
}

TEST(FailureLimiterTest, WhenEveryKeyIsBlockedTheBlockEndingFirstGoes) {
  testkit::FakeClock clock;
  FailureLimiter limiter({1, minutes(15)}, 3);
  for (const char* key : {"first", "second", "third"}) {
    limiter.RecordFailure(key, clock.Now());
    clock.Advance(minutes(1));
  }
  limiter.RecordFailure("fourth", clock.Now());
  EXPECT_EQ(limiter.tracked_keys(), 3u);
  EXPECT_FALSE(limiter.Blocked("first", clock.Now()).has_value());
  for (const char* key : {"second", "third", "fourth"}) {
    EXPECT_TRUE(limiter.Blocked(key, clock.Now()).has_value()) << key;
  }
}

TEST(FailureLimiterTest, ExpiredWindowsMakeRoomBeforeLiveOnes) {
  testkit::FakeClock clock;
  FailureLimiter limiter({1, minutes(15)}, 2);
  limiter.RecordFailure("expired", clock.Now());
  clock.Advance(minutes(20));
  limiter.RecordFailure("live", clock.Now());
  limiter.RecordFailure("new", clock.Now());
  EXPECT_EQ(limiter.tracked_keys(), 2u);
  EXPECT_TRUE(limiter.Blocked("live", clock.Now()).has_value());
  EXPECT_TRUE(limiter.Blocked("new", clock.Now()).has_value());
}

TEST(FailureLimiterTest, ANewWindowIsOrderedByItsNewStart) {
  testkit::FakeClock clock;
  FailureLimiter limiter({2, minutes(15)}, 2);
  limiter.RecordFailure("a", clock.Now());
  clock.Advance(minutes(1));
  limiter.RecordFailure("b", clock.Now());
  clock.Advance(minutes(20));
  limiter.RecordFailure("b", clock.Now());  // b's window starts again
  clock.Advance(minutes(1));
  limiter.RecordFailure("a", clock.Now());  // and then a's
  clock.Advance(minutes(1));
  limiter.RecordFailure("c", clock.Now());  // b's window is now the oldest
  limiter.RecordFailure("a", clock.Now());
  EXPECT_TRUE(limiter.Blocked("a", clock.Now()).has_value())
      << "a, first seen before b but restarted after it, was kept";
  limiter.RecordFailure("b", clock.Now());
  EXPECT_FALSE(limiter.Blocked("b", clock.Now()).has_value())
      << "b was forgotten and counts from one again";
}

}  // namespace
}  // namespace gatehouse
