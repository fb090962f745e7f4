#include "service/access_tokens.h"

#include <array>
#include <boost/json.hpp>
#include <cstdint>
#include <span>
#include <utility>

#include "core/base64url.h"

namespace gatehouse {
namespace {

namespace json = boost::json;

// 128 bits: ids drawn at random never collide in practice.
constexpr size_t kJtiBytes = 16;
constexpr size_t kEd25519PublicKeyBytes = 32;
constexpr size_t kEd25519SecretKeyBytes = 64;

Error Internal(std::string message) {
  return MakeError(ErrorCode::kInternal, std::move(message));
}

Error Invalid(std::string_view why) {
  return MakeError(ErrorCode::kAccessTokenInvalid,
                   "invalid access token: " + std::string(why));
}

// Signs with `key` according to its own alg; kInternal if the material
// does not fit the alg.
Result<Bytes> Sign(const Crypto& crypto, const SigningKeyMaterial& key,
                   std::string_view signing_input) {
  if (key.alg == kAlgEdDSA) {
    if (key.key.size() != kEd25519SecretKeyBytes) {
      return Internal("EdDSA signing key must be 64 bytes");
    }
    return crypto.SignEd25519(key.key, signing_input);
  }
  if (key.alg == kAlgHS256) {
    if (key.key.size() < kMinHmacKeyBytes) {
      return Internal("HS256 secret must be at least 32 bytes");
    }
    return crypto.HmacSha256(key.key, signing_input);
  }
  return Internal("unsupported signing alg");
}

// True iff `jwt` carries a valid signature by `key` under the key's own
// alg. The caller has already checked that the token claims that alg.
bool SignatureValid(const Crypto& crypto, const VerificationKey& key,
                    const ParsedJwt& jwt) {
  if (key.alg == kAlgEdDSA) {
    return key.key.size() == kEd25519PublicKeyBytes &&
           crypto.VerifyEd25519(key.key, jwt.signing_input, jwt.signature);
  }
  if (key.alg == kAlgHS256) {
    if (key.key.size() < kMinHmacKeyBytes) return false;
    // Constant time: a byte-by-byte early exit would let an attacker
    // discover a valid MAC one byte at a time.
    return crypto.ConstantTimeEquals(
        crypto.HmacSha256(key.key, jwt.signing_input), jwt.signature);
  }
  return false;
}

}  // namespace

AccessTokens::AccessTokens(const Crypto& crypto, const Clock& clock,
                           Random& random, AccessTokenSettings settings)
    : crypto_(crypto),
      clock_(clock),
      random_(random),
      settings_(std::move(settings)),
      verified_(crypto, kVerifiedTokenCacheCapacity) {}

void AccessTokens::SetKeys(SigningKeyMaterial signing,
                           std::vector<VerificationKey> verification) {
  std::shared_ptr<const KeyRing> next;
  {
    MutexLock lock(&mu_);
    // The key ring is reloaded every 30 s; only a change of verification
    // keys invalidates what was verified under the old ones.
    uint64_t generation = 0;
    if (ring_ != nullptr) {
      generation = ring_->verification == verification ? ring_->generation
                                                       : ring_->generation + 1;
    }
    next = std::make_shared<const KeyRing>(
        KeyRing{std::move(signing), std::move(verification), generation});
    ring_.swap(next);
  }
  // `next` now holds the old ring; if this was its last user it is freed
  // here, outside the lock.
}

std::shared_ptr<const AccessTokens::KeyRing> AccessTokens::Ring() const {
  MutexLock lock(&mu_);
  return ring_;
}

Result<IssuedAccessToken> AccessTokens::Issue(std::string_view user_id,
                                              std::string_view session_id,
                                              std::string_view role,
                                              Time not_after) const {
  if (user_id.empty() || session_id.empty() || role.empty()) {
    return Internal("access token needs a user, a session and a role");
  }
  if (settings_.ttl < std::chrono::seconds(1)) {
    return Internal("access token ttl must be at least one second");
  }
  const std::shared_ptr<const KeyRing> ring = Ring();
  if (ring == nullptr) return Internal("no signing key loaded");

  std::array<uint8_t, kJtiBytes> jti_bytes;
  random_.Fill(jti_bytes);

  const Time now = clock_.Now();
  AccessClaims claims;
  claims.iss = settings_.issuer;
  claims.aud = settings_.audience;
  claims.sub = user_id;
  claims.sid = session_id;
  claims.role = role;
  claims.jti = Base64UrlEncode(std::string_view(
      reinterpret_cast<const char*>(jti_bytes.data()), jti_bytes.size()));
  claims.iat = ToUnixSeconds(now);
  // Capped so that no token outlives its session: verifiers that skip the
  // database (SPEC §4, and our own in-memory path) rely on exp alone.
  claims.exp =
      std::min(ToUnixSeconds(now + settings_.ttl), ToUnixSeconds(not_after));

  const JwtHeader header{ring->signing.alg, ring->signing.kid, kJwtType};
  const std::string signing_input = EncodeSigningInput(header, claims);
  GH_ASSIGN_OR_RETURN(Bytes signature,
                      Sign(crypto_, ring->signing, signing_input));

  IssuedAccessToken issued;
  issued.token = AppendSignature(signing_input, signature);
  issued.jti = std::move(claims.jti);
  // Exactly what Verify will enforce, so a cookie's Max-Age derived from
  // it never outlives the token.
  issued.expires_at = Time(std::chrono::seconds(claims.exp));
  return issued;
}

Result<AccessClaims> AccessTokens::Verify(std::string_view token) const {
  const std::shared_ptr<const KeyRing> ring = Ring();
  if (ring == nullptr) return Invalid("no verification keys loaded");
  if (std::optional<AccessClaims> cached =
          verified_.Find(token, ring->generation)) {
    GH_RETURN_IF_ERROR(CheckClaims(*cached, clock_.Now(), settings_.issuer,
                                   settings_.audience));
    return std::move(*cached);
  }

  GH_ASSIGN_OR_RETURN(ParsedJwt jwt, ParseJwt(token));

  const VerificationKey* key = nullptr;
  for (const VerificationKey& candidate : ring->verification) {
    if (candidate.kid == jwt.header.kid) {
      key = &candidate;
      break;
    }
  }
  if (key == nullptr) return Invalid("unknown kid");
  // The pin: the key decides the algorithm, never the token.
  if (jwt.header.alg != key->alg) return Invalid("alg does not match key");
  if (!SignatureValid(crypto_, *key, jwt)) return Invalid("bad signature");

  GH_RETURN_IF_ERROR(CheckClaims(jwt.claims, clock_.Now(), settings_.issuer,
                                 settings_.audience));
  verified_.Insert(token, jwt.claims, ring->generation);
  return std::move(jwt.claims);
}

std::string RenderJwks(const std::vector<VerificationKey>& keys) {
  json::array published;
  for (const VerificationKey& key : keys) {
    // HS256 secrets are symmetric: publishing one would let anyone mint
    // tokens. Only Ed25519 public keys go out (RFC 8037 OKP form).
    if (key.alg != kAlgEdDSA || key.key.size() != kEd25519PublicKeyBytes) {
      continue;
    }
    const std::string x = Base64UrlEncode(key.key);
    json::object jwk;
    jwk.emplace("kty", "OKP");
    jwk.emplace("crv", "Ed25519");
    jwk.emplace("x", json::string_view(x.data(), x.size()));
    jwk.emplace("kid", json::string_view(key.kid.data(), key.kid.size()));
    jwk.emplace("alg", kAlgEdDSA);
    jwk.emplace("use", "sig");
    published.emplace_back(std::move(jwk));
  }
  json::object document;
  document.emplace("keys", std::move(published));
  return json::serialize(document);
}

}  // namespace gatehouse
