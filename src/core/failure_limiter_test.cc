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

}  // namespace
}  // namespace gatehouse
