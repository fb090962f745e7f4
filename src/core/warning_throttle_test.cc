#include "core/warning_throttle.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "testing/fake_clock.h"

namespace gatehouse {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

TEST(WarningThrottleTest, OnceAMinuteByDefault) {
  EXPECT_EQ(kConfigWarningInterval, minutes(1));
  testkit::FakeClock clock;
  WarningThrottle throttle;
  EXPECT_TRUE(throttle.ShouldWarn(clock.Now())) << "the first one is logged";
  EXPECT_FALSE(throttle.ShouldWarn(clock.Now()));
  clock.Advance(seconds(59));
  EXPECT_FALSE(throttle.ShouldWarn(clock.Now()));
  clock.Advance(seconds(1));
  EXPECT_TRUE(throttle.ShouldWarn(clock.Now())) << "a minute after the first";
  clock.Advance(seconds(30));
  EXPECT_FALSE(throttle.ShouldWarn(clock.Now()));
  clock.Advance(minutes(10));
  EXPECT_TRUE(throttle.ShouldWarn(clock.Now())) << "after a quiet spell";
  EXPECT_FALSE(throttle.ShouldWarn(clock.Now()));
}

TEST(WarningThrottleTest, TheIntervalCountsFromTheLastWarningLogged) {
  testkit::FakeClock clock;
  WarningThrottle throttle(seconds(10));
  ASSERT_TRUE(throttle.ShouldWarn(clock.Now()));
  // Refused calls do not push the next warning further away.
  for (int i = 0; i < 9; ++i) {
    clock.Advance(seconds(1));
    EXPECT_FALSE(throttle.ShouldWarn(clock.Now())) << i;
  }
  clock.Advance(seconds(1));
  EXPECT_TRUE(throttle.ShouldWarn(clock.Now()));
}

TEST(WarningThrottleTest, RacingCallersLogOnce) {
  testkit::FakeClock clock;
  WarningThrottle throttle;
  std::atomic<int> logged{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        if (throttle.ShouldWarn(clock.Now())) ++logged;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(logged.load(), 1);
}

}  // namespace
}  // namespace gatehouse
