#include "core/redirect_loop_breaker.h"

#include <algorithm>
#include <cstdint>

namespace gatehouse {
namespace {

// FNV-1a, 64 bits: a breaker key needs spread, not secrecy. A browser can
// only ever choose its own key, and to collide with another browser's it
// would need that browser's httpOnly cookies, which would be the greater
// problem.
constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

void Mix(uint64_t& h, unsigned char byte) {
  h ^= byte;
  h *= kFnvPrime;
}

// Each value with a tag for its list and its length, so that no two
// different lists frame into the same bytes.
void MixValues(uint64_t& h, char tag,
               const std::vector<std::string_view>& values) {
  for (std::string_view v : values) {
    Mix(h, static_cast<unsigned char>(tag));
    for (int shift = 0; shift < 64; shift += 8) {
      Mix(h, static_cast<unsigned char>(uint64_t{v.size()} >> shift));
    }
    for (char c : v) Mix(h, static_cast<unsigned char>(c));
  }
}

}  // namespace

std::string LoopBreakerKey(
    const std::vector<std::string_view>& access_tokens,
    const std::vector<std::string_view>& refresh_tokens) {
  if (access_tokens.empty() && refresh_tokens.empty()) return "";
  uint64_t h = kFnvOffset;
  MixValues(h, 'a', access_tokens);
  MixValues(h, 'r', refresh_tokens);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) key[i] = kHex[h & 0xF];
  return key;
}

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
