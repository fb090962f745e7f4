// FailureLimiter: counts failed attempts per key (an account, an IP) in a
// window and says when a key must wait (SPEC §10: brute force).
//
// Only failures count, so a user who signs in correctly is never slowed.
// The window is fixed and starts at a key's first failure: "10 failures
// within 15 minutes of the first one". Pure and in memory: each gatehouse
// instance keeps its own counters (README: production).
#ifndef GATEHOUSE_CORE_FAILURE_LIMITER_H_
#define GATEHOUSE_CORE_FAILURE_LIMITER_H_

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace gatehouse {

struct FailureLimit {
  int max_failures = 10;
  Duration window{std::chrono::minutes(15)};
};

class FailureLimiter {
 public:
  // At most `max_keys` keys are tracked; past that, expired windows are
  // dropped first and then the oldest, so an attacker spraying keys costs
  // bounded memory (~100 bytes a key).
  FailureLimiter(FailureLimit limit, size_t max_keys);

  // How long `key` must still wait at `now`, or nullopt if it may try.
  // Thread-safe.
  std::optional<Duration> Blocked(std::string_view key, Time now) const;

  // Counts one failure of `key` at `now`. Thread-safe.
  void RecordFailure(std::string_view key, Time now);

  size_t tracked_keys() const;

 private:
  struct Window {
    Time started{};
    int failures = 0;
  };
  void EvictLocked(Time now) REQUIRES(mu_);

  // Set in the constructor.
  const FailureLimit limit_;
  const size_t max_keys_;

  mutable Mutex mu_;
  // State below is guarded by mu_.
  std::unordered_map<std::string, Window> windows_ GUARDED_BY(mu_);
};

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_FAILURE_LIMITER_H_
