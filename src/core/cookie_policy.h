// CookiePolicy: the one place auth cookies are built, set and cleared.
//
// Every Set-Cookie gatehouse sends comes from here, built from one
// CookieSettings that app/ derives from config (F4). Setting always uses
// the tokens just issued (F3); clearing repeats the exact Name, Domain,
// Path, Secure, HttpOnly and SameSite of setting with an empty value,
// Max-Age=0 and an Expires in the past (F5); and both also clear the same
// names on every Domain the deployment used before (F10).
// Formats: docs/token-format.md.
#ifndef GATEHOUSE_CORE_COOKIE_POLICY_H_
#define GATEHOUSE_CORE_COOKIE_POLICY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace gatehouse {

enum class SameSite { kStrict, kLax, kNone };

std::string_view SameSiteName(SameSite s);
// "Strict", "Lax" or "None" (case-insensitive), else nullopt.
std::optional<SameSite> ParseSameSite(std::string_view text);

inline constexpr char kHostOnly[] = "host-only";

struct CookieSettings {
  std::string access_name = "access_token";
  std::string refresh_name = "refresh_token";
  std::string domain;  // empty: host-only (no Domain attribute)
  bool secure = true;
  SameSite same_site = SameSite::kLax;
  // Domains used before; kHostOnly (or "") stands for host-only cookies.
  std::vector<std::string> old_domains;
};

class CookiePolicy {
 public:
  explicit CookiePolicy(CookieSettings settings);

  // Set-Cookie values that install a freshly issued access and refresh
  // token, each with Max-Age equal to its lifetime, followed by clears of
  // both names on every old Domain.
  std::vector<std::string> SetAuthCookies(std::string_view access_token,
                                          Duration access_max_age,
                                          std::string_view refresh_token,
                                          Duration refresh_max_age) const;

  // Set-Cookie values that delete both auth cookies, on the current
  // Domain and on every old one.
  std::vector<std::string> ClearAuthCookies() const;

  const CookieSettings& settings() const { return settings_; }

 private:
  // `value` empty and `max_age` nullopt: a clearing cookie.
  std::string Build(std::string_view name, std::string_view value,
                    std::string_view domain,
                    std::optional<Duration> max_age) const;
  void AppendOldDomainClears(std::vector<std::string>& out) const;

  CookieSettings settings_;
  std::vector<std::string> stale_domains_;  // old domains != current
};

// Every value of cookie `name` in one Cookie request header, in order.
// A browser sends one per (Domain, Path) it holds, so after a Domain
// change there can be several (F10); callers try each.
std::vector<std::string_view> CookieValues(std::string_view cookie_header,
                                           std::string_view name);

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_COOKIE_POLICY_H_
