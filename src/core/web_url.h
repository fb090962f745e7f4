// WebUrl: the parts of an http(s) URL that browsers weigh when they store
// and send cookies: scheme, host and origin (never path or query, as
// gatehouse cookies always have Path=/).
#ifndef GATEHOUSE_CORE_WEB_URL_H_
#define GATEHOUSE_CORE_WEB_URL_H_

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse {

struct WebUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower-cased; an IPv6 address keeps its brackets
  std::string origin;  // "scheme://host[:port]", default port dropped

  bool operator==(const WebUrl&) const = default;
};

// The scheme, host and origin of an absolute http(s) URL, or nullopt if
// `url` is not one (see NormalizeOrigin in core/origin_policy.h: no
// userinfo, a non-empty host, a numeric port).
std::optional<WebUrl> ParseWebUrl(std::string_view url);

// True iff `host` is an IP address rather than a host name: bracketed or
// colon-separated (IPv6), or ending in a numeric label (IPv4, as the URL
// standard reads "127.0.0.1" or "10.1"). Cookie Domains never widen over
// IP addresses.
bool IsIpAddress(std::string_view host);

// True iff `host` is "localhost", a name under ".localhost", an IPv4
// address in 127.0.0.0/8 or "[::1]": the loopback hosts browsers treat as
// secure contexts even over http://.
bool IsLoopbackHost(std::string_view host);

// True iff a browser treats `url` as a secure context, so stores and sends
// Secure cookies for it: https, or http to a loopback host.
bool IsPotentiallyTrustworthy(const WebUrl& url);

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_WEB_URL_H_
