// The access-token JWT (core/token_codec.h ParseJwt, CheckClaims) and its
// verification with a fixed key ring (service/access_tokens.h Verify):
// what a client presents in the access cookie or a Bearer header.
//
// Invariants: a token ParseJwt accepts is at most kMaxJwtBytes and is
// exactly its signing input plus its signature re-encoded (strict
// base64url leaves one spelling); re-encoding its header and claims gives
// a token that parses to the same values; a token Verify accepts parses,
// under a kid of the ring with that key's alg, to the claims returned,
// which pass CheckClaims; asking again (the verified-token cache) gives
// the same answer.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/token_codec.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/jwt_fixture.h"

namespace gatehouse {
namespace {

bool SameClaims(const AccessClaims& a, const AccessClaims& b) {
  return a.iss == b.iss && a.aud == b.aud && a.sub == b.sub && a.sid == b.sid &&
         a.role == b.role && a.jti == b.jti && a.iat == b.iat && a.exp == b.exp;
}

bool SameHeader(const JwtHeader& a, const JwtHeader& b) {
  return a.alg == b.alg && a.kid == b.kid && a.typ == b.typ;
}

void CheckParsed(std::string_view token, const ParsedJwt& jwt) {
  FUZZ_CHECK(token.size() <= kMaxJwtBytes, "size limit");
  FUZZ_CHECK(AppendSignature(jwt.signing_input, jwt.signature) == token,
             "a token is its signing input and signature, re-encoded");
  const std::string again = AppendSignature(
      EncodeSigningInput(jwt.header, jwt.claims), jwt.signature);
  // Re-encoding may add "kid" and "typ" the token left out.
  if (again.size() > kMaxJwtBytes) return;
  Result<ParsedJwt> reparsed = ParseJwt(again);
  FUZZ_CHECK(reparsed.ok(), "a re-encoded token parses");
  FUZZ_CHECK(SameHeader(reparsed->header, jwt.header) &&
                 SameClaims(reparsed->claims, jwt.claims) &&
                 reparsed->signature == jwt.signature,
             "a re-encoded token parses to the same values");
}

}  // namespace
}  // namespace gatehouse

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gatehouse;
  static fuzz::JwtFixture* fixture = new fuzz::JwtFixture();
  const std::string_view token = fuzz::AsText(data, size);
  const Time now = fixture->clock.Now();

  Result<ParsedJwt> parsed = ParseJwt(token);
  if (parsed.ok()) {
    CheckParsed(token, *parsed);
    (void)CheckClaims(parsed->claims, now, fuzz::kJwtIssuer,
                      fuzz::kJwtAudience);
  } else {
    FUZZ_CHECK(parsed.error().code == ErrorCode::kAccessTokenInvalid,
               "a malformed token is kAccessTokenInvalid");
  }

  Result<AccessClaims> verified = fixture->tokens.Verify(token);
  if (verified.ok()) {
    FUZZ_CHECK(parsed.ok(), "a verified token parses");
    const JwtHeader& header = parsed->header;
    FUZZ_CHECK((header.kid == fuzz::kEdKid && header.alg == kAlgEdDSA) ||
                   (header.kid == fuzz::kHmacKid && header.alg == kAlgHS256),
               "verified under a kid of the ring, with that key's alg");
    FUZZ_CHECK(SameClaims(*verified, parsed->claims),
               "Verify returns the token's claims");
    FUZZ_CHECK(
        CheckClaims(*verified, now, fuzz::kJwtIssuer, fuzz::kJwtAudience).ok(),
        "verified claims pass CheckClaims");
  } else {
    const ErrorCode code = verified.error().code;
    FUZZ_CHECK(code == ErrorCode::kAccessTokenInvalid ||
                   code == ErrorCode::kAccessTokenExpired,
               "Verify fails as invalid or expired only");
  }
  Result<AccessClaims> again = fixture->tokens.Verify(token);
  FUZZ_CHECK(again.ok() == verified.ok() &&
                 (again.ok() || again.error().code == verified.error().code),
             "a second Verify (cached) answers the same");
  return 0;
}
