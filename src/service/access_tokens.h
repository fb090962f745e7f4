// AccessTokens: issues and verifies gatehouse's access-token JWTs (SPEC §4,
// format in docs/token-format.md) against a replaceable key ring, and
// renders the public keys as a JWKS.
//
// Verification pins the algorithm to the key: the token's "kid" selects a
// key, and the token's "alg" must equal that key's alg. So "alg":"none",
// and an HS256 token MACed with an Ed25519 public key (algorithm
// confusion), never verify. Claims are checked only after the signature,
// so a forged token is reported invalid, never merely expired.
#ifndef GATEHOUSE_SERVICE_ACCESS_TOKENS_H_
#define GATEHOUSE_SERVICE_ACCESS_TOKENS_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/random.h"
#include "core/result.h"
#include "core/thread_annotations.h"
#include "core/token_codec.h"
#include "crypto/crypto.h"
#include "service/verified_token_cache.h"

namespace gatehouse {

struct AccessTokenSettings {
  std::string issuer;    // the "iss" claim: GATEHOUSE_PUBLIC_URL
  std::string audience;  // the "aud" claim
  Duration ttl = std::chrono::minutes(15);  // GATEHOUSE_ACCESS_TTL
};

inline constexpr char kAlgEdDSA[] = "EdDSA";
inline constexpr char kAlgHS256[] = "HS256";

// Tokens whose verification is remembered (VerifiedTokenCache): far more
// than the browsers active within one access TTL on one instance of a
// typical deployment, and at most a few MB.
inline constexpr size_t kVerifiedTokenCacheCapacity = 8192;

// RFC 7518 §3.2: an HS256 key must be at least as long as the hash output.
// Shorter secrets neither sign nor verify.
inline constexpr size_t kMinHmacKeyBytes = 32;

// A key tokens may be verified with: an Ed25519 public key (32 bytes) for
// EdDSA, or the HMAC secret for HS256.
struct VerificationKey {
  std::string kid;
  std::string alg;  // kAlgEdDSA or kAlgHS256; tokens must carry the same
  Bytes key;

  bool operator==(const VerificationKey&) const = default;
};

// The key new tokens are signed with: an Ed25519 secret key (64 bytes,
// libsodium form) for EdDSA, or the HMAC secret for HS256.
struct SigningKeyMaterial {
  std::string kid;
  std::string alg;
  Bytes key;
};

struct IssuedAccessToken {
  std::string token;  // the compact JWS
  std::string jti;
  Time expires_at;  // the "exp" claim, whole seconds
};

// Thread-safe: Issue and Verify may run concurrently with each other and
// with SetKeys. References passed to the constructor must outlive it.
class AccessTokens {
 public:
  AccessTokens(const Crypto& crypto, const Clock& clock, Random& random,
               AccessTokenSettings settings);

  AccessTokens(const AccessTokens&) = delete;
  AccessTokens& operator=(const AccessTokens&) = delete;

  // Replaces the whole key ring at once: calls already running finish with
  // the old ring, later calls see the new one. `verification` must include
  // the signing key's verification half (for EdDSA its public key, for
  // HS256 the same secret) for new tokens to verify, plus every retired key
  // whose tokens may still be unexpired (rotation). Kids should be unique;
  // the first key with a token's kid is the one tried.
  void SetKeys(SigningKeyMaterial signing,
               std::vector<VerificationKey> verification);

  // A token for the session, valid from now for settings.ttl but never
  // past `not_after` (the session's absolute end), with a fresh jti (16
  // random bytes, base64url). Returns kInternal if SetKeys was never
  // called, the signing key does not fit its alg (size, unknown alg), any
  // of the arguments is empty, or ttl is under one second.
  [[nodiscard]] Result<IssuedAccessToken> Issue(
      std::string_view user_id, std::string_view session_id,
      std::string_view role, Time not_after = Time::max()) const;

  // The claims of `token` if it is well formed, signed by a key in the ring
  // under its kid and with that key's alg, and its claims pass CheckClaims
  // (issuer and audience from the settings). Otherwise kAccessTokenExpired
  // (a genuine token past exp) or kAccessTokenInvalid (anything else).
  // Does not consult revocation: that is the caller's job (SPEC §4).
  // A token that verified before under the same verification keys skips
  // the signature check (VerifiedTokenCache); its claims are checked anew.
  [[nodiscard]] Result<AccessClaims> Verify(std::string_view token) const;

 private:
  struct KeyRing {
    SigningKeyMaterial signing;
    std::vector<VerificationKey> verification;
    // Changes whenever the verification keys do (not on a reload that
    // finds the same keys): cached verifications count only under it.
    uint64_t generation = 0;
  };

  std::shared_ptr<const KeyRing> Ring() const;

  // Set in the constructor.
  const Crypto& crypto_;
  const Clock& clock_;
  Random& random_;
  const AccessTokenSettings settings_;

  // Held only to copy or swap the pointer, never while signing or
  // verifying, so readers wait at most for a pointer swap.
  mutable Mutex mu_;
  // State below is guarded by mu_.
  std::shared_ptr<const KeyRing> ring_ GUARDED_BY(mu_);  // null until SetKeys

  // Locks on its own.
  mutable VerifiedTokenCache verified_;
};

// The JWKS document (RFC 7517) for `keys`:
// {"keys":[{"kty":"OKP","crv":"Ed25519","x":...,"kid":...,"alg":"EdDSA",
// "use":"sig"}, ...]} in the given order. Only EdDSA keys with a 32-byte
// public key are published; HS256 secrets never are.
std::string RenderJwks(const std::vector<VerificationKey>& keys);

}  // namespace gatehouse

#endif  // GATEHOUSE_SERVICE_ACCESS_TOKENS_H_
