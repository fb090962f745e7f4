#include "service/access_tokens.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/base64url.h"
#include "core/token_codec.h"
#include "crypto/sodium_crypto.h"
#include "testing/fake_clock.h"
#include "testing/seeded_random.h"

namespace gatehouse {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr char kIssuer[] = "https://api.example.com";
constexpr char kAudience[] = "https://api.example.com";
constexpr char kHmacSecret[] = "0123456789abcdef0123456789abcdef";  // 32 B

class AccessTokensTest : public ::testing::Test {
 protected:
  AccessTokenSettings Settings(std::string issuer = kIssuer,
                               std::string audience = kAudience) const {
    return AccessTokenSettings{std::move(issuer), std::move(audience),
                               minutes(15)};
  }

  // The ring a single-EdDSA-key deployment has.
  void UseEdKey(AccessTokens& tokens, const std::string& kid,
                const Ed25519KeyPair& pair) const {
    tokens.SetKeys(SigningKeyMaterial{kid, kAlgEdDSA, pair.secret_key},
                   {VerificationKey{kid, kAlgEdDSA, pair.public_key}});
  }

  // Re-signs `claims` as `header` with an arbitrary signature: what a
  // forger can build without our keys.
  static std::string Forge(const JwtHeader& header, const AccessClaims& claims,
                           std::string_view signature) {
    return AppendSignature(EncodeSigningInput(header, claims), signature);
  }

  ParsedJwt MustParse(std::string_view token) const {
    Result<ParsedJwt> parsed = ParseJwt(token);
    EXPECT_TRUE(parsed.ok());
    return parsed.ok() ? *parsed : ParsedJwt{};
  }

  static void ExpectCode(const Result<AccessClaims>& result, ErrorCode code) {
    ASSERT_FALSE(result.ok()) << "token was accepted";
    EXPECT_EQ(result.error().code, code) << result.error().message;
  }

  SodiumCrypto crypto_{PasswordHashParams::ForTesting()};
  testkit::FakeClock clock_;
  testkit::SeededRandom random_;
  const Ed25519KeyPair ed_ = crypto_.GenerateEd25519();
  AccessTokens tokens_{crypto_, clock_, random_, Settings()};
};

TEST_F(AccessTokensTest, EdDSARoundTrip) {
  UseEdKey(tokens_, "ed-1", ed_);
  Result<IssuedAccessToken> issued =
      tokens_.Issue("user-1", "session-1", "user");
  ASSERT_TRUE(issued.ok()) << issued.error().message;

  const ParsedJwt jwt = MustParse(issued->token);
  EXPECT_EQ(jwt.header.alg, "EdDSA");
  EXPECT_EQ(jwt.header.kid, "ed-1");
  EXPECT_EQ(jwt.header.typ, "JWT");
  EXPECT_EQ(jwt.signature.size(), 64u);

  Result<AccessClaims> claims = tokens_.Verify(issued->token);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims->iss, kIssuer);
  EXPECT_EQ(claims->aud, kAudience);
  EXPECT_EQ(claims->sub, "user-1");
  EXPECT_EQ(claims->sid, "session-1");
  EXPECT_EQ(claims->role, "user");
  EXPECT_EQ(claims->jti, issued->jti);
  EXPECT_EQ(claims->iat, ToUnixSeconds(clock_.Now()));
  EXPECT_EQ(claims->exp, ToUnixSeconds(clock_.Now() + minutes(15)));
  EXPECT_EQ(issued->expires_at, clock_.Now() + minutes(15));
}

TEST_F(AccessTokensTest, HS256RoundTrip) {
  tokens_.SetKeys(SigningKeyMaterial{"hs-1", kAlgHS256, kHmacSecret},
                  {VerificationKey{"hs-1", kAlgHS256, kHmacSecret}});
  Result<IssuedAccessToken> issued =
      tokens_.Issue("user-1", "session-1", "admin");
  ASSERT_TRUE(issued.ok()) << issued.error().message;
  const ParsedJwt jwt = MustParse(issued->token);
  EXPECT_EQ(jwt.header.alg, "HS256");
  EXPECT_EQ(jwt.signature, crypto_.HmacSha256(kHmacSecret, jwt.signing_input));

  Result<AccessClaims> claims = tokens_.Verify(issued->token);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims->role, "admin");
}

// The whole token under the fixed clock, seeded random and a fixed secret:
// any change to the wire format shows up here. Cross-checked with Python's
// hmac/hashlib over the same signing input.
TEST_F(AccessTokensTest, HS256TokenSnapshot) {
  tokens_.SetKeys(SigningKeyMaterial{"hs-1", kAlgHS256, kHmacSecret},
                  {VerificationKey{"hs-1", kAlgHS256, kHmacSecret}});
  Result<IssuedAccessToken> issued =
      tokens_.Issue("user-1", "session-1", "user");
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(issued->token,
            "eyJhbGciOiJIUzI1NiIsImtpZCI6ImhzLTEiLCJ0eXAiOiJKV1QifQ."
            "eyJpc3MiOiJodHRwczovL2FwaS5leGFtcGxlLmNvbSIsImF1ZCI6Imh0dHBzOi8v"
            "YXBpLmV4YW1wbGUuY29tIiwic3ViIjoidXNlci0xIiwic2lkIjoic2Vzc2lvbi0x"
            "Iiwicm9sZSI6InVzZXIiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyNjUw"
            "MCwianRpIjoiMXFnS1RsVjhJQUMyWVV0RzJDN05LQSJ9."
            "uWa5wQ-wZqKOEw2qilIsrF46Qd2K73dji6Bdlifsun4");
  EXPECT_EQ(issued->jti, "1qgKTlV8IAC2YUtG2C7NKA");  // SeededRandom(42)
}

TEST_F(AccessTokensTest, JtiIs16RandomBytesAndUnique) {
  UseEdKey(tokens_, "ed-1", ed_);
  Result<IssuedAccessToken> a = tokens_.Issue("u", "s", "user");
  Result<IssuedAccessToken> b = tokens_.Issue("u", "s", "user");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->jti.size(), 22u);
  EXPECT_EQ(Base64UrlDecode(a->jti).value_or("").size(), 16u);
  EXPECT_NE(a->jti, b->jti);
  EXPECT_NE(a->token, b->token);
}

TEST_F(AccessTokensTest, ExpiryIsWholeSecondsFromIssue) {
  UseEdKey(tokens_, "ed-1", ed_);
  clock_.Advance(std::chrono::milliseconds(700));  // mid-second
  Result<IssuedAccessToken> issued = tokens_.Issue("u", "s", "user");
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(ToUnixMillis(issued->expires_at) % 1000, 0);
  EXPECT_LE(issued->expires_at, clock_.Now() + minutes(15));
  EXPECT_GT(issued->expires_at, clock_.Now() + minutes(15) - seconds(1));
}

TEST_F(AccessTokensTest, IssueWithoutKeysIsInternal) {
  Result<IssuedAccessToken> issued = tokens_.Issue("u", "s", "user");
  ASSERT_FALSE(issued.ok());
  EXPECT_EQ(issued.error().code, ErrorCode::kInternal);
}

TEST_F(AccessTokensTest, VerifyWithoutKeysIsInvalid) {
  UseEdKey(tokens_, "ed-1", ed_);
  Result<IssuedAccessToken> issued = tokens_.Issue("u", "s", "user");
  ASSERT_TRUE(issued.ok());
  AccessTokens empty(crypto_, clock_, random_, Settings());
  ExpectCode(empty.Verify(issued->token), ErrorCode::kAccessTokenInvalid);
}

TEST_F(AccessTokensTest, IssueRejectsUnusableInputs) {
  UseEdKey(tokens_, "ed-1", ed_);
  EXPECT_FALSE(tokens_.Issue("", "s", "user").ok());
  EXPECT_FALSE(tokens_.Issue("u", "", "user").ok());
  EXPECT_FALSE(tokens_.Issue("u", "s", "").ok());

  AccessTokens zero_ttl(crypto_, clock_, random_,
                        AccessTokenSettings{kIssuer, kAudience, Duration(0)});
  UseEdKey(zero_ttl, "ed-1", ed_);
  EXPECT_FALSE(zero_ttl.Issue("u", "s", "user").ok());
}

TEST_F(AccessTokensTest, IssueRejectsKeyMaterialThatDoesNotFitItsAlg) {
  // An Ed25519 public key where the 64-byte secret belongs.
  tokens_.SetKeys(SigningKeyMaterial{"ed-1", kAlgEdDSA, ed_.public_key}, {});
  EXPECT_EQ(tokens_.Issue("u", "s", "user").error().code, ErrorCode::kInternal);
  // An HS256 secret below RFC 7518's 256 bits.
  tokens_.SetKeys(SigningKeyMaterial{"hs-1", kAlgHS256, "short"}, {});
  EXPECT_EQ(tokens_.Issue("u", "s", "user").error().code, ErrorCode::kInternal);
  tokens_.SetKeys(SigningKeyMaterial{"x", "RS256", Bytes(64, 'k')}, {});
  EXPECT_EQ(tokens_.Issue("u", "s", "user").error().code, ErrorCode::kInternal);
}

TEST_F(AccessTokensTest, RejectsShortHmacSecretsOnVerify) {
  const std::string short_secret = "too short";
  tokens_.SetKeys(SigningKeyMaterial{"hs-1", kAlgHS256, kHmacSecret},
                  {VerificationKey{"hs-1", kAlgHS256, short_secret}});
  AccessClaims claims;
  claims.iss = kIssuer;
  claims.aud = kAudience;
  claims.sub = "u";
  claims.sid = "s";
  claims.role = "user";
  claims.jti = "j";
  claims.iat = ToUnixSeconds(clock_.Now());
  claims.exp = claims.iat + 60;
  const JwtHeader header{kAlgHS256, "hs-1", kJwtType};
  const std::string input = EncodeSigningInput(header, claims);
  ExpectCode(tokens_.Verify(AppendSignature(
                 input, crypto_.HmacSha256(short_secret, input))),
             ErrorCode::kAccessTokenInvalid);
}

// --- forgeries ---

class ForgeryTest : public AccessTokensTest {
 protected:
  void SetUp() override {
    UseEdKey(tokens_, "ed-1", ed_);
    Result<IssuedAccessToken> issued =
        tokens_.Issue("user-1", "session-1", "user");
    ASSERT_TRUE(issued.ok());
    genuine_ = issued->token;
    jwt_ = MustParse(genuine_);
    ASSERT_TRUE(tokens_.Verify(genuine_).ok());
  }

  std::string genuine_;
  ParsedJwt jwt_;
};

TEST_F(ForgeryTest, AlgNoneWithSignaturePart) {
  const JwtHeader none{"none", "ed-1", kJwtType};
  ExpectCode(tokens_.Verify(Forge(none, jwt_.claims, jwt_.signature)),
             ErrorCode::kAccessTokenInvalid);
  ExpectCode(tokens_.Verify(Forge(none, jwt_.claims, "x")),
             ErrorCode::kAccessTokenInvalid);
}

TEST_F(ForgeryTest, AlgNoneWithoutSignaturePart) {
  const JwtHeader none{"none", "ed-1", kJwtType};
  const std::string input = EncodeSigningInput(none, jwt_.claims);
  ExpectCode(tokens_.Verify(input + "."), ErrorCode::kAccessTokenInvalid);
  ExpectCode(tokens_.Verify(input), ErrorCode::kAccessTokenInvalid);
  for (const char* alg : {"None", "NONE", "nOnE"}) {
    ExpectCode(
        tokens_.Verify(
            EncodeSigningInput(JwtHeader{alg, "ed-1", kJwtType}, jwt_.claims) +
            "."),
        ErrorCode::kAccessTokenInvalid);
  }
}

// Algorithm confusion: the Ed25519 public key is public (JWKS), so a
// verifier that let the token pick HS256 would accept this MAC.
TEST_F(ForgeryTest, HS256MacedWithTheEdDSAPublicKey) {
  AccessClaims admin = jwt_.claims;
  admin.role = "admin";
  const JwtHeader confused{kAlgHS256, "ed-1", kJwtType};
  const std::string input = EncodeSigningInput(confused, admin);
  ExpectCode(tokens_.Verify(AppendSignature(
                 input, crypto_.HmacSha256(ed_.public_key, input))),
             ErrorCode::kAccessTokenInvalid);
  // Same with the public key as base64url text, as a JWKS "x" holds it.
  ExpectCode(
      tokens_.Verify(AppendSignature(
          input, crypto_.HmacSha256(Base64UrlEncode(ed_.public_key), input))),
      ErrorCode::kAccessTokenInvalid);
}

TEST_F(ForgeryTest, TamperedPayload) {
  AccessClaims admin = jwt_.claims;
  admin.role = "admin";
  ExpectCode(tokens_.Verify(Forge(jwt_.header, admin, jwt_.signature)),
             ErrorCode::kAccessTokenInvalid);
  AccessClaims other_user = jwt_.claims;
  other_user.sub = "user-2";
  ExpectCode(tokens_.Verify(Forge(jwt_.header, other_user, jwt_.signature)),
             ErrorCode::kAccessTokenInvalid);
  AccessClaims longer = jwt_.claims;
  longer.exp += 3600;
  ExpectCode(tokens_.Verify(Forge(jwt_.header, longer, jwt_.signature)),
             ErrorCode::kAccessTokenInvalid);
}

TEST_F(ForgeryTest, TamperedSignature) {
  Bytes flipped = jwt_.signature;
  flipped[10] = static_cast<char>(flipped[10] ^ 0x01);
  ExpectCode(tokens_.Verify(AppendSignature(jwt_.signing_input, flipped)),
             ErrorCode::kAccessTokenInvalid);
  ExpectCode(tokens_.Verify(AppendSignature(jwt_.signing_input,
                                            jwt_.signature.substr(0, 63))),
             ErrorCode::kAccessTokenInvalid);
  ExpectCode(
      tokens_.Verify(AppendSignature(jwt_.signing_input, jwt_.signature + "x")),
      ErrorCode::kAccessTokenInvalid);
}

TEST_F(ForgeryTest, UnknownKid) {
  // Genuinely signed by our key, but under a kid the ring does not have.
  const JwtHeader header{kAlgEdDSA, "ed-2", kJwtType};
  const std::string input = EncodeSigningInput(header, jwt_.claims);
  ExpectCode(tokens_.Verify(AppendSignature(
                 input, crypto_.SignEd25519(ed_.secret_key, input))),
             ErrorCode::kAccessTokenInvalid);
  const JwtHeader no_kid{kAlgEdDSA, "", kJwtType};
  const std::string input2 = EncodeSigningInput(no_kid, jwt_.claims);
  ExpectCode(tokens_.Verify(AppendSignature(
                 input2, crypto_.SignEd25519(ed_.secret_key, input2))),
             ErrorCode::kAccessTokenInvalid);
}

TEST_F(ForgeryTest, AnotherEd25519KeyUnderTheSameKid) {
  const Ed25519KeyPair attacker = crypto_.GenerateEd25519();
  const std::string input = EncodeSigningInput(jwt_.header, jwt_.claims);
  ExpectCode(tokens_.Verify(AppendSignature(
                 input, crypto_.SignEd25519(attacker.secret_key, input))),
             ErrorCode::kAccessTokenInvalid);
}

TEST_F(ForgeryTest, ExpiredAfterTtl) {
  clock_.Advance(minutes(15) - seconds(1));
  EXPECT_TRUE(tokens_.Verify(genuine_).ok());
  clock_.Advance(seconds(1));
  ExpectCode(tokens_.Verify(genuine_), ErrorCode::kAccessTokenExpired);
  clock_.Advance(std::chrono::hours(24));
  ExpectCode(tokens_.Verify(genuine_), ErrorCode::kAccessTokenExpired);
}

TEST_F(ForgeryTest, ExpiredWithBadSignatureIsInvalidNotExpired) {
  AccessClaims admin = jwt_.claims;
  admin.role = "admin";
  const std::string forged = Forge(jwt_.header, admin, jwt_.signature);
  clock_.Advance(std::chrono::hours(1));
  ExpectCode(tokens_.Verify(forged), ErrorCode::kAccessTokenInvalid);
}

TEST_F(ForgeryTest, WrongAudience) {
  AccessTokens other_service(crypto_, clock_, random_,
                             Settings(kIssuer, "https://other.example.com"));
  UseEdKey(other_service, "ed-1", ed_);
  ExpectCode(other_service.Verify(genuine_), ErrorCode::kAccessTokenInvalid);

  // A correctly signed token whose aud is someone else's.
  AccessClaims claims = jwt_.claims;
  claims.aud = "https://other.example.com";
  const std::string input = EncodeSigningInput(jwt_.header, claims);
  ExpectCode(tokens_.Verify(AppendSignature(
                 input, crypto_.SignEd25519(ed_.secret_key, input))),
             ErrorCode::kAccessTokenInvalid);
}

TEST_F(ForgeryTest, WrongIssuer) {
  AccessTokens other_issuer(crypto_, clock_, random_,
                            Settings("https://evil.example.com", kAudience));
  UseEdKey(other_issuer, "ed-1", ed_);
  ExpectCode(other_issuer.Verify(genuine_), ErrorCode::kAccessTokenInvalid);

  AccessClaims claims = jwt_.claims;
  claims.iss = "https://evil.example.com";
  const std::string input = EncodeSigningInput(jwt_.header, claims);
  ExpectCode(tokens_.Verify(AppendSignature(
                 input, crypto_.SignEd25519(ed_.secret_key, input))),
             ErrorCode::kAccessTokenInvalid);
}

TEST_F(ForgeryTest, EdDSATokenAgainstAnHS256KeyOfTheSameKid) {
  // The reverse pin: a ring holding an HS256 key under "ed-1" rejects an
  // EdDSA token under that kid, whatever it is signed with.
  tokens_.SetKeys(SigningKeyMaterial{"ed-1", kAlgHS256, kHmacSecret},
                  {VerificationKey{"ed-1", kAlgHS256, kHmacSecret}});
  ExpectCode(tokens_.Verify(genuine_), ErrorCode::kAccessTokenInvalid);
}

TEST_F(ForgeryTest, GarbageIsInvalid) {
  for (const std::string& token :
       {std::string(), std::string("garbage"), std::string("a.b.c"),
        genuine_ + "x", std::string(10000, 'A'), genuine_ + "." + "x"}) {
    ExpectCode(tokens_.Verify(token), ErrorCode::kAccessTokenInvalid);
  }
}

// --- key rotation ---

TEST_F(AccessTokensTest, RotationKeepsOldTokensValidUntilTheKeyIsRemoved) {
  const Ed25519KeyPair old_key = ed_;
  const Ed25519KeyPair new_key = crypto_.GenerateEd25519();
  UseEdKey(tokens_, "old", old_key);
  Result<IssuedAccessToken> old_token = tokens_.Issue("u", "s", "user");
  ASSERT_TRUE(old_token.ok());

  // Rotate: the new key signs, the old one stays for verification.
  tokens_.SetKeys(SigningKeyMaterial{"new", kAlgEdDSA, new_key.secret_key},
                  {VerificationKey{"new", kAlgEdDSA, new_key.public_key},
                   VerificationKey{"old", kAlgEdDSA, old_key.public_key}});
  Result<IssuedAccessToken> new_token = tokens_.Issue("u", "s", "user");
  ASSERT_TRUE(new_token.ok());
  EXPECT_EQ(MustParse(new_token->token).header.kid, "new");
  EXPECT_TRUE(tokens_.Verify(old_token->token).ok());
  EXPECT_TRUE(tokens_.Verify(new_token->token).ok());

  // The old key leaves the ring: its tokens stop verifying.
  tokens_.SetKeys(SigningKeyMaterial{"new", kAlgEdDSA, new_key.secret_key},
                  {VerificationKey{"new", kAlgEdDSA, new_key.public_key}});
  ExpectCode(tokens_.Verify(old_token->token), ErrorCode::kAccessTokenInvalid);
  EXPECT_TRUE(tokens_.Verify(new_token->token).ok());
}

TEST_F(AccessTokensTest, SetKeysIsSafeAgainstConcurrentVerify) {
  const Ed25519KeyPair other = crypto_.GenerateEd25519();
  UseEdKey(tokens_, "ed-1", ed_);
  Result<IssuedAccessToken> issued = tokens_.Issue("u", "s", "user");
  ASSERT_TRUE(issued.ok());
  const std::vector<VerificationKey> both = {
      VerificationKey{"ed-1", kAlgEdDSA, ed_.public_key},
      VerificationKey{"ed-2", kAlgEdDSA, other.public_key}};

  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::thread reader([&] {
    while (!stop.load()) {
      // ed-1 is in every ring the writer installs.
      if (!tokens_.Verify(issued->token).ok()) ++failures;
      if (!tokens_.Issue("u", "s", "user").ok()) ++failures;
    }
  });
  for (int i = 0; i < 500; ++i) {
    if (i % 2 == 0) {
      UseEdKey(tokens_, "ed-1", ed_);
    } else {
      tokens_.SetKeys(SigningKeyMaterial{"ed-2", kAlgEdDSA, other.secret_key},
                      both);
    }
  }
  stop = true;
  reader.join();
  EXPECT_EQ(failures.load(), 0);
}

// --- JWKS ---

TEST(RenderJwksTest, PublishesEd25519KeysOnly) {
  const Bytes public_key(32, '\x01');
  const std::string jwks =
      RenderJwks({VerificationKey{"ed-1", kAlgEdDSA, public_key},
                  VerificationKey{"hs-1", kAlgHS256, kHmacSecret},
                  VerificationKey{"bad", kAlgEdDSA, Bytes(31, '\x01')}});
  EXPECT_EQ(jwks, R"({"keys":[{"kty":"OKP","crv":"Ed25519",)"
                  R"("x":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE",)"
                  R"("kid":"ed-1","alg":"EdDSA","use":"sig"}]})");
  EXPECT_EQ(jwks.find("hs-1"), std::string::npos);
  EXPECT_EQ(jwks.find(Base64UrlEncode(kHmacSecret)), std::string::npos);
  EXPECT_EQ(jwks.find(kHmacSecret), std::string::npos);
}

TEST(RenderJwksTest, KeepsOrderAndRendersEmptyRing) {
  EXPECT_EQ(RenderJwks({}), R"({"keys":[]})");
  EXPECT_EQ(RenderJwks({VerificationKey{"hs-1", kAlgHS256, kHmacSecret}}),
            R"({"keys":[]})");
  const std::string two =
      RenderJwks({VerificationKey{"b", kAlgEdDSA, Bytes(32, 'b')},
                  VerificationKey{"a", kAlgEdDSA, Bytes(32, 'a')}});
  EXPECT_LT(two.find(R"("kid":"b")"), two.find(R"("kid":"a")"));
}

}  // namespace
}  // namespace gatehouse
