#include "core/cookie_policy.h"

#include <algorithm>
#include <cctype>

namespace gatehouse {
namespace {

// RFC 6265 §4.1.1: Expires is an HTTP date; any past date deletes. The
// epoch is the conventional, unambiguous choice.
constexpr std::string_view kExpiresInThePast = "Thu, 01 Jan 1970 00:00:00 GMT";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool IsHostOnly(std::string_view domain) {
  return domain.empty() || domain == kHostOnly;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

// ".Example.com" and "example.com" name the same cookie Domain
// (RFC 6265 §5.2.3 drops the leading dot).
std::string CanonicalDomain(std::string_view domain) {
  if (IsHostOnly(domain)) return "";
  if (domain.front() == '.') domain.remove_prefix(1);
  return Lower(domain);
}

}  // namespace

std::string_view SameSiteName(SameSite s) {
  switch (s) {
    case SameSite::kStrict:
      return "Strict";
    case SameSite::kLax:
      return "Lax";
    case SameSite::kNone:
      return "None";
  }
  return "Lax";
}

std::optional<SameSite> ParseSameSite(std::string_view text) {
  std::string lower = Lower(text);
  if (lower == "strict") return SameSite::kStrict;
  if (lower == "lax") return SameSite::kLax;
  if (lower == "none") return SameSite::kNone;
  return std::nullopt;
}

CookiePolicy::CookiePolicy(CookieSettings settings)
    : settings_(std::move(settings)) {
  std::string current = CanonicalDomain(settings_.domain);
  for (const std::string& old : settings_.old_domains) {
    std::string canonical = CanonicalDomain(old);
    // Clearing the current (Name, Domain) pair would delete the cookie we
    // are setting in the same response.
    if (canonical == current) continue;
    if (std::find(stale_domains_.begin(), stale_domains_.end(), canonical) !=
        stale_domains_.end()) {
      continue;
    }
    stale_domains_.push_back(canonical);
  }
}

std::string CookiePolicy::Build(std::string_view name, std::string_view value,
                                std::string_view domain,
                                std::optional<Duration> max_age) const {
  std::string out;
  out.reserve(160 + value.size());
  out.append(name).append("=").append(value);
  out.append("; Path=/");
  if (!IsHostOnly(domain)) out.append("; Domain=").append(domain);
  if (max_age) {
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*max_age);
    out.append("; Max-Age=").append(std::to_string(seconds.count()));
  } else {
    out.append("; Max-Age=0; Expires=").append(kExpiresInThePast);
  }
  out.append("; HttpOnly");
  if (settings_.secure) out.append("; Secure");
  out.append("; SameSite=").append(SameSiteName(settings_.same_site));
  return out;
}

void CookiePolicy::AppendOldDomainClears(std::vector<std::string>& out) const {
  for (const std::string& domain : stale_domains_) {
    out.push_back(Build(settings_.access_name, "", domain, std::nullopt));
    out.push_back(Build(settings_.refresh_name, "", domain, std::nullopt));
  }
}

std::vector<std::string> CookiePolicy::SetAuthCookies(
    std::string_view access_token, Duration access_max_age,
    std::string_view refresh_token, Duration refresh_max_age) const {
  std::vector<std::string> out;
  out.push_back(Build(settings_.access_name, access_token, settings_.domain,
                      access_max_age));
  out.push_back(Build(settings_.refresh_name, refresh_token, settings_.domain,
                      refresh_max_age));
  AppendOldDomainClears(out);
  return out;
}

std::vector<std::string> CookiePolicy::ClearAuthCookies() const {
  std::vector<std::string> out;
  out.push_back(
      Build(settings_.access_name, "", settings_.domain, std::nullopt));
  out.push_back(
      Build(settings_.refresh_name, "", settings_.domain, std::nullopt));
  AppendOldDomainClears(out);
  return out;
}

std::vector<std::string_view> CookieValues(std::string_view cookie_header,
                                           std::string_view name) {
  std::vector<std::string_view> values;
  while (!cookie_header.empty()) {
    size_t end = cookie_header.find(';');
    std::string_view pair = Trim(cookie_header.substr(0, end));
    cookie_header = end == std::string_view::npos
                        ? std::string_view()
                        : cookie_header.substr(end + 1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (Trim(pair.substr(0, eq)) != name) continue;
    std::string_view value = Trim(pair.substr(eq + 1));
    // RFC 6265 allows a DQUOTE-wrapped value.
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (!value.empty()) values.push_back(value);
  }
  return values;
}

}  // namespace gatehouse
