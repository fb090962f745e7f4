// VerifiedTokenCache: access tokens whose signature has already been
// verified, so that a token presented again skips the signature check.
//
// A signed-in browser presents the same access token on every page view
// and API call for its whole lifetime (15 minutes by default), and one
// Ed25519 verification (~38 us) is most of the cost of checking it. Only
// the exact bytes of a token that verified are remembered, with its
// claims; the claims are still checked on every use (expiry first), and
// an entry counts only under the key ring it was verified with, so a key
// that leaves the ring stops verifying at once.
//
// Nothing an attacker sends can enter the cache without a valid
// signature, so its buckets cannot be flooded; lookups compare tokens in
// constant time all the same.
#ifndef GATEHOUSE_SERVICE_VERIFIED_TOKEN_CACHE_H_
#define GATEHOUSE_SERVICE_VERIFIED_TOKEN_CACHE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "core/token_codec.h"
#include "crypto/crypto.h"

namespace gatehouse {

class VerifiedTokenCache {
 public:
  // Holds up to `capacity` tokens: two halves, the older dropped whole
  // when the newer fills, so the tokens in use stay and memory is bounded
  // (a token and its claims take about 0.6 KB).
  VerifiedTokenCache(const Crypto& crypto, size_t capacity);

  VerifiedTokenCache(const VerifiedTokenCache&) = delete;
  VerifiedTokenCache& operator=(const VerifiedTokenCache&) = delete;

  // The claims of exactly `token` if it verified under the key ring of
  // `ring_generation`. Thread-safe.
  std::optional<AccessClaims> Find(std::string_view token,
                                   uint64_t ring_generation) const;
  // Remembers that `token` verified under `ring_generation`. Thread-safe.
  void Insert(std::string_view token, const AccessClaims& claims,
              uint64_t ring_generation);

  size_t size() const;

 private:
  struct Entry {
    AccessClaims claims;
    uint64_t ring_generation = 0;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };
  struct ConstantTimeEqual {
    using is_transparent = void;
    const Crypto* crypto;
    bool operator()(std::string_view a, std::string_view b) const {
      return a.size() == b.size() && crypto->ConstantTimeEquals(a, b);
    }
  };
  using Map = std::unordered_map<std::string, Entry, Hash, ConstantTimeEqual>;

  // Set in the constructor.
  const size_t half_capacity_;

  // Shared to find, exclusive to insert.
  mutable SharedMutex mu_;
  // State below is guarded by mu_.
  Map young_ GUARDED_BY(mu_);  // where new tokens go
  Map old_ GUARDED_BY(mu_);    // the previous young half, still consulted
};

}  // namespace gatehouse

#endif  // GATEHOUSE_SERVICE_VERIFIED_TOKEN_CACHE_H_
