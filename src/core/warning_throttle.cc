#include "core/warning_throttle.h"

#include <limits>

namespace gatehouse {

WarningThrottle::WarningThrottle(Duration interval)
    : interval_(interval),
      next_allowed_ms_(std::numeric_limits<int64_t>::min()) {}

bool WarningThrottle::ShouldWarn(Time now) {
  const int64_t now_ms = ToUnixMillis(now);
  int64_t next = next_allowed_ms_.load(std::memory_order_relaxed);
  while (now_ms >= next) {
    if (next_allowed_ms_.compare_exchange_weak(next, now_ms + interval_.count(),
                                               std::memory_order_relaxed)) {
      return true;
    }
  }
  return false;
}

}  // namespace gatehouse
