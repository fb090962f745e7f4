#include "core/ids.h"

#include <array>
#include <vector>

#include "core/base64url.h"

namespace gatehouse {

std::string NewUuid(Random& random) {
  std::array<uint8_t, 16> b{};
  random.Fill(b);
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0f]);
  }
  return out;
}

std::string NewOpaqueToken(Random& random, size_t bytes) {
  std::vector<uint8_t> raw(bytes);
  random.Fill(raw);
  return Base64UrlEncode(
      std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

bool LooksLikeUuid(std::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    char c = id[i];
    if (dash != (c == '-')) return false;
    if (!dash && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  }
  return true;
}

}  // namespace gatehouse
