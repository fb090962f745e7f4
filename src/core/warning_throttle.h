// WarningThrottle: lets one log line of a kind through per interval.
//
// Some warnings describe the deployment, not a request: a proxy that
// forwards the wrong headers sends every request wrong, and a warning per
// request would bury everything else in the log (SPEC §7 asks for "at most
// once a minute"). The caller asks before logging; the time comes from its
// Clock, so tests need no sleeping. Pure, like the limiters beside it.
#ifndef GATEHOUSE_CORE_WARNING_THROTTLE_H_
#define GATEHOUSE_CORE_WARNING_THROTTLE_H_

#include <atomic>
#include <cstdint>

#include "core/clock.h"

namespace gatehouse {

// Long enough that a misconfigured proxy costs one line a minute, short
// enough that an operator who watches the log while fixing it sees the
// warning stop.
inline constexpr Duration kConfigWarningInterval = std::chrono::minutes(1);

class WarningThrottle {
 public:
  explicit WarningThrottle(Duration interval = kConfigWarningInterval);

  // True iff the caller may log now: on the first call, then on the first
  // call at least `interval` after the last call that returned true. Of
  // calls racing for one slot exactly one wins. Thread-safe, lock-free.
  [[nodiscard]] bool ShouldWarn(Time now);

 private:
  const Duration interval_;
  // The earliest time, in Unix milliseconds, of the next warning.
  std::atomic<int64_t> next_allowed_ms_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_WARNING_THROTTLE_H_
