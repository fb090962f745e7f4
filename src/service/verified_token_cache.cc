#include "service/verified_token_cache.h"

#include <algorithm>

namespace gatehouse {

VerifiedTokenCache::VerifiedTokenCache(const Crypto& crypto, size_t capacity)
    : half_capacity_(std::max<size_t>(1, capacity / 2)),
      young_(0, Hash{}, ConstantTimeEqual{&crypto}),
      old_(0, Hash{}, ConstantTimeEqual{&crypto}) {}

std::optional<AccessClaims> VerifiedTokenCache::Find(
    std::string_view token, uint64_t ring_generation) const {
  ReaderLock lock(&mu_);
  for (const Map* map : {&young_, &old_}) {
    auto it = map->find(token);
    if (it != map->end() && it->second.ring_generation == ring_generation) {
      return it->second.claims;
    }
  }
  return std::nullopt;
}

void VerifiedTokenCache::Insert(std::string_view token,
                                const AccessClaims& claims,
                                uint64_t ring_generation) {
  WriterLock lock(&mu_);
  if (young_.size() >= half_capacity_) {
    old_ = std::move(young_);
    young_.clear();
  }
  young_.insert_or_assign(std::string(token), Entry{claims, ring_generation});
}

size_t VerifiedTokenCache::size() const {
  ReaderLock lock(&mu_);
  return young_.size() + old_.size();
}

}  // namespace gatehouse
