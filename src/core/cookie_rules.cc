#include "core/cookie_rules.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace gatehouse {
namespace {

// ASCII lower case: cookie attribute names and domains compare so.
std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The host a site is named by: the registrable domain, or the host itself
// when it has none (HTML "obtain a site").
std::string SiteHost(const WebUrl& url, const PublicSuffixList& psl) {
  std::string registrable = psl.RegistrableDomain(url.host);
  return registrable.empty() ? url.host : registrable;
}

bool IsSameSiteRequest(const WebUrl& request_url, const BrowserRequest& context,
                       const PublicSuffixList& psl) {
  return !context.initiator || IsSameSite(*context.initiator, request_url, psl);
}

}  // namespace

std::string CanonicalDomain(std::string_view name) {
  if (name.starts_with(".")) name.remove_prefix(1);
  return Lower(name);
}

bool DomainMatches(std::string_view host, std::string_view domain) {
  std::string h = CanonicalDomain(host);
  std::string d = CanonicalDomain(domain);
  if (d.empty() || h.empty()) return false;
  if (h == d) return true;
  return h.size() > d.size() && h.ends_with(d) &&
         h[h.size() - d.size() - 1] == '.' && !IsIpAddress(h);
}

bool IsSameSite(const WebUrl& a, const WebUrl& b, const PublicSuffixList& psl) {
  return a.scheme == b.scheme && SiteHost(a, psl) == SiteHost(b, psl);
}

std::string SiteOf(const WebUrl& url, const PublicSuffixList& psl) {
  return url.scheme + "://" + SiteHost(url, psl);
}

std::string_view Describe(StoreRejection r) {
  switch (r) {
    case StoreRejection::kNone:
      return "stored";
    case StoreRejection::kDomainIsPublicSuffix:
      return "its Domain is a public suffix";
    case StoreRejection::kDomainMismatch:
      return "the host that sets it is outside its Domain";
    case StoreRejection::kSecureFromInsecureUrl:
      return "it is Secure but arrived over plain http";
    case StoreRejection::kSameSiteNoneWithoutSecure:
      return "SameSite=None without Secure";
    case StoreRejection::kCrossSiteSameSite:
      return "it is SameSite=Lax/Strict and came from a cross-site request";
    case StoreRejection::kSecurePrefixWithoutSecure:
      return "a __Secure- name without Secure";
    case StoreRejection::kHostPrefixRequirements:
      return "a __Host- name needs Secure and no Domain";
  }
  return "";
}

std::string_view Describe(SendExclusion e) {
  switch (e) {
    case SendExclusion::kNone:
      return "sent";
    case SendExclusion::kHostNotCovered:
      return "the request's host is outside the cookie's Domain";
    case SendExclusion::kNotSecureContext:
      return "the cookie is Secure and the request is plain http";
    case SendExclusion::kCrossSite:
      return "the cookie is SameSite=Lax/Strict and the request is cross-site";
  }
  return "";
}

StoreRejection AttributeRejection(const CookieAttributes& cookie) {
  if (cookie.same_site == SameSite::kNone && !cookie.secure) {
    return StoreRejection::kSameSiteNoneWithoutSecure;
  }
  if (cookie.name.starts_with("__Secure-") && !cookie.secure) {
    return StoreRejection::kSecurePrefixWithoutSecure;
  }
  if (cookie.name.starts_with("__Host-") &&
      (!cookie.secure || !cookie.domain.empty())) {
    return StoreRejection::kHostPrefixRequirements;
  }
  return StoreRejection::kNone;
}

StoreRejection WhyNotStored(const CookieAttributes& cookie,
                            const WebUrl& response_url,
                            const BrowserRequest& context,
                            const PublicSuffixList& psl) {
  CookieAttributes effective = cookie;
  effective.domain = CanonicalDomain(cookie.domain);
  if (!effective.domain.empty() && psl.IsPublicSuffix(effective.domain)) {
    // A public suffix that is the host itself makes a host-only cookie.
    if (effective.domain != response_url.host) {
      return StoreRejection::kDomainIsPublicSuffix;
    }
    effective.domain.clear();
  }
  if (!effective.domain.empty() &&
      !DomainMatches(response_url.host, effective.domain)) {
    return StoreRejection::kDomainMismatch;
  }
  if (effective.secure && !IsPotentiallyTrustworthy(response_url)) {
    return StoreRejection::kSecureFromInsecureUrl;
  }
  if (effective.same_site != SameSite::kNone &&
      !IsSameSiteRequest(response_url, context, psl) &&
      !context.top_level_navigation) {
    return StoreRejection::kCrossSiteSameSite;
  }
  return AttributeRejection(effective);
}

SendExclusion WhyNotSent(const CookieAttributes& cookie, const WebUrl& set_by,
                         const WebUrl& request_url,
                         const BrowserRequest& context,
                         const PublicSuffixList& psl) {
  std::string domain = CanonicalDomain(cookie.domain);
  if (!domain.empty() && psl.IsPublicSuffix(domain) && domain == set_by.host) {
    domain.clear();
  }
  bool covered = domain.empty() ? request_url.host == set_by.host
                                : DomainMatches(request_url.host, domain);
  if (!covered) return SendExclusion::kHostNotCovered;
  if (cookie.secure && !IsPotentiallyTrustworthy(request_url)) {
    return SendExclusion::kNotSecureContext;
  }
  if (cookie.same_site != SameSite::kNone &&
      !IsSameSiteRequest(request_url, context, psl)) {
    bool lax_navigation =
        cookie.same_site == SameSite::kLax && context.top_level_navigation;
    if (!lax_navigation) return SendExclusion::kCrossSite;
  }
  return SendExclusion::kNone;
}

// --- Real Set-Cookie headers --------------------------------------------

namespace {

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// RFC 6265 §5.1.1: the characters that separate the tokens of a date.
bool IsDateDelimiter(unsigned char c) {
  return c == 0x09 || (c >= 0x20 && c <= 0x2F) || (c >= 0x3B && c <= 0x40) ||
         (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
}

// 1 to `max_digits` digits at the start of `token`, not followed by
// another digit; the number and the rest, or nullopt.
std::optional<std::pair<int, std::string_view>> LeadingNumber(
    std::string_view token, size_t min_digits, size_t max_digits) {
  size_t n = 0;
  while (n < token.size() && IsDigit(token[n])) ++n;
  if (n < min_digits || n > max_digits) return std::nullopt;
  int value = 0;
  for (size_t i = 0; i < n; ++i) value = value * 10 + (token[i] - '0');
  return std::pair{value, token.substr(n)};
}

// "hh:mm:ss" (1-2 digits each), then anything not a digit.
bool ParseTimeToken(std::string_view token, int& h, int& m, int& s) {
  auto hour = LeadingNumber(token, 1, 2);
  if (!hour || !hour->second.starts_with(":")) return false;
  auto minute = LeadingNumber(hour->second.substr(1), 1, 2);
  if (!minute || !minute->second.starts_with(":")) return false;
  auto second = LeadingNumber(minute->second.substr(1), 1, 2);
  if (!second) return false;
  h = hour->first;
  m = minute->first;
  s = second->first;
  return true;
}

std::optional<int> MonthOf(std::string_view token) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun",
      "jul", "aug", "sep", "oct", "nov", "dec"};
  if (token.size() < 3) return std::nullopt;
  std::string prefix = Lower(token.substr(0, 3));
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (prefix == kMonths[i]) return static_cast<int>(i) + 1;
  }
  return std::nullopt;
}

std::string OrNone(const std::optional<std::string>& s) {
  return s ? *s : "(none)";
}

std::string SameSiteText(const std::optional<SameSite>& s) {
  return s ? std::string(SameSiteName(*s)) : "(none)";
}

std::string YesNo(bool b) { return b ? "set" : "(none)"; }

}  // namespace

CookieAttributes ParsedSetCookie::Attributes() const {
  return {name, domain.value_or(""), secure,
          same_site.value_or(SameSite::kLax)};
}

std::optional<Time> ParseCookieDate(std::string_view text) {
  std::optional<int> day, month, year;
  int hour = 0, minute = 0, second = 0;
  bool found_time = false;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() &&
           IsDateDelimiter(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    size_t start = i;
    while (i < text.size() &&
           !IsDateDelimiter(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    std::string_view token = text.substr(start, i - start);
    if (token.empty()) continue;
    if (!found_time && ParseTimeToken(token, hour, minute, second)) {
      found_time = true;
      continue;
    }
    if (!day) {
      if (auto n = LeadingNumber(token, 1, 2)) {
        day = n->first;
        continue;
      }
    }
    if (!month) {
      if ((month = MonthOf(token))) continue;
    }
    if (!year) {
      if (auto n = LeadingNumber(token, 2, 4)) year = n->first;
    }
  }
  if (!found_time || !day || !month || !year) return std::nullopt;
  if (*year >= 70 && *year <= 99) *year += 1900;
  if (*year >= 0 && *year <= 69) *year += 2000;
  if (*day < 1 || *day > 31 || *year < 1601 || hour > 23 || minute > 59 ||
      second > 59) {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year(*year),
                                  std::chrono::month(*month),
                                  std::chrono::day(*day)};
  if (!ymd.ok()) return std::nullopt;  // e.g. 31 Feb
  return Time(std::chrono::sys_days(ymd)) + std::chrono::hours(hour) +
         std::chrono::minutes(minute) + std::chrono::seconds(second);
}

std::optional<ParsedSetCookie> ParseSetCookie(std::string_view line) {
  size_t semicolon = line.find(';');
  std::string_view pair = line.substr(0, semicolon);
  std::string_view attributes =
      semicolon == std::string_view::npos ? "" : line.substr(semicolon + 1);
  ParsedSetCookie cookie;
  size_t eq = pair.find('=');
  if (eq == std::string_view::npos) {
    // RFC 6265bis §5.6 step 3: a nameless cookie.
    cookie.value = std::string(TrimSpace(pair));
  } else {
    cookie.name = std::string(TrimSpace(pair.substr(0, eq)));
    cookie.value = std::string(TrimSpace(pair.substr(eq + 1)));
  }
  if (cookie.name.empty() && cookie.value.empty()) return std::nullopt;

  while (!attributes.empty()) {
    size_t end = attributes.find(';');
    std::string_view av = attributes.substr(0, end);
    attributes =
        end == std::string_view::npos ? "" : attributes.substr(end + 1);
    size_t av_eq = av.find('=');
    std::string key = Lower(TrimSpace(av.substr(0, av_eq)));
    std::string_view value = av_eq == std::string_view::npos
                                 ? std::string_view()
                                 : TrimSpace(av.substr(av_eq + 1));
    if (key == "expires") {
      if (auto when = ParseCookieDate(value)) cookie.expires = when;
    } else if (key == "max-age") {
      int64_t seconds = 0;
      bool sign_ok = !value.empty() && (IsDigit(value[0]) || value[0] == '-');
      auto [ptr, ec] =
          std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (sign_ok && ec == std::errc() && ptr == value.data() + value.size()) {
        cookie.max_age_seconds = seconds;
      }
    } else if (key == "domain") {
      // An empty Domain is ignored (§5.6.3), which leaves it host-only.
      std::string domain = CanonicalDomain(value);
      cookie.domain =
          domain.empty() ? std::nullopt : std::optional<std::string>(domain);
    } else if (key == "path") {
      cookie.path = value.starts_with("/")
                        ? std::optional<std::string>(std::string(value))
                        : std::nullopt;
    } else if (key == "secure") {
      cookie.secure = true;
    } else if (key == "httponly") {
      cookie.http_only = true;
    } else if (key == "samesite") {
      cookie.same_site = ParseSameSite(value);
    }
  }
  return cookie;
}

bool IsDeletion(const ParsedSetCookie& cookie, Time now) {
  if (cookie.max_age_seconds) return *cookie.max_age_seconds <= 0;
  return cookie.expires && *cookie.expires <= now;
}

std::vector<std::pair<std::string, std::string>> ParseCookieHeader(
    std::string_view header) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view piece = header.substr(0, end);
    header = end == std::string_view::npos ? "" : header.substr(end + 1);
    size_t eq = piece.find('=');
    if (eq == std::string_view::npos) continue;
    std::string name(TrimSpace(piece.substr(0, eq)));
    if (name.empty()) continue;
    pairs.emplace_back(std::move(name),
                       std::string(TrimSpace(piece.substr(eq + 1))));
  }
  return pairs;
}

std::vector<std::string> RepeatedNames(const std::vector<std::string>& names) {
  std::vector<std::string> repeated;
  for (size_t i = 0; i < names.size(); ++i) {
    if (std::find(repeated.begin(), repeated.end(), names[i]) !=
        repeated.end()) {
      continue;
    }
    if (std::find(names.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                  names.end(), names[i]) != names.end()) {
      repeated.push_back(names[i]);
    }
  }
  return repeated;
}

std::vector<AttributeMismatch> ScopeMismatches(const ParsedSetCookie& reference,
                                               const ParsedSetCookie& other) {
  std::vector<AttributeMismatch> out;
  if (reference.domain != other.domain) {
    out.push_back({"Domain", OrNone(reference.domain), OrNone(other.domain)});
  }
  if (reference.path != other.path) {
    out.push_back({"Path", OrNone(reference.path), OrNone(other.path)});
  }
  if (reference.secure != other.secure) {
    out.push_back({"Secure", YesNo(reference.secure), YesNo(other.secure)});
  }
  if (reference.http_only != other.http_only) {
    out.push_back(
        {"HttpOnly", YesNo(reference.http_only), YesNo(other.http_only)});
  }
  if (reference.same_site != other.same_site) {
    out.push_back({"SameSite", SameSiteText(reference.same_site),
                   SameSiteText(other.same_site)});
  }
  return out;
}

std::vector<AttributeMismatch> ClearingMismatches(
    const ParsedSetCookie& setting, const ParsedSetCookie& clearing, Time now) {
  std::vector<AttributeMismatch> out = ScopeMismatches(setting, clearing);
  if (!clearing.value.empty()) {
    out.push_back({"value", "(empty)", "(not empty)"});
  }
  if (clearing.max_age_seconds != 0) {
    out.push_back({"Max-Age", "0",
                   clearing.max_age_seconds
                       ? std::to_string(*clearing.max_age_seconds)
                       : "(none)"});
  }
  if (!clearing.expires || *clearing.expires >= now) {
    out.push_back(
        {"Expires", "a date in the past",
         clearing.expires ? FormatIso8601(*clearing.expires) : "(none)"});
  }
  return out;
}

bool StoredCookie::SameKey(const StoredCookie& other) const {
  return name == other.name && domain == other.domain &&
         host_only == other.host_only && path == other.path;
}

bool PathMatches(std::string_view request_path, std::string_view cookie_path) {
  if (request_path == cookie_path) return true;
  if (!request_path.starts_with(cookie_path)) return false;
  return cookie_path.ends_with("/") || request_path[cookie_path.size()] == '/';
}

StoreRejection CookieStore::Receive(const ParsedSetCookie& set_cookie,
                                    const WebUrl& response_url,
                                    std::string_view request_path,
                                    const BrowserRequest& context,
                                    const PublicSuffixList& psl, Time now,
                                    std::string_view source) {
  StoreRejection rejection =
      WhyNotStored(set_cookie.Attributes(), response_url, context, psl);
  if (rejection != StoreRejection::kNone) return rejection;

  StoredCookie cookie;
  cookie.name = set_cookie.name;
  cookie.value = set_cookie.value;
  // A public-suffix Domain equal to the host itself makes a host-only
  // cookie (WhyNotStored has refused every other public suffix).
  if (set_cookie.domain && !psl.IsPublicSuffix(*set_cookie.domain)) {
    cookie.domain = *set_cookie.domain;
    cookie.host_only = false;
  } else {
    cookie.domain = response_url.host;
    cookie.host_only = true;
  }
  if (set_cookie.path) {
    cookie.path = *set_cookie.path;
  } else {
    // §5.1.4 default-path: the request path up to its last "/".
    size_t slash = request_path.rfind('/');
    cookie.path = slash == std::string_view::npos || slash == 0
                      ? "/"
                      : std::string(request_path.substr(0, slash));
  }
  cookie.secure = set_cookie.secure;
  cookie.http_only = set_cookie.http_only;
  cookie.same_site = set_cookie.same_site.value_or(SameSite::kLax);
  cookie.source = std::string(source);

  auto same = std::find_if(
      cookies_.begin(), cookies_.end(),
      [&](const StoredCookie& held) { return held.SameKey(cookie); });
  if (IsDeletion(set_cookie, now)) {
    if (same != cookies_.end()) cookies_.erase(same);
  } else if (same != cookies_.end()) {
    *same = std::move(cookie);
  } else {
    cookies_.push_back(std::move(cookie));
  }
  return StoreRejection::kNone;
}

void CookieStore::Insert(StoredCookie cookie) {
  auto same = std::find_if(
      cookies_.begin(), cookies_.end(),
      [&](const StoredCookie& held) { return held.SameKey(cookie); });
  if (same != cookies_.end()) {
    *same = std::move(cookie);
  } else {
    cookies_.push_back(std::move(cookie));
  }
}

std::vector<StoredCookie> CookieStore::CookiesFor(
    const WebUrl& url, std::string_view path, const BrowserRequest& context,
    const PublicSuffixList& psl) const {
  std::vector<StoredCookie> sent;
  for (const StoredCookie& cookie : cookies_) {
    if (!PathMatches(path, cookie.path)) continue;
    // WhyNotSent names a host-only cookie's host by the URL that set it.
    WebUrl set_by = url;
    set_by.host = cookie.domain;
    CookieAttributes attributes{cookie.name,
                                cookie.host_only ? "" : cookie.domain,
                                cookie.secure, cookie.same_site};
    if (WhyNotSent(attributes, set_by, url, context, psl) ==
        SendExclusion::kNone) {
      sent.push_back(cookie);
    }
  }
  std::stable_sort(sent.begin(), sent.end(),
                   [](const StoredCookie& a, const StoredCookie& b) {
                     return a.path.size() > b.path.size();
                   });
  return sent;
}

std::string CoveringCookieDomain(const WebUrl& api,
                                 const std::vector<WebUrl>& apps,
                                 const PublicSuffixList& psl) {
  if (IsIpAddress(api.host)) return "";
  std::string registrable = psl.RegistrableDomain(api.host);
  if (registrable.empty()) return "";
  // The labels the API host shares with each app host on its site, from
  // the right: "api.x.example.com" and "app.x.example.com" share
  // "x.example.com".
  std::string common = api.host;
  for (const WebUrl& app : apps) {
    if (!IsSameSite(app, api, psl) || IsIpAddress(app.host)) continue;
    while (!DomainMatches(app.host, common) && common.size() > 0) {
      size_t dot = common.find('.');
      common = dot == std::string::npos ? "" : common.substr(dot + 1);
    }
  }
  if (common.size() < registrable.size()) return registrable;
  return common;
}

}  // namespace gatehouse
