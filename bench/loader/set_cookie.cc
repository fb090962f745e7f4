#include "bench/loader/set_cookie.h"

namespace gatehouse::bench {

std::optional<std::string> InstalledCookie(
    const std::vector<std::string>& set_cookies, std::string_view name) {
  std::optional<std::string> installed;
  for (std::string_view header : set_cookies) {
    const size_t eq = header.find('=');
    if (eq == std::string_view::npos || header.substr(0, eq) != name) continue;
    const size_t semi = header.find(';', eq);
    std::string_view value = header.substr(
        eq + 1, semi == std::string_view::npos ? std::string_view::npos
                                               : semi - eq - 1);
    const bool clearing = value.empty() ||
                          header.find("Max-Age=0;") != std::string_view::npos ||
                          header.ends_with("Max-Age=0");
    if (!clearing) installed = std::string(value);
  }
  return installed;
}

}  // namespace gatehouse::bench
