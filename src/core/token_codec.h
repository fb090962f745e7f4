// The access-token JWT format: encoding a signing input, and parsing and
// checking a presented token. The format is specified in
// docs/token-format.md (../../docs/token-format.md from here); change both
// together.
//
// Pure: no crypto, no clock, no I/O. Signing and signature verification
// live in service/access_tokens.h, which uses this codec on both sides.
// Parsing is strict and total: any input, however malformed, yields either
// a ParsedJwt or kAccessTokenInvalid, never an exception.
#ifndef GATEHOUSE_CORE_TOKEN_CODEC_H_
#define GATEHOUSE_CORE_TOKEN_CODEC_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace gatehouse {

// Longest token ParseJwt looks at. gatehouse's own tokens are about 400
// bytes; 8 KiB matches the usual per-header limit of proxies (nginx
// large_client_header_buffers) and bounds the work an attacker can make the
// JSON parser do per request.
inline constexpr size_t kMaxJwtBytes = 8 * 1024;

inline constexpr char kJwtType[] = "JWT";

// The claims of a gatehouse access token (SPEC §4). Times are Unix seconds
// (RFC 7519 NumericDate, integers only).
struct AccessClaims {
  std::string iss, aud, sub, sid, role, jti;
  int64_t iat = 0, exp = 0;
};

struct JwtHeader {
  std::string alg, kid, typ = kJwtType;
};

// base64url(JSON header) "." base64url(JSON claims), unpadded. The JSON is
// compact with a fixed member order (header: alg, kid, typ; claims: iss,
// aud, sub, sid, role, iat, exp, jti), so equal inputs give equal bytes.
std::string EncodeSigningInput(const JwtHeader& header,
                               const AccessClaims& claims);

// signing_input "." base64url(signature): the compact JWS.
std::string AppendSignature(std::string_view signing_input,
                            std::string_view signature);

struct ParsedJwt {
  JwtHeader header;
  AccessClaims claims;
  // The first two segments exactly as presented: the bytes the signature
  // covers.
  std::string signing_input;
  std::string signature;  // decoded, raw bytes
};

// Splits and decodes a compact JWS. Checks structure and types only; it
// does NOT verify the signature or the claims' values (see CheckClaims).
// Returns kAccessTokenInvalid unless all of these hold:
//  - at most kMaxJwtBytes; exactly three '.'-separated segments, each
//    non-empty strict base64url (an unsigned "alg":"none" token fails here);
//  - header: a JSON object with a string "alg", optional string "kid",
//    optional "typ" equal to "JWT", and no "crit" (we implement no
//    extensions, so RFC 7515 §4.1.11 requires rejecting any);
//  - claims: a JSON object in which iss, aud, sub, sid, role and jti are
//    strings and iat and exp are integers that fit int64 (no floats); all
//    eight present; other members are ignored;
//  - valid UTF-8, no duplicate member names at any depth (RFC 7519 §4
//    allows rejecting them; it removes any parser-differential doubt).
[[nodiscard]] Result<ParsedJwt> ParseJwt(std::string_view token);

// Checks the claims' values at `now`. Returns kAccessTokenInvalid if iss or
// aud differ from `issuer` / `audience` or sub or sid is empty, else
// kAccessTokenExpired if exp <= now (in whole seconds), else OK. Invalid
// wins over expired: "expired" tells the client a refresh will help.
// iat is not checked: instances' clocks may differ slightly, and the
// signature already proves gatehouse issued the token.
[[nodiscard]] Status CheckClaims(const AccessClaims& claims, Time now,
                                 std::string_view issuer,
                                 std::string_view audience);

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_TOKEN_CODEC_H_
