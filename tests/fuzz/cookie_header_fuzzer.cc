// The Cookie request header: the server's same-name selection
// (core/cookie_policy.h CookieValues, http/cookies.h RequestCookies over
// several Cookie headers) and the doctor's reading of the same header
// (core/cookie_rules.h ParseCookieHeader, RepeatedNames).
//
// Input: one Cookie header per line; the first line is also sent as an
// Authorization header (http/cookies.h BearerTokens).
//
// Invariants: a parsed name is non-empty, holds no '=' or ';' and no
// surrounding space, a value no ';'; the server and the doctor see the
// same values for every name (the doctor explains what the server does);
// RequestCookies is CookieValues over each header in order; RepeatedNames
// names exactly the names seen twice; a Bearer token is the non-empty rest
// of an "Authorization: Bearer " header, without leading spaces.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/cookie_policy.h"
#include "core/cookie_rules.h"
#include "http/beast.h"
#include "http/cookies.h"
#include "tests/fuzz/fuzz_check.h"

namespace gatehouse {
namespace {

bool HasEdgeSpace(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  return !s.empty() && (space(s.front()) || space(s.back()));
}

// What CookieValues promises for one (name, value) the doctor parsed.
std::string_view AsServerReadsIt(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  return value;
}

std::vector<std::string> Strings(const std::vector<std::string_view>& v) {
  return {v.begin(), v.end()};
}

}  // namespace
}  // namespace gatehouse

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gatehouse;
  const std::vector<std::string_view> headers =
      fuzz::Lines(fuzz::AsText(data, size));

  Request req;
  // The names the server looks up, whether or not the input holds them.
  std::set<std::string> names = {"access_token", "refresh_token",
                                 "__Host-access_token", "a"};
  for (std::string_view header : headers) {
    req.insert(bhttp::field::cookie, header);

    const auto pairs = ParseCookieHeader(header);
    std::vector<std::string> header_names;
    std::map<std::string, std::vector<std::string>> expected;
    for (const auto& [name, value] : pairs) {
      FUZZ_CHECK(!name.empty(), "a parsed name is never empty");
      FUZZ_CHECK(name.find_first_of("=;") == std::string::npos,
                 "a parsed name holds no '=' or ';'");
      FUZZ_CHECK(value.find(';') == std::string::npos,
                 "a parsed value holds no ';'");
      FUZZ_CHECK(!HasEdgeSpace(name) && !HasEdgeSpace(value),
                 "names and values are trimmed");
      header_names.push_back(name);
      names.insert(name);
      std::string_view served = AsServerReadsIt(value);
      if (!served.empty()) expected[name].emplace_back(served);
    }
    for (const std::string& name : names) {
      const std::vector<std::string> values =
          Strings(CookieValues(header, name));
      const auto it = expected.find(name);
      FUZZ_CHECK(values == (it == expected.end() ? std::vector<std::string>()
                                                 : it->second),
                 "CookieValues agrees with ParseCookieHeader");
    }

    const std::vector<std::string> repeated = RepeatedNames(header_names);
    for (const std::string& name : header_names) {
      const bool twice =
          std::count(header_names.begin(), header_names.end(), name) > 1;
      const bool listed =
          std::find(repeated.begin(), repeated.end(), name) != repeated.end();
      FUZZ_CHECK(twice == listed, "RepeatedNames names each repeated name");
    }
    FUZZ_CHECK(std::set<std::string>(repeated.begin(), repeated.end()).size() ==
                   repeated.size(),
               "RepeatedNames lists each name once");
  }

  const std::string_view authorization = headers.front();
  req.set(bhttp::field::authorization, authorization);
  const std::vector<std::string_view> bearer = BearerTokens(req);
  FUZZ_CHECK(bearer.size() <= 1, "one Authorization header, one token");
  if (!bearer.empty()) {
    FUZZ_CHECK(!bearer[0].empty() && bearer[0].front() != ' ' &&
                   authorization.ends_with(bearer[0]) &&
                   beast::iequals(authorization.substr(0, 7), "Bearer "),
               "a token is what follows the Bearer scheme");
  }

  for (const std::string& name : names) {
    std::vector<std::string> across;
    for (std::string_view header : headers) {
      for (std::string_view v : CookieValues(header, name)) {
        across.emplace_back(v);
      }
    }
    FUZZ_CHECK(Strings(RequestCookies(req, name)) == across,
               "RequestCookies reads every Cookie header, in order");
  }
  return 0;
}
