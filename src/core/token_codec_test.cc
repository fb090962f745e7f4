#include "core/token_codec.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <utility>

#include "core/base64url.h"
#include "testing/fake_clock.h"

namespace gatehouse {
namespace {

using std::chrono::seconds;

constexpr char kIssuer[] = "https://api.example.com";
constexpr char kAudience[] = "https://api.example.com";

JwtHeader Header() { return JwtHeader{"EdDSA", "key-2026-01", kJwtType}; }

AccessClaims ClaimsAt(Time now) {
  AccessClaims c;
  c.iss = kIssuer;
  c.aud = kAudience;
  c.sub = "user-1";
  c.sid = "session-1";
  c.role = "admin";
  c.jti = "AAECAwQFBgcICQoLDA0ODw";
  c.iat = ToUnixSeconds(now);
  c.exp = ToUnixSeconds(now + std::chrono::minutes(15));
  return c;
}

// A token from raw JSON texts, to feed the parser what our encoder never
// would.
std::string RawToken(std::string_view header_json, std::string_view claims_json,
                     std::string_view signature = "signature") {
  return Base64UrlEncode(header_json) + "." + Base64UrlEncode(claims_json) +
         "." + Base64UrlEncode(signature);
}

constexpr char kGoodHeader[] = R"({"alg":"EdDSA","kid":"k1","typ":"JWT"})";

// The claim members a token must have, with well-typed values (JSON text).
constexpr std::pair<std::string_view, std::string_view> kGoodMembers[] = {
    {"iss", R"("i")"}, {"aud", R"("a")"},     {"sub", R"("s")"},
    {"sid", R"("d")"}, {"role", R"("user")"}, {"iat", "1"},
    {"exp", "2"},      {"jti", R"("j")"}};

// Claims JSON made of kGoodMembers, except that member `name` gets the
// JSON text `value` (or is left out if `value` is empty), plus `extra`
// members appended verbatim.
std::string ClaimsJson(std::string_view name = "", std::string_view value = "",
                       std::string_view extra = "") {
  std::string json = "{";
  for (const auto& [member, good_value] : kGoodMembers) {
    const bool replaced = member == name;
    if (replaced && value.empty()) continue;
    if (json.size() > 1) json += ',';
    json.append("\"").append(member).append("\":");
    json.append(replaced ? value : good_value);
  }
  if (!extra.empty()) json.append(",").append(extra);
  return json + "}";
}

std::string ClaimsWith(std::string_view name, std::string_view value) {
  return ClaimsJson(name, value);
}
std::string ClaimsWithout(std::string_view name) { return ClaimsJson(name); }
std::string ClaimsPlus(std::string_view extra) {
  return ClaimsJson("", "", extra);
}

void ExpectInvalid(std::string_view token) {
  Result<ParsedJwt> parsed = ParseJwt(token);
  ASSERT_FALSE(parsed.ok()) << token;
  EXPECT_EQ(parsed.error().code, ErrorCode::kAccessTokenInvalid) << token;
}

// Snapshot: the exact bytes gatehouse signs, under the fixed FakeClock
// start (2026-01-01T00:00:00Z). A change here changes every issued token;
// update docs/token-format.md with it. Cross-checked against Python's
// json.dumps(separators=(",", ":")) + urlsafe_b64encode without padding.
TEST(TokenCodecTest, SigningInputSnapshot) {
  const testkit::FakeClock clock;
  EXPECT_EQ(
      EncodeSigningInput(Header(), ClaimsAt(clock.Now())),
      "eyJhbGciOiJFZERTQSIsImtpZCI6ImtleS0yMDI2LTAxIiwidHlwIjoiSldUIn0."
      "eyJpc3MiOiJodHRwczovL2FwaS5leGFtcGxlLmNvbSIsImF1ZCI6Imh0dHBzOi8vYXBpLmV4"
      "YW1wbGUuY29tIiwic3ViIjoidXNlci0xIiwic2lkIjoic2Vzc2lvbi0xIiwicm9sZSI6ImFk"
      "bWluIiwiaWF0IjoxNzY3MjI1NjAwLCJleHAiOjE3NjcyMjY1MDAsImp0aSI6IkFBRUNBd1FG"
      "QmdjSUNRb0xEQTBPRHcifQ");
}

TEST(TokenCodecTest, SnapshotDecodesToTheDocumentedJson) {
  const testkit::FakeClock clock;
  const std::string input = EncodeSigningInput(Header(), ClaimsAt(clock.Now()));
  const size_t dot = input.find('.');
  EXPECT_EQ(Base64UrlDecode(input.substr(0, dot)),
            R"({"alg":"EdDSA","kid":"key-2026-01","typ":"JWT"})");
  EXPECT_EQ(
      Base64UrlDecode(input.substr(dot + 1)),
      R"({"iss":"https://api.example.com","aud":"https://api.example.com",)"
      R"("sub":"user-1","sid":"session-1","role":"admin",)"
      R"("iat":1767225600,"exp":1767226500,"jti":"AAECAwQFBgcICQoLDA0ODw"})");
}

TEST(TokenCodecTest, ParseRoundTripsWhatWasEncoded) {
  const testkit::FakeClock clock;
  const AccessClaims claims = ClaimsAt(clock.Now());
  const std::string input = EncodeSigningInput(Header(), claims);
  const std::string signature("\x00\xff sig", 6);
  Result<ParsedJwt> parsed = ParseJwt(AppendSignature(input, signature));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->header.alg, "EdDSA");
  EXPECT_EQ(parsed->header.kid, "key-2026-01");
  EXPECT_EQ(parsed->header.typ, "JWT");
  EXPECT_EQ(parsed->claims.iss, claims.iss);
  EXPECT_EQ(parsed->claims.aud, claims.aud);
  EXPECT_EQ(parsed->claims.sub, claims.sub);
  EXPECT_EQ(parsed->claims.sid, claims.sid);
  EXPECT_EQ(parsed->claims.role, claims.role);
  EXPECT_EQ(parsed->claims.jti, claims.jti);
  EXPECT_EQ(parsed->claims.iat, claims.iat);
  EXPECT_EQ(parsed->claims.exp, claims.exp);
  EXPECT_EQ(parsed->signing_input, input);
  EXPECT_EQ(parsed->signature, signature);
}

TEST(TokenCodecTest, EscapesStringsInJson) {
  AccessClaims claims = ClaimsAt(testkit::FakeClock().Now());
  claims.role = "a\"b\\c\n\xc3\xa9";
  Result<ParsedJwt> parsed =
      ParseJwt(AppendSignature(EncodeSigningInput(Header(), claims), "s"));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->claims.role, claims.role);
}

TEST(TokenCodecTest, AcceptsAbsentKidAndTypAndUnknownMembers) {
  Result<ParsedJwt> parsed =
      ParseJwt(RawToken(R"({"alg":"HS256","x5u":"ignored"})",
                        ClaimsPlus(R"("nbf":0,"extra":{"a":[1,2]})")));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->header.alg, "HS256");
  EXPECT_EQ(parsed->header.kid, "");
  EXPECT_EQ(parsed->header.typ, "JWT");
}

TEST(TokenCodecTest, RejectsWrongSegmentStructure) {
  const std::string good = RawToken(kGoodHeader, ClaimsJson());
  ASSERT_TRUE(ParseJwt(good).ok());
  const size_t dot1 = good.find('.');
  const size_t dot2 = good.find('.', dot1 + 1);
  ExpectInvalid("");
  ExpectInvalid(".");
  ExpectInvalid("..");
  ExpectInvalid(good.substr(0, dot1));
  ExpectInvalid(good.substr(0, dot2));      // no signature segment
  ExpectInvalid(good.substr(0, dot2 + 1));  // empty signature segment
  ExpectInvalid(good + ".extra");
  ExpectInvalid(good.substr(dot1));  // empty header segment
  ExpectInvalid(good.substr(0, dot1) + good.substr(dot2));  // empty claims
  ExpectInvalid(good + "=");                                // padding
  ExpectInvalid(" " + good);
  ExpectInvalid(good.substr(0, dot2 + 1) + "c2lnbmF0dXJl+");  // bad base64
}

TEST(TokenCodecTest, RejectsUnsignedAlgNone) {
  const std::string header = Base64UrlEncode(R"({"alg":"none","typ":"JWT"})");
  const std::string claims = Base64UrlEncode(ClaimsJson());
  ExpectInvalid(header + "." + claims + ".");
  ExpectInvalid(header + "." + claims);
}

TEST(TokenCodecTest, EnforcesSizeBound) {
  // Grow the jti until the token is exactly at the bound (the signature
  // length adjusts the remainder base64 leaves).
  std::string at_bound;
  for (size_t jti = 5900; jti < 6200 && at_bound.empty(); ++jti) {
    for (size_t sig = 1; sig <= 3; ++sig) {
      const std::string token = RawToken(
          kGoodHeader, ClaimsWith("jti", '"' + std::string(jti, 'j') + '"'),
          std::string(sig, 's'));
      if (token.size() == kMaxJwtBytes) at_bound = token;
    }
  }
  ASSERT_EQ(at_bound.size(), kMaxJwtBytes);
  EXPECT_TRUE(ParseJwt(at_bound).ok());
  ExpectInvalid(at_bound + "A");
  ExpectInvalid(std::string(kMaxJwtBytes * 4, 'A'));
}

TEST(TokenCodecTest, RejectsMalformedHeaders) {
  ExpectInvalid(RawToken("not json", ClaimsJson()));
  ExpectInvalid(RawToken("[]", ClaimsJson()));
  ExpectInvalid(RawToken(R"("EdDSA")", ClaimsJson()));
  ExpectInvalid(RawToken("{}", ClaimsJson()));
  ExpectInvalid(RawToken(R"({"alg":""})", ClaimsJson()));
  ExpectInvalid(RawToken(R"({"alg":null})", ClaimsJson()));
  ExpectInvalid(RawToken(R"({"alg":["EdDSA"]})", ClaimsJson()));
  ExpectInvalid(RawToken(R"({"alg":"EdDSA","kid":7})", ClaimsJson()));
  ExpectInvalid(RawToken(R"({"alg":"EdDSA","typ":"at+jwt"})", ClaimsJson()));
  ExpectInvalid(RawToken(R"({"alg":"EdDSA","typ":1})", ClaimsJson()));
  ExpectInvalid(RawToken(R"({"alg":"EdDSA","crit":["exp"]})", ClaimsJson()));
  ExpectInvalid(RawToken(R"({"alg":"EdDSA"} x)", ClaimsJson()));
  ExpectInvalid(RawToken(R"({"alg":"EdDSA",})", ClaimsJson()));
  ExpectInvalid(RawToken(R"({"alg":"EdDSA"/**/})", ClaimsJson()));
  ExpectInvalid(RawToken(R"({"alg":"none","alg":"EdDSA"})", ClaimsJson()));
}

TEST(TokenCodecTest, RejectsMissingClaims) {
  ASSERT_TRUE(ParseJwt(RawToken(kGoodHeader, ClaimsJson())).ok());
  for (const auto& [name, value] : kGoodMembers) {
    ExpectInvalid(RawToken(kGoodHeader, ClaimsWithout(name)));
  }
}

TEST(TokenCodecTest, RejectsMistypedClaims) {
  // NumericDates must be JSON integers that fit int64.
  for (const char* exp : {R"("2")", "2.5", "2.0", "2e9", "18446744073709551615",
                          "true", "null", "[2]"}) {
    ExpectInvalid(RawToken(kGoodHeader, ClaimsWith("exp", exp)));
  }
  ExpectInvalid(RawToken(kGoodHeader, ClaimsWith("iat", R"("1")")));
  // String claims must be strings; an "aud" array is valid RFC 7519 but not
  // what gatehouse issues.
  ExpectInvalid(RawToken(kGoodHeader, ClaimsWith("aud", R"(["a"])")));
  ExpectInvalid(RawToken(kGoodHeader, ClaimsWith("sub", "42")));
  ExpectInvalid(RawToken(kGoodHeader, ClaimsWith("role", R"({"r":1})")));
  ExpectInvalid(RawToken(kGoodHeader, ClaimsWith("jti", "null")));
  ExpectInvalid(RawToken(kGoodHeader, "[1,2]"));
  ExpectInvalid(RawToken(kGoodHeader, ""));
}

TEST(TokenCodecTest, AcceptsIntegerExtremes) {
  Result<ParsedJwt> parsed =
      ParseJwt(RawToken(kGoodHeader, ClaimsWith("exp", "9223372036854775807")));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->claims.exp, INT64_MAX);
  parsed = ParseJwt(RawToken(kGoodHeader, ClaimsWith("iat", "-1")));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->claims.iat, -1);
}

TEST(TokenCodecTest, RejectsDuplicateMembersAtAnyDepth) {
  // The classic parser differential: one reader sees "user", another
  // "admin".
  ExpectInvalid(RawToken(kGoodHeader, ClaimsPlus(R"("role":"admin")")));
  ExpectInvalid(RawToken(kGoodHeader, ClaimsPlus(R"("x":{"k":1,"k":2})")));
  // The same name in different objects is fine.
  EXPECT_TRUE(ParseJwt(RawToken(kGoodHeader,
                                ClaimsPlus(R"("x":{"iss":1},"y":{"iss":2})")))
                  .ok());
}

TEST(TokenCodecTest, RejectsInvalidUtf8) {
  ExpectInvalid(RawToken(kGoodHeader, ClaimsWith("sub", "\"\xff\"")));
}

// Robustness: random single-byte mutations of a valid token must never
// crash the parser (run under ASan/UBSan) and must either parse or be
// kAccessTokenInvalid. A stand-in until the fuzz target exists.
TEST(TokenCodecTest, SurvivesRandomMutations) {
  const std::string good = AppendSignature(
      EncodeSigningInput(Header(), ClaimsAt(testkit::FakeClock().Now())),
      std::string(64, 's'));
  std::mt19937 engine(1);
  for (int round = 0; round < 3000; ++round) {
    std::string token = good;
    const int edits = 1 + static_cast<int>(engine() % 3);
    for (int e = 0; e < edits; ++e) {
      token[engine() % token.size()] = static_cast<char>(engine() % 256);
    }
    Result<ParsedJwt> parsed = ParseJwt(token);
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.error().code, ErrorCode::kAccessTokenInvalid);
    }
  }
}

class CheckClaimsTest : public ::testing::Test {
 protected:
  testkit::FakeClock clock_;
  AccessClaims claims_ = ClaimsAt(clock_.Now());
};

TEST_F(CheckClaimsTest, AcceptsValidClaims) {
  EXPECT_TRUE(CheckClaims(claims_, clock_.Now(), kIssuer, kAudience).ok());
}

TEST_F(CheckClaimsTest, ExpiresAtExp) {
  clock_.Set(FromUnixMillis(claims_.exp * 1000 - 1));
  EXPECT_TRUE(CheckClaims(claims_, clock_.Now(), kIssuer, kAudience).ok());
  clock_.Advance(Duration(1));
  Status at_exp = CheckClaims(claims_, clock_.Now(), kIssuer, kAudience);
  ASSERT_FALSE(at_exp.ok());
  EXPECT_EQ(at_exp.error().code, ErrorCode::kAccessTokenExpired);
  clock_.Advance(seconds(3600));
  Status later = CheckClaims(claims_, clock_.Now(), kIssuer, kAudience);
  ASSERT_FALSE(later.ok());
  EXPECT_EQ(later.error().code, ErrorCode::kAccessTokenExpired);
}

TEST_F(CheckClaimsTest, RejectsWrongIssuerAndAudience) {
  Status iss =
      CheckClaims(claims_, clock_.Now(), "https://evil.example", kAudience);
  ASSERT_FALSE(iss.ok());
  EXPECT_EQ(iss.error().code, ErrorCode::kAccessTokenInvalid);
  Status aud =
      CheckClaims(claims_, clock_.Now(), kIssuer, "https://other.example");
  ASSERT_FALSE(aud.ok());
  EXPECT_EQ(aud.error().code, ErrorCode::kAccessTokenInvalid);
}

TEST_F(CheckClaimsTest, RejectsMissingSubjectOrSession) {
  AccessClaims no_sub = claims_;
  no_sub.sub.clear();
  Status s = CheckClaims(no_sub, clock_.Now(), kIssuer, kAudience);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kAccessTokenInvalid);
  AccessClaims no_sid = claims_;
  no_sid.sid.clear();
  Status d = CheckClaims(no_sid, clock_.Now(), kIssuer, kAudience);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kAccessTokenInvalid);
}

TEST_F(CheckClaimsTest, InvalidWinsOverExpired) {
  clock_.Advance(std::chrono::hours(1));
  Status s = CheckClaims(claims_, clock_.Now(), kIssuer, "https://other");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kAccessTokenInvalid);
}

TEST_F(CheckClaimsTest, HugeExpDoesNotOverflow) {
  claims_.exp = INT64_MAX;
  EXPECT_TRUE(CheckClaims(claims_, clock_.Now(), kIssuer, kAudience).ok());
  claims_.exp = INT64_MIN;
  EXPECT_FALSE(CheckClaims(claims_, clock_.Now(), kIssuer, kAudience).ok());
}

}  // namespace
}  // namespace gatehouse
