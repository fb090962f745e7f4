// VerifiedTokenCache alone, and behind AccessTokens::Verify: a token seen
// again skips Ed25519, and nothing else about verification changes.
#include "service/verified_token_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>

#include "crypto/sodium_crypto.h"
#include "service/access_tokens.h"
#include "testing/fake_clock.h"
#include "testing/seeded_random.h"

namespace gatehouse {
namespace {

// libsodium, counting signature verifications.
class CountingCrypto final : public Crypto {
 public:
  std::string Sha256Hex(std::string_view data) const override {
    return real_.Sha256Hex(data);
  }
  Bytes HmacSha256(std::string_view key,
                   std::string_view message) const override {
    return real_.HmacSha256(key, message);
  }
  bool ConstantTimeEquals(std::string_view a,
                          std::string_view b) const override {
    return real_.ConstantTimeEquals(a, b);
  }
  Ed25519KeyPair GenerateEd25519() const override {
    return real_.GenerateEd25519();
  }
  Bytes SignEd25519(std::string_view secret_key,
                    std::string_view message) const override {
    return real_.SignEd25519(secret_key, message);
  }
  bool VerifyEd25519(std::string_view public_key, std::string_view message,
                     std::string_view signature) const override {
    ++verifications;
    return real_.VerifyEd25519(public_key, message, signature);
  }
  Result<std::string> HashPassword(std::string_view password) const override {
    return real_.HashPassword(password);
  }
  bool VerifyPassword(std::string_view encoded_hash,
                      std::string_view password) const override {
    return real_.VerifyPassword(encoded_hash, password);
  }
  Bytes Seal(std::string_view key32,
             std::string_view plaintext) const override {
    return real_.Seal(key32, plaintext);
  }
  Result<Bytes> Open(std::string_view key32,
                     std::string_view sealed) const override {
    return real_.Open(key32, sealed);
  }

  mutable std::atomic<int> verifications{0};

 private:
  SodiumCrypto real_{PasswordHashParams::ForTesting()};
};

AccessClaims ClaimsFor(const std::string& sid) {
  AccessClaims c;
  c.sid = sid;
  return c;
}

TEST(VerifiedTokenCacheTest, FindsOnlyTheExactTokenUnderItsRing) {
  CountingCrypto crypto;
  VerifiedTokenCache cache(crypto, 8);
  cache.Insert("header.payload.sig", ClaimsFor("s1"), 3);
  ASSERT_TRUE(cache.Find("header.payload.sig", 3).has_value());
  EXPECT_EQ(cache.Find("header.payload.sig", 3)->sid, "s1");
  EXPECT_FALSE(cache.Find("header.payload.sig", 4).has_value())
      << "another key ring";
  EXPECT_FALSE(cache.Find("header.payload.siG", 3).has_value());
  EXPECT_FALSE(cache.Find("header.payload.sig2", 3).has_value());
  EXPECT_FALSE(cache.Find("", 3).has_value());
}

TEST(VerifiedTokenCacheTest, StaysWithinItsCapacityKeepingTheNewest) {
  CountingCrypto crypto;
  VerifiedTokenCache cache(crypto, 4);  // two halves of two
  for (int i = 0; i < 10; ++i) {
    cache.Insert("token-" + std::to_string(i), ClaimsFor(std::to_string(i)), 1);
    EXPECT_LE(cache.size(), 4u);
  }
  EXPECT_TRUE(cache.Find("token-9", 1).has_value());
  EXPECT_TRUE(cache.Find("token-8", 1).has_value());
  EXPECT_FALSE(cache.Find("token-0", 1).has_value());
}

class CachedVerifyTest : public ::testing::Test {
 protected:
  CachedVerifyTest() { UseKeys({key_}); }

  void UseKeys(const std::vector<Ed25519KeyPair>& verifying) {
    std::vector<VerificationKey> keys;
    for (size_t i = 0; i < verifying.size(); ++i) {
      keys.push_back(
          {"k" + std::to_string(i), kAlgEdDSA, verifying[i].public_key});
    }
    tokens_.SetKeys({"k0", kAlgEdDSA, key_.secret_key}, keys);
  }

  CountingCrypto crypto_;
  testkit::FakeClock clock_;
  testkit::SeededRandom random_;
  const Ed25519KeyPair key_ = crypto_.GenerateEd25519();
  AccessTokens tokens_{
      crypto_, clock_, random_,
      AccessTokenSettings{"https://api.example.test", "gatehouse",
                          std::chrono::minutes(15)}};
};

TEST_F(CachedVerifyTest, ATokenSeenAgainSkipsTheSignatureCheck) {
  auto token = tokens_.Issue("u", "s", "user");
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(tokens_.Verify(token->token).ok());
  EXPECT_EQ(crypto_.verifications.load(), 1);
  for (int i = 0; i < 10; ++i) {
    auto claims = tokens_.Verify(token->token);
    ASSERT_TRUE(claims.ok());
    EXPECT_EQ(claims->sid, "s");
  }
  EXPECT_EQ(crypto_.verifications.load(), 1);
}

TEST_F(CachedVerifyTest, ACachedTokenStillExpires) {
  auto token = tokens_.Issue("u", "s", "user");
  ASSERT_TRUE(tokens_.Verify(token->token).ok());
  clock_.Advance(std::chrono::minutes(15));
  auto late = tokens_.Verify(token->token);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kAccessTokenExpired);
}

TEST_F(CachedVerifyTest, AnAlteredCopyOfACachedTokenIsStillRefused) {
  auto token = tokens_.Issue("u", "s", "user");
  ASSERT_TRUE(tokens_.Verify(token->token).ok());
  std::string altered = token->token;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  auto result = tokens_.Verify(altered);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kAccessTokenInvalid);
}

TEST_F(CachedVerifyTest, ReloadingTheSameKeysKeepsWhatWasVerified) {
  auto token = tokens_.Issue("u", "s", "user");
  ASSERT_TRUE(tokens_.Verify(token->token).ok());
  UseKeys({key_});  // the 30-second reload, nothing changed
  ASSERT_TRUE(tokens_.Verify(token->token).ok());
  EXPECT_EQ(crypto_.verifications.load(), 1);
}

TEST_F(CachedVerifyTest, AKeyLeavingTheRingStopsItsCachedTokensAtOnce) {
  auto token = tokens_.Issue("u", "s", "user");
  ASSERT_TRUE(tokens_.Verify(token->token).ok());
  Ed25519KeyPair other = crypto_.GenerateEd25519();
  // Verification keys change: verified again, once, still valid.
  UseKeys({key_, other});
  ASSERT_TRUE(tokens_.Verify(token->token).ok());
  EXPECT_EQ(crypto_.verifications.load(), 2);
  // Its key leaves the ring (k0 now names another key): refused.
  tokens_.SetKeys({"k1", kAlgEdDSA, other.secret_key},
                  {{"k1", kAlgEdDSA, other.public_key}});
  auto result = tokens_.Verify(token->token);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kAccessTokenInvalid);
}

}  // namespace
}  // namespace gatehouse
