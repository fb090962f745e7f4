#include "core/origin_policy.h"

#include <algorithm>
#include <cctype>

namespace gatehouse {

std::optional<std::string> NormalizeOrigin(std::string_view url) {
  std::string lower(url);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  std::string_view rest = lower;
  std::string scheme;
  if (rest.starts_with("https://")) {
    scheme = "https";
  } else if (rest.starts_with("http://")) {
    scheme = "http";
  } else {
    return std::nullopt;
  }
  rest.remove_prefix(scheme.size() + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  // Userinfo has no place in an origin and is a classic spoofing trick.
  if (authority.empty() || authority.find('@') != std::string_view::npos) {
    return std::nullopt;
  }
  for (char c : authority) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
          c == ':' || c == '[' || c == ']')) {
      return std::nullopt;
    }
  }
  std::string_view default_port = scheme == "https" ? ":443" : ":80";
  if (authority.ends_with(default_port)) {
    authority.remove_suffix(default_port.size());
  }
  return scheme + "://" + std::string(authority);
}

OriginPolicy::OriginPolicy(std::string_view own_url,
                           const std::vector<std::string>& trusted) {
  if (auto own = NormalizeOrigin(own_url)) trusted_.push_back(*own);
  for (const std::string& t : trusted) {
    if (auto origin = NormalizeOrigin(t)) trusted_.push_back(*origin);
  }
}

bool OriginPolicy::IsTrusted(std::string_view origin) const {
  // An Origin header is already an origin; normalising again only folds
  // case and default ports, never widens the match.
  auto normalized = NormalizeOrigin(origin);
  if (!normalized) return false;
  return std::find(trusted_.begin(), trusted_.end(), *normalized) !=
         trusted_.end();
}

bool OriginPolicy::AllowsCookieWrite(
    std::optional<std::string_view> origin,
    std::optional<std::string_view> referer) const {
  if (origin.has_value()) return IsTrusted(*origin);
  if (referer.has_value()) return IsTrusted(*referer);
  return false;
}

bool OriginPolicy::AllowsSignIn(std::optional<std::string_view> origin,
                                std::optional<std::string_view> referer) const {
  if (!origin.has_value() && !referer.has_value()) return true;
  return AllowsCookieWrite(origin, referer);
}

bool IsStateChangingMethod(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" ||
         method == "DELETE";
}

}  // namespace gatehouse
