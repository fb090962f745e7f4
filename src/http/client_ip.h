// Client IP behind trusted reverse proxies.
//
// Behind nginx, Traefik or a load balancer the TCP peer is the proxy, and
// the client's address arrives in X-Forwarded-For. That header is written
// by whoever sent the request, so it is believed only as far as it was
// appended by proxies we trust (GATEHOUSE_TRUSTED_PROXIES): the per-IP
// login limit (SPEC §10) and the session's IP (F2) depend on it, and a
// client that could choose its own address could dodge the limit.
#ifndef GATEHOUSE_HTTP_CLIENT_IP_H_
#define GATEHOUSE_HTTP_CLIENT_IP_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/beast.h"

namespace gatehouse {

inline constexpr char kTrustedProxiesSetting[] = "GATEHOUSE_TRUSTED_PROXIES";
inline constexpr char kForwardedForHeader[] = "X-Forwarded-For";

// A set of IPv4 and IPv6 networks whose members are trusted to append the
// address they received a request from to X-Forwarded-For. Immutable after
// Parse, so thread-safe. Default-constructed: trusts nobody.
class TrustedProxies {
 public:
  TrustedProxies() = default;

  // Parses addresses ("10.0.0.7", "2001:db8::1") and networks in CIDR
  // notation ("10.0.0.0/8", "2001:db8::/32"); surrounding whitespace and
  // empty entries are ignored. An IPv4-mapped IPv6 entry
  // ("::ffff:10.0.0.0/104") means its IPv4 network.
  // Returns kValidationFailed naming GATEHOUSE_TRUSTED_PROXIES and the
  // entry when one is not an address or network, when a network has host
  // bits set ("10.0.0.1/8": which was meant is unclear), or when a prefix
  // length is 0: trusting every address would let any client forge its IP.
  [[nodiscard]] static Result<TrustedProxies> Parse(
      const std::vector<std::string>& entries);

  // True iff `address` lies in one of the networks. An IPv4-mapped IPv6
  // address (a dual-stack socket's view of an IPv4 peer) is compared as
  // the IPv4 address it maps.
  bool Contains(const net::ip::address& address) const;
  // As above for a textual address; false if `address` does not parse.
  bool Contains(std::string_view address) const;

  bool empty() const { return networks_.empty(); }

 private:
  struct Network {
    bool v4 = false;
    std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4
    int prefix_length = 0;
  };

  std::vector<Network> networks_;
};

// The address of the client that sent `req`, given that its TCP peer was
// `peer_ip`:
// - a peer that is not a trusted proxy is the client: X-Forwarded-For is
//   ignored, so a client cannot spoof its address;
// - else the X-Forwarded-For entries (every such header, in order, each a
//   comma-separated list) are walked from the right, skipping trusted
//   proxies, and the first untrusted address is the client; if every hop
//   is trusted, the left-most one is;
// - a malformed entry (not a bare IP address: ports, "unknown", garbage,
//   empty) stops the walk, and the last good address seen (the peer if
//   none) is used, since nothing left of it can be attributed.
// Addresses are returned normalised (as printed by Boost.Asio; IPv4-mapped
// IPv6 as IPv4) so each client has one spelling in rate limits and the
// session list; a `peer_ip` that does not parse is returned as given.
std::string ResolveClientIp(const Request& req, std::string_view peer_ip,
                            const TrustedProxies& proxies);

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_CLIENT_IP_H_
