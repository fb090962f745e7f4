// base64url (RFC 4648 §5) without padding, as JWTs (RFC 7515 §2) and the
// opaque refresh tokens use it.
//
// Decoding is strict so that every byte string has exactly one accepted
// text form: padding, characters outside the URL-safe alphabet, lengths no
// encoder produces (4n+1) and non-zero unused trailing bits are rejected.
// Without the last rule "AB" and "AC" would decode to the same byte, and a
// signed token could be altered without touching its signature bytes.
#ifndef GATEHOUSE_CORE_BASE64URL_H_
#define GATEHOUSE_CORE_BASE64URL_H_

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse {

// Encodes `bytes` (binary-safe) as unpadded base64url: 4 characters per 3
// bytes, 2 or 3 for a trailing group of 1 or 2 bytes. Never fails.
std::string Base64UrlEncode(std::string_view bytes);

// Decodes unpadded base64url text. Returns std::nullopt on any deviation
// from what Base64UrlEncode produces (see the file comment); the empty
// string decodes to the empty string.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_BASE64URL_H_
