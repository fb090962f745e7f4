// The doctor's reading of real Set-Cookie headers (core/cookie_rules.h
// ParseSetCookie, ParseCookieDate) and the browser cookie store it runs
// them through (CookieStore, ClearingMismatches). `gatehouse doctor
// --live` reads these from whatever server it is pointed at.
//
// Input: one Set-Cookie value per line, received in that order from
// https://api.example.com/auth/login; each line is also read as a date.
//
// Invariants: a parsed cookie's name holds no '=' or ';' and its value no
// ';', both trimmed, not both empty; a Domain is lower-case, non-empty;
// a Path starts with '/'; Max-Age alone decides deletion when present; a
// date that parses, written back as an IMF-fixdate, parses to the same
// time; the store never holds two cookies with one key.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "core/cookie_rules.h"
#include "testing/fake_public_suffix_list.h"
#include "core/web_url.h"
#include "tests/fuzz/fuzz_check.h"

namespace gatehouse {
namespace {

bool HasEdgeSpace(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  return !s.empty() && (space(s.front()) || space(s.back()));
}

bool HasUpper(std::string_view s) {
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') return true;
  }
  return false;
}

// "Thu, 01 Jan 1970 00:00:00 GMT" (RFC 9110 IMF-fixdate), whole seconds.
std::string ImfFixdate(Time t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed",
                                          "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr",
                                            "May", "Jun", "Jul", "Aug",
                                            "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::weekday weekday{day};
  const std::chrono::hh_mm_ss hms{
      std::chrono::floor<std::chrono::seconds>(t - day)};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT",
                kDays[weekday.c_encoding()], static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()),
                static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

void CheckDate(std::string_view text) {
  const std::optional<Time> when = ParseCookieDate(text);
  if (!when) return;
  FUZZ_CHECK(ToUnixMillis(*when) % 1000 == 0, "whole seconds");
  const std::string written = ImfFixdate(*when);
  FUZZ_CHECK(ParseCookieDate(written) == when,
             "a parsed date round-trips through its IMF-fixdate");
}

void CheckParsed(const ParsedSetCookie& c, Time now) {
  FUZZ_CHECK(c.name.find_first_of("=;") == std::string::npos,
             "a cookie name holds no '=' or ';'");
  FUZZ_CHECK(c.value.find(';') == std::string::npos,
             "a cookie value holds no ';'");
  FUZZ_CHECK(!HasEdgeSpace(c.name) && !HasEdgeSpace(c.value),
             "name and value are trimmed");
  FUZZ_CHECK(!c.name.empty() || !c.value.empty(),
             "a cookie with neither name nor value is ignored");
  if (c.domain) {
    FUZZ_CHECK(!c.domain->empty() && !HasUpper(*c.domain),
               "a Domain is non-empty and lower-case");
  }
  if (c.path) FUZZ_CHECK(c.path->starts_with("/"), "a Path starts with '/'");
  if (c.max_age_seconds) {
    FUZZ_CHECK(IsDeletion(c, now) == (*c.max_age_seconds <= 0),
               "Max-Age wins over Expires");
  }
}

}  // namespace
}  // namespace gatehouse

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gatehouse;
  static const FakePublicSuffixList kPsl({"co.uk", "vercel.app"});
  static const WebUrl kApi = *ParseWebUrl("https://api.example.com");
  static const WebUrl kApp = *ParseWebUrl("https://app.example.com");
  const Time now = FromUnixMillis(1767225600000);  // 2026-01-01
  const BrowserRequest from_app{.initiator = kApp,
                                .top_level_navigation = false};

  CookieStore store;
  std::optional<ParsedSetCookie> previous;
  for (std::string_view line : fuzz::Lines(fuzz::AsText(data, size))) {
    CheckDate(line);
    const std::optional<ParsedSetCookie> cookie = ParseSetCookie(line);
    if (!cookie) continue;
    CheckParsed(*cookie, now);
    if (cookie->expires) CheckDate(ImfFixdate(*cookie->expires));
    store.Receive(*cookie, kApi, "/auth/login", from_app, kPsl, now, "fuzz");
    if (previous) ClearingMismatches(*previous, *cookie, now);
    previous = cookie;
  }

  const auto& held = store.cookies();
  for (size_t i = 0; i < held.size(); ++i) {
    FUZZ_CHECK(!HasUpper(held[i].domain), "stored domains are lower-case");
    for (size_t j = i + 1; j < held.size(); ++j) {
      FUZZ_CHECK(!held[i].SameKey(held[j]), "one cookie per storage key");
    }
  }
  store.CookiesFor(kApi, "/auth/login", from_app, kPsl);
  store.CookiesFor(kApp, "/", BrowserRequest{}, kPsl);
  return 0;
}
