#include "core/failure_limiter.h"

#include <algorithm>

namespace gatehouse {

FailureLimiter::FailureLimiter(FailureLimit limit, size_t max_keys)
    : limit_(limit), max_keys_(std::max<size_t>(1, max_keys)) {}

std::optional<Duration> FailureLimiter::Blocked(std::string_view key,
                                                Time now) const {
  MutexLock lock(&mu_);
  auto it = windows_.find(std::string(key));
  if (it == windows_.end()) return std::nullopt;
  const Window& w = it->second;
  Time ends = w.started + limit_.window;
  if (now >= ends || !IsBlocking(w)) return std::nullopt;
  return ends - now;
}

void FailureLimiter::RecordFailure(std::string_view key, Time now) {
  MutexLock lock(&mu_);
  auto it = windows_.find(std::string(key));
  if (it == windows_.end()) {
    if (windows_.size() >= max_keys_) EvictOne(now);
    it = windows_.emplace(std::string(key), Window{now, 1}).first;
    OrderOf(it->second).emplace(now, it->first);
    return;
  }
  Window& w = it->second;
  OrderOf(w).erase({w.started, it->first});
  if (now >= w.started + limit_.window) {
    w = Window{now, 1};
  } else {
    ++w.failures;
  }
  OrderOf(w).emplace(w.started, it->first);
}

void FailureLimiter::EvictOne(Time now) {
  auto ended = [&](const Order& order) {
    return !order.empty() && now >= order.begin()->first + limit_.window;
  };
  // A blocked key whose window has ended blocks nothing any more; else
  // the oldest unblocked key goes (its window may have ended too), and a
  // blocked one only when there is no other.
  Order& from = ended(blocked_) || unblocked_.empty() ? blocked_ : unblocked_;
  auto oldest = from.begin();
  auto window = windows_.find(std::string(oldest->second));
  from.erase(oldest);
  windows_.erase(window);
}

size_t FailureLimiter::tracked_keys() const {
  MutexLock lock(&mu_);
  return windows_.size();
}

}  // namespace gatehouse
