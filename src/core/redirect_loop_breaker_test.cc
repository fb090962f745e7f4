#include "core/redirect_loop_breaker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "testing/fake_clock.h"

namespace gatehouse {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RedirectLoopBreakerTest, DefaultsAreThreeRedirectsInTenSeconds) {
  EXPECT_EQ(kLoginRedirectLoopCount, 3);
  EXPECT_EQ(kLoginRedirectLoopWindow, seconds(10));
  RedirectLoopLimit limit;
  EXPECT_EQ(limit.max_redirects, kLoginRedirectLoopCount);
  EXPECT_EQ(limit.window, kLoginRedirectLoopWindow);
}

// Each step: advance the clock, record one redirect of `key`, expect.
struct Step {
  milliseconds advance;
  std::string_view key;
  bool breaks;
};

void RunSteps(const std::vector<Step>& steps) {
  testkit::FakeClock clock;
  RedirectLoopBreaker breaker;
  for (size_t i = 0; i < steps.size(); ++i) {
    clock.Advance(steps[i].advance);
    EXPECT_EQ(breaker.RecordRedirect(steps[i].key, clock.Now()),
              steps[i].breaks)
        << "step " << i << " (" << steps[i].key << ")";
  }
}

TEST(RedirectLoopBreakerTest, ALoopBreaksOnTheThirdRedirect) {
  RunSteps({
      {milliseconds(0), "a", false},
      {milliseconds(300), "a", false},
      {milliseconds(300), "a", true},
      // It stays broken while the browser keeps coming back that fast.
      {milliseconds(300), "a", true},
      {seconds(4), "a", true},
  });
}

TEST(RedirectLoopBreakerTest, TheWindowSlides) {
  RunSteps({
      {milliseconds(0), "a", false},
      {seconds(5), "a", false},
      // 10 s after the first: only the second is still in the window.
      {seconds(5), "a", false},
      // 9.999 s after the second: three in the window.
      {milliseconds(4999), "a", true},
  });
}

TEST(RedirectLoopBreakerTest, AHumanPaceNeverBreaks) {
  std::vector<Step> steps;
  for (int i = 0; i < 20; ++i) steps.push_back({seconds(5), "a", false});
  RunSteps(steps);
}

TEST(RedirectLoopBreakerTest, AQuietWindowStartsOver) {
  RunSteps({
      {milliseconds(0), "a", false},
      {milliseconds(1), "a", false},
      {milliseconds(1), "a", true},
      {seconds(10), "a", false},
      {milliseconds(1), "a", false},
      {milliseconds(1), "a", true},
  });
}

TEST(RedirectLoopBreakerTest, BrowsersAreCountedApart) {
  RunSteps({
      {milliseconds(0), "a", false},
      {milliseconds(1), "b", false},
      {milliseconds(1), "a", false},
      {milliseconds(1), "c", false},
      {milliseconds(1), "b", false},
      {milliseconds(1), "a", true},
      {milliseconds(1), "c", false},
  });
}

TEST(RedirectLoopBreakerTest, ForgetStartsABrowserOver) {
  testkit::FakeClock clock;
  RedirectLoopBreaker breaker;
  EXPECT_FALSE(breaker.RecordRedirect("a", clock.Now()));
  EXPECT_FALSE(breaker.RecordRedirect("a", clock.Now()));
  breaker.Forget("a");
  EXPECT_EQ(breaker.tracked_keys(), 0u);
  EXPECT_FALSE(breaker.RecordRedirect("a", clock.Now()));
}

TEST(RedirectLoopBreakerTest, ACustomLimit) {
  testkit::FakeClock clock;
  RedirectLoopBreaker breaker({.max_redirects = 5, .window = seconds(2)});
  for (int i = 0; i < 4; ++i) {
    EXPECT_FALSE(breaker.RecordRedirect("a", clock.Now())) << i;
  }
  EXPECT_TRUE(breaker.RecordRedirect("a", clock.Now()));
  clock.Advance(seconds(2));
  EXPECT_FALSE(breaker.RecordRedirect("a", clock.Now()));

  RedirectLoopBreaker at_least_one({.max_redirects = 0, .window = seconds(1)});
  EXPECT_TRUE(at_least_one.RecordRedirect("a", clock.Now()))
      << "a limit below 1 is raised to 1";
}

TEST(RedirectLoopBreakerTest, MemoryIsBounded) {
  testkit::FakeClock clock;
  RedirectLoopBreaker breaker({}, 10);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(
        breaker.RecordRedirect("ip-" + std::to_string(i), clock.Now()));
    clock.Advance(milliseconds(1));
  }
  EXPECT_LE(breaker.tracked_keys(), 10u);
  // The newest browsers are kept: a loop in progress still breaks.
  EXPECT_FALSE(breaker.RecordRedirect("ip-999", clock.Now()));
  EXPECT_TRUE(breaker.RecordRedirect("ip-999", clock.Now()));
}

TEST(RedirectLoopBreakerTest, ExpiredWindowsAreEvictedFirst) {
  testkit::FakeClock clock;
  RedirectLoopBreaker breaker({}, 3);
  EXPECT_FALSE(breaker.RecordRedirect("old", clock.Now()));
  clock.Advance(seconds(9));
  EXPECT_FALSE(breaker.RecordRedirect("loop", clock.Now()));
  EXPECT_FALSE(breaker.RecordRedirect("loop", clock.Now()));
  EXPECT_FALSE(breaker.RecordRedirect("other", clock.Now()));
  clock.Advance(seconds(1));  // "old" has expired, the rest have not
  EXPECT_FALSE(breaker.RecordRedirect("new", clock.Now()));
  EXPECT_EQ(breaker.tracked_keys(), 3u);
  EXPECT_TRUE(breaker.RecordRedirect("loop", clock.Now()))
      << "a live window survived the eviction";
}

// Finding 12d: browsers are told apart by the auth cookies they send, so
// two browsers behind one address are two keys, and a browser without
// auth cookies has no key at all.
TEST(LoopBreakerKeyTest, LoopBreakerKeysOnAuthCookiesNotOnAddressAndAgent) {
  EXPECT_EQ(LoopBreakerKey({}, {}), "") << "nothing to key on: not counted";
  const std::string one = LoopBreakerKey({"stale.one"}, {});
  EXPECT_EQ(one.size(), 16u);
  EXPECT_EQ(one.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(LoopBreakerKey({"stale.one"}, {}), one) << "stable";
  EXPECT_NE(LoopBreakerKey({"stale.two"}, {}), one);
  EXPECT_NE(LoopBreakerKey({}, {"stale.one"}), one) << "the list counts";
  EXPECT_NE(LoopBreakerKey({"stale.one"}, {"r"}), one);
  // Framing: values are not simply concatenated.
  EXPECT_NE(LoopBreakerKey({"ab", "c"}, {}), LoopBreakerKey({"a", "bc"}, {}));
  EXPECT_NE(LoopBreakerKey({"a"}, {"b"}), LoopBreakerKey({"a", "b"}, {}));
  // A long cookie makes no longer key.
  EXPECT_EQ(LoopBreakerKey({std::string(4096, 'x')}, {}).size(), 16u);

  // Two browsers behind one NAT with the same agent: each has its own
  // count, so neither trips the breaker for the other.
  testkit::FakeClock clock;
  RedirectLoopBreaker breaker;
  const std::string a = LoopBreakerKey({"browser-a"}, {"refresh-a"});
  const std::string b = LoopBreakerKey({"browser-b"}, {"refresh-b"});
  EXPECT_FALSE(breaker.RecordRedirect(a, clock.Now()));
  EXPECT_FALSE(breaker.RecordRedirect(b, clock.Now()));
  EXPECT_FALSE(breaker.RecordRedirect(a, clock.Now()));
  EXPECT_FALSE(breaker.RecordRedirect(b, clock.Now()));
  EXPECT_TRUE(breaker.RecordRedirect(a, clock.Now())) << "a loops alone";
}

TEST(RedirectLoopBreakerTest, IsThreadSafe) {
  testkit::FakeClock clock;
  RedirectLoopBreaker breaker({}, 50);
  std::atomic<int> breaks{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        if (breaker.RecordRedirect("k" + std::to_string((t * 7 + i) % 80),
                                   clock.Now())) {
          ++breaks;
        }
        if (i % 100 == 0) breaker.Forget("k" + std::to_string(i % 80));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(breaker.tracked_keys(), 50u);
  EXPECT_GT(breaks.load(), 0);
}

}  // namespace
}  // namespace gatehouse
