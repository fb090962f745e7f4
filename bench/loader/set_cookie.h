// Reading the cookies a response sets, as a browser would keep them, with
// core's Set-Cookie parser (core/cookie_rules.h).
#ifndef GATEHOUSE_BENCH_LOADER_SET_COOKIE_H_
#define GATEHOUSE_BENCH_LOADER_SET_COOKIE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::bench {

// The value the last of `set_cookies` (Set-Cookie header values) installs
// for cookie `name`, or nullopt if none installs one. A clearing cookie
// (empty value, or a deletion: Max-Age=0, as gatehouse sends for stale
// Domains beside the new cookie) installs nothing, nor does a line a
// browser ignores.
std::optional<std::string> InstalledCookie(
    const std::vector<std::string>& set_cookies, std::string_view name);

}  // namespace gatehouse::bench

#endif  // GATEHOUSE_BENCH_LOADER_SET_COOKIE_H_
