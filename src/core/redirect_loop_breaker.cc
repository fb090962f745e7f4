#include "core/redirect_loop_breaker.h"

#include <algorithm>

namespace gatehouse {

RedirectLoopBreaker::RedirectLoopBreaker(RedirectLoopLimit limit,
                                         size_t max_keys)
    : limit_{std::max(1, limit.max_redirects), limit.window},
      max_keys_(std::max<size_t>(1, max_keys)) {}

bool RedirectLoopBreaker::RecordRedirect(std::string_view key, Time now) {
  MutexLock lock(&mu_);
  auto it = recent_.find(std::string(key));
  if (it == recent_.end()) {
    if (recent_.size() >= max_keys_) EvictLocked(now);
    it = recent_.emplace(std::string(key), std::vector<Time>{}).first;
  }
  std::vector<Time>& times = it->second;
  // Only redirects inside the window ending now count.
  std::erase_if(times, [&](Time t) { return t + limit_.window <= now; });
  times.push_back(now);
  const auto max = static_cast<size_t>(limit_.max_redirects);
  if (times.size() > max) times.erase(times.begin());
  return times.size() >= max;
}

void RedirectLoopBreaker::Forget(std::string_view key) {
  MutexLock lock(&mu_);
  recent_.erase(std::string(key));
}

void RedirectLoopBreaker::EvictLocked(Time now) {
  std::erase_if(recent_, [&](const auto& entry) {
    return entry.second.empty() || entry.second.back() + limit_.window <= now;
  });
  if (recent_.size() < max_keys_) return;
  auto stalest = std::min_element(recent_.begin(), recent_.end(),
                                  [](const auto& a, const auto& b) {
                                    return a.second.back() < b.second.back();
                                  });
  recent_.erase(stalest);
}

size_t RedirectLoopBreaker::tracked_keys() const {
  MutexLock lock(&mu_);
  return recent_.size();
}

}  // namespace gatehouse
