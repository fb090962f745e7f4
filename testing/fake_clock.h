// FakeClock: a Clock that moves only when a test says so.
#ifndef GATEHOUSE_TESTING_FAKE_CLOCK_H_
#define GATEHOUSE_TESTING_FAKE_CLOCK_H_

#include <atomic>

#include "core/clock.h"

namespace gatehouse::testkit {

class FakeClock final : public Clock {
 public:
  // 2026-01-01T00:00:00Z: a fixed, readable start for snapshots.
  static constexpr int64_t kDefaultStartMillis = 1767225600000;

  explicit FakeClock(Time start = FromUnixMillis(kDefaultStartMillis))
      : now_ms_(ToUnixMillis(start)) {}

  Time Now() const override { return FromUnixMillis(now_ms_.load()); }
  void Advance(Duration d) { now_ms_ += d.count(); }
  void Set(Time t) { now_ms_ = ToUnixMillis(t); }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace gatehouse::testkit

#endif  // GATEHOUSE_TESTING_FAKE_CLOCK_H_
