// The PostgreSQL backend's wire values and text rules (pg_values.h).
#include "storage/postgres/pg_values.h"

#include <cstddef>

namespace gatehouse::pg {
namespace {

// The binary timestamptz is microseconds since 2000-01-01T00:00:00Z.
constexpr int64_t kPgEpochUnixMicros = 946684800000000;

// Length of the well-formed UTF-8 sequence at s[i], or 0. Rejects what
// PostgreSQL rejects: NUL, overlong forms, surrogates, > U+10FFFF.
size_t Utf8SequenceAt(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) {
    return static_cast<unsigned char>(s[i + k]);
  };
  const unsigned char c = byte(0);
  if (c == 0) return 0;
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xbf;  // allowed range of the 2nd byte
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0) lo = 0xa0;  // overlong
    if (c == 0xed) hi = 0x9f;  // surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0) lo = 0x90;  // overlong
    if (c == 0xf4) hi = 0x8f;  // beyond U+10FFFF
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(1) < lo || byte(1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(k) < 0x80 || byte(k) > 0xbf) return 0;
  }
  return n;
}

}  // namespace

bool IsStorableText(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = Utf8SequenceAt(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string ToStorableText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = Utf8SequenceAt(s, i);
    if (n == 0) {
      out.append("\xef\xbf\xbd");
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

void AppendBigEndian(std::string& out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
}

int64_t ReadBigEndian(const char* p, int bytes) {
  uint64_t u = 0;
  for (int i = 0; i < bytes; ++i)
    u = (u << 8) | static_cast<unsigned char>(p[i]);
  if (bytes < 8 && (u >> (8 * bytes - 1)) != 0) {
    u |= ~uint64_t{0} << (8 * bytes);  // sign-extend
  }
  return static_cast<int64_t>(u);
}

int64_t ToPgMicros(Time t) {
  return ToUnixMillis(t) * 1000 - kPgEpochUnixMicros;
}

Time FromPgMicros(int64_t micros) {
  int64_t unix_micros = micros + kPgEpochUnixMicros;
  int64_t ms = unix_micros / 1000;
  if (unix_micros % 1000 < 0) --ms;  // floor, for times before 1970
  return FromUnixMillis(ms);
}

}  // namespace gatehouse::pg
