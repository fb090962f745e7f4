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
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

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
  // At most `max_keys` keys (at least 1) are tracked. To make room for a
  // new key one is dropped, chosen in this order, so that a spray of cheap
  // failures under fresh keys never makes the limiter forget a blocked
  // one: a key whose window has ended; else the unblocked key whose window
  // started first; only if every key is blocked, the key whose block ends
  // first. Each choice costs O(log max_keys).
  // Memory: max_keys × kBytesPerKey, plus each key's own text when it is
  // over 15 bytes (std::string keeps shorter ones inline).
  FailureLimiter(FailureLimit limit, size_t max_keys);

  // Bookkeeping per tracked key: a hash-map node holding the key and its
  // window, its bucket, and a node in one of the two orderings. Measured
  // with glibc malloc on x86-64: 144 bytes a key for 11-byte keys, 158
  // for 15-byte ones; a 254-byte key (the longest email) adds its 272-byte
  // heap block.
  static constexpr size_t kBytesPerKey = 160;

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
  // Keys by the start of their window, oldest first. A blocked key's block
  // ends when its window does, and every window is as long, so this is
  // also the order in which blocks end. The views point at windows_'s
  // keys, which stay put until erased (unordered_map nodes never move).
  using Order = std::set<std::pair<Time, std::string_view>>;

  bool IsBlocking(const Window& w) const {
    return w.failures >= limit_.max_failures;
  }
  Order& OrderOf(const Window& w) REQUIRES(mu_) {
    return IsBlocking(w) ? blocked_ : unblocked_;
  }
  // Drops one key as described at the constructor. REQUIRES: some key.
  void EvictOne(Time now) REQUIRES(mu_);

  // Set in the constructor.
  const FailureLimit limit_;
  const size_t max_keys_;

  mutable Mutex mu_;
  // State below is guarded by mu_.
  std::unordered_map<std::string, Window> windows_ GUARDED_BY(mu_);
  // Every key of windows_ is in exactly one of these: blocked_ once it
  // reached max_failures in its window (whether or not that window has
  // ended since), unblocked_ before.
  Order unblocked_ GUARDED_BY(mu_);
  Order blocked_ GUARDED_BY(mu_);
};

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_FAILURE_LIMITER_H_
