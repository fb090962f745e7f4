#include "http/connection_limits.h"

#include <algorithm>

namespace gatehouse {

size_t ConnectionCapFor(size_t requested, uint64_t descriptor_limit) {
  requested = std::max<size_t>(1, requested);
  if (descriptor_limit == 0) return requested;
  uint64_t reserve = std::min(kReservedDescriptors, descriptor_limit / 2);
  uint64_t fits = std::max<uint64_t>(1, descriptor_limit - reserve);
  return static_cast<size_t>(std::min<uint64_t>(requested, fits));
}

ConnectionCounter::ConnectionCounter(size_t max_total, size_t max_per_client)
    : max_total_(std::max<size_t>(1, max_total)),
      max_per_client_(std::max<size_t>(1, max_per_client)) {}

ConnectionCounter::Verdict ConnectionCounter::TryAdd(const std::string& key,
                                                     bool per_client_cap) {
  if (total_ >= max_total_) return Verdict::kOverTotal;
  size_t& count = per_client_[key];
  if (per_client_cap && count >= max_per_client_) {
    return Verdict::kOverPerClient;
  }
  ++count;
  ++total_;
  return Verdict::kAdmitted;
}

void ConnectionCounter::Remove(const std::string& key) {
  auto it = per_client_.find(key);
  if (it == per_client_.end()) return;
  --total_;
  if (--it->second == 0) per_client_.erase(it);
}

size_t ConnectionCounter::of(const std::string& key) const {
  auto it = per_client_.find(key);
  return it == per_client_.end() ? 0 : it->second;
}

}  // namespace gatehouse
