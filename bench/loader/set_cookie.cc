#include "bench/loader/set_cookie.h"

#include <chrono>

#include "core/clock.h"
#include "core/cookie_rules.h"

namespace gatehouse::bench {

std::optional<std::string> InstalledCookie(
    const std::vector<std::string>& set_cookies, std::string_view name) {
  const Time now =
      std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  std::optional<std::string> installed;
  for (const std::string& header : set_cookies) {
    std::optional<ParsedSetCookie> cookie = ParseSetCookie(header);
    if (!cookie || cookie->name != name) continue;
    if (!cookie->value.empty() && !IsDeletion(*cookie, now)) {
      installed = std::move(cookie->value);
    }
  }
  return installed;
}

}  // namespace gatehouse::bench
