// The client address behind trusted proxies (http/client_ip.h):
// TrustedProxies::Parse of GATEHOUSE_TRUSTED_PROXIES and ResolveClientIp
// over X-Forwarded-For, which any client can write.
//
// Input: line 1 the trusted proxies (comma-separated, as the setting),
// line 2 the TCP peer, every further line one X-Forwarded-For header.
//
// Invariants: a refused setting names itself; the address resolved is
// the peer as given when that does not parse, else an address in its one
// printed form, taken from the peer or from X-Forwarded-For; a peer that
// is not a trusted proxy is the client, whatever the header says.
#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/beast.h"
#include "http/client_ip.h"
#include "tests/fuzz/fuzz_check.h"

namespace gatehouse {
namespace {

std::vector<std::string> SplitCommas(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    size_t comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) return out;
    text.remove_prefix(comma + 1);
  }
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// `text` as an address in its one printed form (IPv4-mapped IPv6 as
// IPv4), or nullopt.
std::optional<std::string> Printed(std::string_view text) {
  if (text.empty()) return std::nullopt;
  beast::error_code ec;
  net::ip::address address = net::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
  }
  return address.to_string();
}

}  // namespace
}  // namespace gatehouse

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gatehouse;
  const std::vector<std::string_view> lines =
      fuzz::Lines(fuzz::AsText(data, size));
  if (lines.size() < 2) return 0;

  Result<TrustedProxies> proxies = TrustedProxies::Parse(SplitCommas(lines[0]));
  if (!proxies.ok()) {
    FUZZ_CHECK(proxies.error().code == ErrorCode::kValidationFailed &&
                   proxies.error().message.starts_with(
                       std::string(kTrustedProxiesSetting) + ": '"),
               "a refused setting names itself");
    return 0;
  }

  const std::string_view peer = lines[1];
  Request req;
  std::vector<std::string> candidates;  // every address the answer may be
  if (std::optional<std::string> p = Printed(peer)) candidates.push_back(*p);
  for (size_t i = 2; i < lines.size(); ++i) {
    req.insert(kForwardedForHeader, lines[i]);
    for (const std::string& entry : SplitCommas(lines[i])) {
      proxies->Contains(entry);
      if (auto e = Printed(Trim(entry))) candidates.push_back(*e);
    }
  }

  const std::string client = ResolveClientIp(req, peer, *proxies);
  const std::optional<std::string> printed_peer = Printed(peer);
  if (!printed_peer) {
    FUZZ_CHECK(client == peer, "an unreadable peer is returned as given");
    return 0;
  }
  FUZZ_CHECK(Printed(client) == client, "one printed form per address");
  FUZZ_CHECK(std::find(candidates.begin(), candidates.end(), client) !=
                 candidates.end(),
             "the client is the peer or a forwarded hop");
  if (!proxies->Contains(peer)) {
    FUZZ_CHECK(client == *printed_peer,
               "an untrusted peer is the client, whatever the header says");
  }
  return 0;
}
