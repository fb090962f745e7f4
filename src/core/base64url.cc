#include "core/base64url.h"

#include <array>
#include <cstdint>

namespace gatehouse {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr int8_t kInvalid = -1;

// Reverse lookup table built at compile time from kAlphabet, so the two can
// never disagree.
constexpr std::array<int8_t, 256> MakeDecodeTable() {
  std::array<int8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (int i = 0; i < 64; ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}

constexpr std::array<int8_t, 256> kDecodeTable = MakeDecodeTable();

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  const auto byte_at = [bytes](size_t k) {
    return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k]));
  };
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t group =
        byte_at(i) << 16 | byte_at(i + 1) << 8 | byte_at(i + 2);
    for (int shift = 18; shift >= 0; shift -= 6) {
      out.push_back(kAlphabet[(group >> shift) & 0x3F]);
    }
  }
  // A trailing group of n bytes (1 or 2) needs n + 1 characters; the unused
  // low bits of its last character stay zero.
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t group = byte_at(i) << 16;
    if (rest == 2) group |= byte_at(i + 1) << 8;
    for (size_t c = 0; c <= rest; ++c) {
      out.push_back(kAlphabet[(group >> (18 - 6 * c)) & 0x3F]);
    }
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  // A trailing group of one character carries only 6 bits: no byte string
  // encodes to it.
  if (text.size() % 4 == 1) return std::nullopt;

  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  uint32_t group = 0;  // up to 24 bits, most recent character lowest
  int chars_in_group = 0;
  for (const char c : text) {
    const int8_t value = kDecodeTable[static_cast<unsigned char>(c)];
    if (value == kInvalid) return std::nullopt;  // includes '=' and '+', '/'
    group = (group << 6) | static_cast<uint32_t>(value);
    if (++chars_in_group == 4) {
      out.push_back(static_cast<char>((group >> 16) & 0xFF));
      out.push_back(static_cast<char>((group >> 8) & 0xFF));
      out.push_back(static_cast<char>(group & 0xFF));
      group = 0;
      chars_in_group = 0;
    }
  }
  if (chars_in_group == 2) {
    // 12 bits: one byte plus 4 unused bits, which must be zero.
    if ((group & 0x0F) != 0) return std::nullopt;
    out.push_back(static_cast<char>((group >> 4) & 0xFF));
  } else if (chars_in_group == 3) {
    // 18 bits: two bytes plus 2 unused bits, which must be zero.
    if ((group & 0x03) != 0) return std::nullopt;
    out.push_back(static_cast<char>((group >> 10) & 0xFF));
    out.push_back(static_cast<char>((group >> 2) & 0xFF));
  }
  return out;
}

}  // namespace gatehouse
