// The fixed keys and settings the JWT fuzz target verifies with, shared
// with the tool that wrote its seed corpus (jwt_seeds.cc), so that the
// seeds are real tokens the target accepts and mutations start from
// inside the signature check rather than outside it.
#ifndef GATEHOUSE_TESTS_FUZZ_JWT_FIXTURE_H_
#define GATEHOUSE_TESTS_FUZZ_JWT_FIXTURE_H_

#include <sodium.h>

#include <cstdlib>
#include <string>

#include "crypto/sodium_crypto.h"
#include "service/access_tokens.h"
#include "testing/fake_clock.h"
#include "testing/seeded_random.h"

namespace gatehouse::fuzz {

inline constexpr char kJwtIssuer[] = "https://api.example.com";
inline constexpr char kJwtAudience[] = "gatehouse";
inline constexpr char kEdKid[] = "ed-1";
inline constexpr char kHmacKid[] = "hs-1";
inline constexpr char kHmacSecret[] =
    "fuzz-hs256-secret-0123456789abcd";  // 32 B

// An Ed25519 key pair from a fixed seed ("fuzz" and zeros): the same
// bytes on every run, so the committed seeds keep verifying.
inline Ed25519KeyPair FixedEd25519() {
  if (sodium_init() < 0) std::abort();
  unsigned char seed[crypto_sign_SEEDBYTES] = {'f', 'u', 'z', 'z'};
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, seed);
  return {Bytes(reinterpret_cast<char*>(pk), sizeof pk),
          Bytes(reinterpret_cast<char*>(sk), sizeof sk)};
}

// AccessTokens over the fixed keys, at FakeClock's fixed start
// (2026-01-01T00:00:00Z), signing with `signing_kid` (kEdKid or kHmacKid)
// and verifying with both keys.
struct JwtFixture {
  explicit JwtFixture(const std::string& signing_kid = kEdKid) {
    const Ed25519KeyPair ed = FixedEd25519();
    SigningKeyMaterial signing =
        signing_kid == kHmacKid
            ? SigningKeyMaterial{kHmacKid, kAlgHS256, kHmacSecret}
            : SigningKeyMaterial{kEdKid, kAlgEdDSA, ed.secret_key};
    tokens.SetKeys(signing,
                   {VerificationKey{kEdKid, kAlgEdDSA, ed.public_key},
                    VerificationKey{kHmacKid, kAlgHS256, kHmacSecret}});
  }

  SodiumCrypto crypto{PasswordHashParams::ForTesting()};
  testkit::FakeClock clock;
  testkit::SeededRandom random;
  AccessTokens tokens{
      crypto, clock, random,
      AccessTokenSettings{kJwtIssuer, kJwtAudience, std::chrono::minutes(15)}};
};

}  // namespace gatehouse::fuzz

#endif  // GATEHOUSE_TESTS_FUZZ_JWT_FIXTURE_H_
