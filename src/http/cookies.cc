#include "http/cookies.h"

#include "core/cookie_policy.h"

namespace gatehouse {

std::vector<std::string_view> RequestCookies(const Request& req,
                                             std::string_view name) {
  std::vector<std::string_view> values;
  for (auto it = req.find(bhttp::field::cookie);
       it != req.end() && it->name() == bhttp::field::cookie; ++it) {
    auto found = CookieValues(it->value(), name);
    values.insert(values.end(), found.begin(), found.end());
  }
  return values;
}

std::vector<std::string_view> BearerTokens(const Request& req) {
  auto it = req.find(bhttp::field::authorization);
  if (it == req.end()) return {};
  std::string_view value = it->value();
  constexpr std::string_view kScheme = "Bearer ";
  // The scheme is case-insensitive (RFC 9110 §11.1).
  if (value.size() <= kScheme.size() ||
      !beast::iequals(value.substr(0, kScheme.size()), kScheme)) {
    return {};
  }
  value.remove_prefix(kScheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (value.empty()) return {};
  return {value};
}

}  // namespace gatehouse
