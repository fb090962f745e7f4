// Writes the seed corpus of jwt_fuzzer (corpus/jwt/) into the directory
// given as the only argument: tokens issued by AccessTokens with the fixed
// keys of jwt_fixture.h, and hand-made tokens that carry a valid HS256
// signature over JSON that ParseJwt must refuse (or accept) for its own
// reasons. Run it after changing the token format or the fixture:
//   build-fuzz/tests/fuzz/jwt_seeds tests/fuzz/corpus/jwt
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "core/base64url.h"
#include "core/token_codec.h"
#include "tests/fuzz/jwt_fixture.h"

namespace gatehouse::fuzz {
namespace {

std::string Claims(std::string_view extra = "") {
  // exp is 15 minutes after the fixture's clock; iat is that clock.
  return R"({"iss":"https://api.example.com","aud":"gatehouse","sub":"user-1",)"
         R"("sid":"session-1","role":"admin","iat":1767225600,)"
         R"("exp":1767226500,"jti":"q83vEjRWeJC6vN7xI0VniQ")" +
         std::string(extra) + "}";
}

// `header` and `claims` as written, signed with the fixture's HS256 key.
std::string SignHs256(const Crypto& crypto, std::string_view header,
                      std::string_view claims) {
  const std::string input =
      Base64UrlEncode(header) + "." + Base64UrlEncode(claims);
  return AppendSignature(input, crypto.HmacSha256(kHmacSecret, input));
}

constexpr char kHsHeader[] = R"({"alg":"HS256","kid":"hs-1","typ":"JWT"})";

}  // namespace
}  // namespace gatehouse::fuzz

int main(int argc, char** argv) {
  using namespace gatehouse;
  using namespace gatehouse::fuzz;
  if (argc != 2) {
    std::cerr << "usage: jwt_seeds <directory>\n";
    return 2;
  }
  const std::string dir = argv[1];
  auto write = [&](const std::string& name, const std::string& token) {
    std::ofstream(dir + "/" + name, std::ios::binary) << token;
  };

  JwtFixture ed;
  JwtFixture hs(kHmacKid);
  write("eddsa_issued", ed.tokens.Issue("user-1", "session-1", "admin")->token);
  write("hs256_issued", hs.tokens.Issue("user-2", "session-2", "user")->token);
  JwtFixture earlier;
  earlier.clock.Advance(-std::chrono::hours(1));
  write("eddsa_expired",
        earlier.tokens.Issue("user-1", "session-1", "user")->token);

  const Ed25519KeyPair key = FixedEd25519();
  const ParsedJwt issued =
      *ParseJwt(ed.tokens.Issue("user-1", "session-1", "admin")->token);
  const std::string unknown_kid =
      EncodeSigningInput({kAlgEdDSA, "ed-2", kJwtType}, issued.claims);
  write("unknown_kid",
        AppendSignature(unknown_kid,
                        ed.crypto.SignEd25519(key.secret_key, unknown_kid)));
  // HS256 MACed with the Ed25519 public key: algorithm confusion.
  const std::string confused =
      EncodeSigningInput({kAlgHS256, kEdKid, kJwtType}, issued.claims);
  write("alg_confusion",
        AppendSignature(confused,
                        ed.crypto.HmacSha256(key.public_key, confused)));
  write("alg_none", Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." +
                        Base64UrlEncode(Claims()) + ".");

  const Crypto& c = hs.crypto;
  write(
      "hs256_handmade_extra_members",
      SignHs256(c, "{ \"typ\" : \"JWT\", \"alg\":\"HS256\", \"kid\":\"hs-1\" }",
                Claims(R"(,"nbf":0,"x":{"y":[1,2.5,null,true]})")));
  write("duplicate_claim",
        SignHs256(c, kHsHeader, Claims(R"(,"role":"user")")));
  write(
      "crit_header",
      SignHs256(c, R"({"alg":"HS256","kid":"hs-1","crit":["exp"]})", Claims()));
  write(
      "typ_not_jwt",
      SignHs256(c, R"({"alg":"HS256","kid":"hs-1","typ":"at+jwt"})", Claims()));
  write("float_exp",
        SignHs256(c, kHsHeader,
                  R"({"iss":"https://api.example.com","aud":"gatehouse",)"
                  R"("sub":"u","sid":"s","role":"r","iat":1767225600,)"
                  R"("exp":1767226500.5,"jti":"j"})"));
  write("int64_edges",
        SignHs256(c, kHsHeader,
                  R"({"iss":"https://api.example.com","aud":"gatehouse",)"
                  R"("sub":"u","sid":"s","role":"r",)"
                  R"("iat":-9223372036854775808,)"
                  R"("exp":18446744073709551615,"jti":"j"})"));
  write("invalid_utf8_claim",
        SignHs256(c, kHsHeader, Claims(",\"name\":\"\xff\xfe\"")));
  write(
      "escaped_strings",
      SignHs256(c, kHsHeader,
                R"({"iss":"https:\/\/api.example.com","aud":"gate\u0068ouse",)"
                R"("sub":"\ud83d\ude00","sid":"s\n","role":"\u0000",)"
                R"("iat":1767225600,"exp":1767226500,"jti":"j"})"));
  write("deep_nesting", SignHs256(c, kHsHeader,
                                  Claims(",\"x\":" + std::string(64, '[') +
                                         std::string(64, ']'))));
  write("oversized",
        SignHs256(c, kHsHeader,
                  Claims(",\"pad\":\"" + std::string(8200, 'a') + "\"")));
  write("wrong_issuer",
        SignHs256(c, kHsHeader,
                  R"({"iss":"https://evil.example","aud":"gatehouse",)"
                  R"("sub":"u","sid":"s","role":"admin","iat":1767225600,)"
                  R"("exp":1767226500,"jti":"j"})"));
  write("four_segments", ed.tokens.Issue("u", "s", "r")->token + ".x");
  return 0;
}
