#include "http/client_ip.h"

#include <algorithm>
#include <charconv>
#include <optional>

namespace gatehouse {
namespace {

constexpr int kV4Bits = 32;
constexpr int kV6Bits = 128;
// ::ffff:a.b.c.d holds the IPv4 address in its last 32 of 128 bits.
constexpr int kV4MappedPrefix = kV6Bits - kV4Bits;

std::string_view Trim(std::string_view s) {
  size_t begin = s.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(" \t");
  return s.substr(begin, end - begin + 1);
}

// IPv4-mapped IPv6 becomes the IPv4 address it maps: a dual-stack socket
// reports IPv4 peers that way, and each client should have one spelling.
net::ip::address Canonical(const net::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
  }
  return address;
}

enum class Zone { kAllowed, kRefused };

// A bare IPv4 or IPv6 address, canonical; nullopt for anything else. The
// kernel names link-local peers with a zone ("fe80::1%eth0"); in a header
// a zone means nothing off the sender's host, and resolving one would
// cost a system call per entry, so there it is refused.
std::optional<net::ip::address> ParseAddress(std::string_view text, Zone zone) {
  if (text.empty() ||
      (zone == Zone::kRefused && text.find('%') != std::string_view::npos)) {
    return std::nullopt;
  }
  beast::error_code ec;
  net::ip::address address = net::ip::make_address(text, ec);
  if (ec) return std::nullopt;
  return Canonical(address);
}

// The 16 bytes an address is compared by: IPv4 in the first 4, or as
// ::ffff:a.b.c.d when `as_v6`.
std::array<uint8_t, 16> BytesOf(const net::ip::address& address, bool as_v6) {
  std::array<uint8_t, 16> bytes{};
  if (address.is_v4()) {
    auto v4 = address.to_v4().to_bytes();
    if (!as_v6) {
      std::copy(v4.begin(), v4.end(), bytes.begin());
    } else {
      bytes[10] = 0xff;
      bytes[11] = 0xff;
      std::copy(v4.begin(), v4.end(), bytes.begin() + 12);
    }
  } else {
    auto v6 = address.to_v6().to_bytes();
    std::copy(v6.begin(), v6.end(), bytes.begin());
  }
  return bytes;
}

// True iff the first `bits` bits of `a` and `b` are equal.
bool PrefixEquals(const std::array<uint8_t, 16>& a,
                  const std::array<uint8_t, 16>& b, int bits) {
  int whole = bits / 8;
  for (int i = 0; i < whole; ++i) {
    if (a[i] != b[i]) return false;
  }
  int rest = bits % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

// True iff some bit after the first `bits` is set.
bool HasHostBits(const std::array<uint8_t, 16>& bytes, int bits) {
  std::array<uint8_t, 16> zero{};
  for (int i = 0; i < 16; ++i) {
    if (i * 8 + 8 <= bits) zero[i] = bytes[i];
  }
  int whole = bits / 8;
  if (bits % 8 != 0) {
    zero[whole] = bytes[whole] & static_cast<uint8_t>(0xff << (8 - bits % 8));
  }
  return zero != bytes;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::Parse(
    const std::vector<std::string>& entries) {
  TrustedProxies proxies;
  for (const std::string& raw : entries) {
    std::string_view entry = Trim(raw);
    if (entry.empty()) continue;
    auto fail = [&](std::string_view why) {
      return MakeError(ErrorCode::kValidationFailed,
                       std::string(kTrustedProxiesSetting) + ": '" +
                           std::string(entry) + "' " + std::string(why));
    };

    size_t slash = entry.find('/');
    std::string_view address_text = entry.substr(0, slash);
    beast::error_code ec;
    net::ip::address address = net::ip::make_address(address_text, ec);
    if (ec) return fail("is not an IP address or CIDR network");
    int max_bits = address.is_v4() ? kV4Bits : kV6Bits;
    int prefix = max_bits;
    if (slash != std::string_view::npos) {
      std::string_view digits = entry.substr(slash + 1);
      auto [ptr, parse_ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
      if (digits.empty() || parse_ec != std::errc() ||
          ptr != digits.data() + digits.size() || prefix < 0 ||
          prefix > max_bits) {
        return fail("has a bad prefix length (IPv4: 1-32, IPv6: 1-128)");
      }
    }
    if (prefix == 0) {
      return fail(
          "trusts every address, so any client could forge "
          "X-Forwarded-For; list your proxies' addresses instead");
    }
    if (address.is_v6() && address.to_v6().is_v4_mapped() &&
        prefix >= kV4MappedPrefix) {
      address = Canonical(address);
      prefix -= kV4MappedPrefix;
      if (prefix == 0) {
        return fail(
            "trusts every IPv4 address, so any client could forge "
            "X-Forwarded-For; list your proxies' addresses instead");
      }
    }

    Network network;
    network.v4 = address.is_v4();
    network.bytes = BytesOf(address, /*as_v6=*/false);
    network.prefix_length = prefix;
    if (HasHostBits(network.bytes, prefix)) {
      return fail(
          "has host bits set after the prefix; write the network "
          "address (e.g. 10.0.0.0/8)");
    }
    proxies.networks_.push_back(network);
  }
  return proxies;
}

bool TrustedProxies::Contains(const net::ip::address& address) const {
  net::ip::address canonical = Canonical(address);
  bool v4 = canonical.is_v4();
  // An IPv4 address also matches IPv6 networks through its mapped form.
  std::array<uint8_t, 16> native = BytesOf(canonical, /*as_v6=*/false);
  std::array<uint8_t, 16> mapped =
      v4 ? BytesOf(canonical, /*as_v6=*/true) : native;
  for (const Network& network : networks_) {
    if (network.v4 && !v4) continue;
    const auto& bytes = network.v4 ? native : mapped;
    if (PrefixEquals(network.bytes, bytes, network.prefix_length)) return true;
  }
  return false;
}

bool TrustedProxies::Contains(std::string_view address) const {
  std::optional<net::ip::address> parsed =
      ParseAddress(Trim(address), Zone::kAllowed);
  return parsed && Contains(*parsed);
}

std::string ResolveClientIp(const Request& req, std::string_view peer_ip,
                            const TrustedProxies& proxies) {
  std::optional<net::ip::address> peer = ParseAddress(peer_ip, Zone::kAllowed);
  if (!peer) return std::string(peer_ip);
  if (!proxies.Contains(*peer)) return peer->to_string();

  // Later headers were appended later (nearer to us), so the walk starts
  // at the end of the last one.
  std::vector<std::string_view> values;
  auto [first, last] = req.equal_range(kForwardedForHeader);
  for (auto it = first; it != last; ++it) values.push_back(it->value());

  net::ip::address last_good = *peer;
  for (auto value = values.rbegin(); value != values.rend(); ++value) {
    std::string_view rest = *value;
    while (true) {
      size_t comma = rest.rfind(',');
      std::string_view entry =
          comma == std::string_view::npos ? rest : rest.substr(comma + 1);
      std::optional<net::ip::address> hop =
          ParseAddress(Trim(entry), Zone::kRefused);
      if (!hop) return last_good.to_string();
      last_good = *hop;
      if (!proxies.Contains(*hop)) return hop->to_string();
      if (comma == std::string_view::npos) break;
      rest = rest.substr(0, comma);
    }
  }
  return last_good.to_string();
}

}  // namespace gatehouse
