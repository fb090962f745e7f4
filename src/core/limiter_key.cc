#include "core/limiter_key.h"

// inet_pton and inet_ntop: the C library's address conversions, the same
// ones Boost.Asio's make_address calls. They only convert text, so core
// may use them without touching I/O.
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace gatehouse {
namespace {

constexpr size_t kV6Bytes = 16;
// The network part of a /64: the first 8 of the 16 bytes.
constexpr size_t kV6PrefixBytes = 64 / 8;
// ::ffff:a.b.c.d: ten zero bytes, two 0xff, then the IPv4 address.
constexpr size_t kV4MappedOffset = 12;

bool IsV4Mapped(const std::array<uint8_t, kV6Bytes>& bytes) {
  return std::all_of(bytes.begin(), bytes.begin() + 10,
                     [](uint8_t b) { return b == 0; }) &&
         bytes[10] == 0xff && bytes[11] == 0xff;
}

}  // namespace

std::string LimiterKey(std::string_view ip) {
  size_t percent = ip.find('%');
  // inet_pton reads a terminated string.
  std::string address(ip.substr(0, percent));
  std::string_view zone =
      percent == std::string_view::npos ? "" : ip.substr(percent);

  char text[INET6_ADDRSTRLEN] = {};
  std::array<uint8_t, 4> v4{};
  if (zone.empty() && inet_pton(AF_INET, address.c_str(), v4.data()) == 1) {
    inet_ntop(AF_INET, v4.data(), text, sizeof text);
    return text;
  }
  std::array<uint8_t, kV6Bytes> v6{};
  if (inet_pton(AF_INET6, address.c_str(), v6.data()) != 1) {
    return std::string(ip);
  }
  if (IsV4Mapped(v6) && zone.empty()) {
    inet_ntop(AF_INET, v6.data() + kV4MappedOffset, text, sizeof text);
    return text;
  }
  std::fill(v6.begin() + kV6PrefixBytes, v6.end(), 0);
  inet_ntop(AF_INET6, v6.data(), text, sizeof text);
  return std::string(text) + "/64" + std::string(zone);
}

}  // namespace gatehouse
