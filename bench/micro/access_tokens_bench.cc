// Signing and verifying access tokens (service/access_tokens.h): the
// signature check is most of what /auth/me and /auth/check cost, and
// signing is part of every sign-in and rotation.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "crypto/sodium_crypto.h"
#include "service/access_tokens.h"
#include "testing/fake_clock.h"

namespace gatehouse {
namespace {

constexpr char kIssuer[] = "https://api.example.com";
constexpr char kAudience[] = "gatehouse";
constexpr char kHmacSecret[] = "0123456789abcdef0123456789abcdef";  // 32 B

// Ids of the shape production uses (UUIDs), so the claims have their real
// size.
constexpr char kUserId[] = "66add4f3-734b-4e0d-8f1a-760e8eeb5c36";
constexpr char kSessionId[] = "1ed4285d-20e2-4606-abcd-453208457e64";

enum class Alg { kEdDSA, kHS256 };

// One AccessTokens with a single key of `alg`, as a deployment has it.
struct Fixture {
  explicit Fixture(Alg alg)
      : tokens(
            crypto, clock, random,
            AccessTokenSettings{kIssuer, kAudience, std::chrono::minutes(15)}) {
    if (alg == Alg::kEdDSA) {
      const Ed25519KeyPair pair = crypto.GenerateEd25519();
      tokens.SetKeys(SigningKeyMaterial{"ed-1", kAlgEdDSA, pair.secret_key},
                     {VerificationKey{"ed-1", kAlgEdDSA, pair.public_key}});
    } else {
      tokens.SetKeys(SigningKeyMaterial{"hs-1", kAlgHS256, kHmacSecret},
                     {VerificationKey{"hs-1", kAlgHS256, kHmacSecret}});
    }
  }

  // Argon2 parameters play no part in token work.
  SodiumCrypto crypto{PasswordHashParams::ForTesting()};
  testkit::FakeClock clock;
  SodiumRandom random;  // the production source: jti bytes are part of Issue
  AccessTokens tokens;
};

void BM_IssueAccessToken(benchmark::State& state, Alg alg) {
  Fixture f(alg);
  for (auto _ : state) {
    Result<IssuedAccessToken> issued =
        f.tokens.Issue(kUserId, kSessionId, "user");
    if (!issued.ok()) state.SkipWithError(issued.error().message.c_str());
    benchmark::DoNotOptimize(issued);
  }
}
BENCHMARK_CAPTURE(BM_IssueAccessToken, EdDSA, Alg::kEdDSA);
BENCHMARK_CAPTURE(BM_IssueAccessToken, HS256, Alg::kHS256);

// A token seen for the first time: the signature is checked (and the token
// remembered). The tokens cycle through three times the verified-token
// cache's capacity, so none is still remembered when it comes round again.
void BM_VerifyAccessTokenFirstSight(benchmark::State& state, Alg alg) {
  Fixture f(alg);
  std::vector<std::string> tokens;
  for (size_t i = 0; i < 3 * kVerifiedTokenCacheCapacity; ++i) {
    tokens.push_back(f.tokens.Issue(kUserId, kSessionId, "user")->token);
  }
  size_t next = 0;
  for (auto _ : state) {
    Result<AccessClaims> claims = f.tokens.Verify(tokens[next]);
    if (!claims.ok()) state.SkipWithError(claims.error().message.c_str());
    benchmark::DoNotOptimize(claims);
    next = next + 1 == tokens.size() ? 0 : next + 1;
  }
}
BENCHMARK_CAPTURE(BM_VerifyAccessTokenFirstSight, EdDSA, Alg::kEdDSA);
BENCHMARK_CAPTURE(BM_VerifyAccessTokenFirstSight, HS256, Alg::kHS256);

// The same token again, as a browser presents it on every request for its
// lifetime: the remembered verification, claims checked anew.
void BM_VerifyAccessTokenSeenBefore(benchmark::State& state, Alg alg) {
  Fixture f(alg);
  const std::string token = f.tokens.Issue(kUserId, kSessionId, "user")->token;
  for (auto _ : state) {
    Result<AccessClaims> claims = f.tokens.Verify(token);
    if (!claims.ok()) state.SkipWithError(claims.error().message.c_str());
    benchmark::DoNotOptimize(claims);
  }
}
BENCHMARK_CAPTURE(BM_VerifyAccessTokenSeenBefore, EdDSA, Alg::kEdDSA);
BENCHMARK_CAPTURE(BM_VerifyAccessTokenSeenBefore, HS256, Alg::kHS256);

// A forged signature fails only at the signature check, after all the
// parsing, and is never remembered: what an attacker's junk tokens cost.
// The first character of the signature is changed: all six of its bits are
// signature bits, so the token still parses (the last character's spare
// bits must be zero).
void BM_VerifyForgedAccessToken(benchmark::State& state) {
  Fixture f(Alg::kEdDSA);
  std::string token = f.tokens.Issue(kUserId, kSessionId, "user")->token;
  char& first = token[token.rfind('.') + 1];
  first = first == 'A' ? 'B' : 'A';
  for (auto _ : state) {
    Result<AccessClaims> claims = f.tokens.Verify(token);
    if (claims.ok()) state.SkipWithError("a forged token verified");
    benchmark::DoNotOptimize(claims);
  }
}
BENCHMARK(BM_VerifyForgedAccessToken);

}  // namespace
}  // namespace gatehouse
