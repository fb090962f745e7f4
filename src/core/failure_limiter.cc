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
  if (now >= ends || w.failures < limit_.max_failures) return std::nullopt;
  return ends - now;
}

void FailureLimiter::RecordFailure(std::string_view key, Time now) {
  MutexLock lock(&mu_);
  auto it = windows_.find(std::string(key));
  if (it == windows_.end()) {
    if (windows_.size() >= max_keys_) EvictLocked(now);
    windows_.emplace(std::string(key), Window{now, 1});
    return;
  }
  Window& w = it->second;
  if (now >= w.started + limit_.window) {
    w = Window{now, 1};
  } else {
    ++w.failures;
  }
}

void FailureLimiter::EvictLocked(Time now) {
  std::erase_if(windows_, [&](const auto& entry) {
    return now >= entry.second.started + limit_.window;
  });
  if (windows_.size() < max_keys_) return;
  auto oldest = std::min_element(windows_.begin(), windows_.end(),
                                 [](const auto& a, const auto& b) {
                                   return a.second.started < b.second.started;
                                 });
  windows_.erase(oldest);
}

size_t FailureLimiter::tracked_keys() const {
  MutexLock lock(&mu_);
  return windows_.size();
}

}  // namespace gatehouse
