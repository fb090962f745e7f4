#include "core/web_url.h"

#include <algorithm>
#include <cctype>

#include "core/origin_policy.h"

namespace gatehouse {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isdigit(c) != 0;
  });
}

}  // namespace

std::optional<WebUrl> ParseWebUrl(std::string_view url) {
  auto origin = NormalizeOrigin(url);
  if (!origin) return std::nullopt;
  WebUrl out;
  out.origin = *origin;
  size_t sep = out.origin.find("://");
  out.scheme = out.origin.substr(0, sep);
  std::string_view authority = std::string_view(out.origin).substr(sep + 3);
  std::string_view port;
  if (authority.starts_with("[")) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    out.host = std::string(authority.substr(0, close + 1));
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (!rest.starts_with(":")) return std::nullopt;
      port = rest.substr(1);
      if (!AllDigits(port)) return std::nullopt;
    }
  } else {
    size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (!AllDigits(port)) return std::nullopt;
    }
    if (out.host.find_first_of("[]") != std::string::npos) return std::nullopt;
  }
  if (out.host.empty() || out.host.front() == '.' ||
      out.host.find("..") != std::string::npos) {
    return std::nullopt;
  }
  return out;
}

bool IsIpAddress(std::string_view host) {
  if (host.starts_with("[") || host.find(':') != std::string_view::npos) {
    return true;
  }
  if (host.ends_with(".")) host.remove_suffix(1);
  std::string_view last = host.substr(host.rfind('.') + 1);
  // The URL standard's "ends in a number": a last label of digits, or a
  // 0x hex number, makes the whole host an IPv4 address.
  if (last.starts_with("0x") || last.starts_with("0X")) {
    last.remove_prefix(2);
    return std::all_of(last.begin(), last.end(),
                       [](unsigned char c) { return std::isxdigit(c) != 0; });
  }
  return AllDigits(last);
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host.ends_with(".localhost")) return true;
  if (host == "[::1]") return true;
  return host.starts_with("127.") && IsIpAddress(host);
}

bool IsPotentiallyTrustworthy(const WebUrl& url) {
  return url.scheme == "https" || IsLoopbackHost(url.host);
}

}  // namespace gatehouse
