// base64url (core/base64url.h): strict decoding of attacker text (JWT
// segments, refresh tokens) and the encoder it must mirror.
//
// Invariants: every byte string survives encode then decode; and since
// decoding is strict (one accepted text per byte string), any text that
// decodes is exactly the encoding of what it decodes to.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/base64url.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gatehouse;
  const std::string_view input = fuzz::AsText(data, size);

  const std::string encoded = Base64UrlEncode(input);
  FUZZ_CHECK(encoded.size() == (size * 4 + 2) / 3, "unpadded length");
  FUZZ_CHECK(encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "abcdefghijklmnopqrstuvwxyz"
                                       "0123456789-_") == std::string::npos,
             "URL-safe alphabet only");
  const std::optional<std::string> round_trip = Base64UrlDecode(encoded);
  FUZZ_CHECK(round_trip.has_value(), "an encoding decodes");
  FUZZ_CHECK(*round_trip == input, "decode(encode(x)) == x");

  if (std::optional<std::string> decoded = Base64UrlDecode(input)) {
    FUZZ_CHECK(Base64UrlEncode(*decoded) == input,
               "a text that decodes is the one encoding of its bytes");
  }
  return 0;
}
