#include "core/cookie_policy.h"

#include <gtest/gtest.h>

#include <map>

namespace gatehouse {
namespace {

using std::chrono::days;
using std::chrono::minutes;

// A Set-Cookie line split the way a browser reads it.
struct ParsedSetCookie {
  std::string name;
  std::string value;
  std::map<std::string, std::string> attributes;  // lower-cased names
};

ParsedSetCookie Parse(std::string_view line) {
  ParsedSetCookie out;
  bool first = true;
  while (!line.empty()) {
    size_t end = line.find("; ");
    std::string_view part = line.substr(0, end);
    line = end == std::string_view::npos ? "" : line.substr(end + 2);
    size_t eq = part.find('=');
    std::string key(part.substr(0, eq));
    std::string value(eq == std::string_view::npos ? "" : part.substr(eq + 1));
    if (first) {
      out.name = key;
      out.value = value;
      first = false;
      continue;
    }
    for (auto& c : key) c = static_cast<char>(std::tolower(c));
    out.attributes[key] = value;
  }
  return out;
}

// The attributes that identify a cookie and must match between set and
// clear (F5): everything except value, Max-Age and Expires.
std::map<std::string, std::string> Identity(const ParsedSetCookie& c) {
  auto attrs = c.attributes;
  attrs.erase("max-age");
  attrs.erase("expires");
  attrs["name"] = c.name;
  return attrs;
}

CookieSettings Production() {
  CookieSettings s;
  s.domain = ".example.com";
  s.secure = true;
  s.same_site = SameSite::kLax;
  return s;
}

TEST(CookiePolicyTest, SetsBothCookiesWithPolicyAttributesAndLifetimes) {
  CookiePolicy policy(Production());
  auto lines = policy.SetAuthCookies("acc", minutes(15), "ref", days(30));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "access_token=acc; Path=/; Domain=.example.com; Max-Age=900; "
            "HttpOnly; Secure; SameSite=Lax");
  EXPECT_EQ(lines[1],
            "refresh_token=ref; Path=/; Domain=.example.com; Max-Age=2592000; "
            "HttpOnly; Secure; SameSite=Lax");
}

// F5: a clear with different attributes than the set is ignored by
// browsers; the policy must reuse the exact identity.
TEST(CookiePolicyTest, F5_ClearRepeatsTheExactAttributesOfSet) {
  for (SameSite same_site :
       {SameSite::kStrict, SameSite::kLax, SameSite::kNone}) {
    for (std::string domain : {"", ".example.com", "api.example.com"}) {
      CookieSettings settings = Production();
      settings.domain = domain;
      settings.same_site = same_site;
      settings.access_name = "__Secure-at";
      CookiePolicy policy(settings);
      auto set = policy.SetAuthCookies("a", minutes(15), "r", days(30));
      auto clear = policy.ClearAuthCookies();
      ASSERT_EQ(set.size(), clear.size());
      for (size_t i = 0; i < set.size(); ++i) {
        ParsedSetCookie s = Parse(set[i]);
        ParsedSetCookie c = Parse(clear[i]);
        EXPECT_EQ(Identity(s), Identity(c)) << set[i] << "\n" << clear[i];
        EXPECT_EQ(c.value, "");
        EXPECT_EQ(c.attributes["max-age"], "0");
        EXPECT_EQ(c.attributes["expires"], "Thu, 01 Jan 1970 00:00:00 GMT");
        EXPECT_EQ(s.attributes.count("domain"), domain.empty() ? 0u : 1u);
      }
    }
  }
}

TEST(CookiePolicyTest, DevCookiesAreHostOnlyAndNotSecure) {
  CookieSettings dev;
  dev.secure = false;
  CookiePolicy policy(dev);
  auto lines = policy.SetAuthCookies("a", minutes(15), "r", days(30));
  EXPECT_EQ(lines[0],
            "access_token=a; Path=/; Max-Age=900; HttpOnly; SameSite=Lax");
}

// F10: after a Domain change, every Set-Cookie response also deletes the
// same names on the old Domains, including host-only, but never the
// (Name, Domain) pair being set.
TEST(CookiePolicyTest, F10_ClearsOldDomainVariantsButNotTheCurrentOne) {
  CookieSettings settings = Production();
  settings.old_domains = {kHostOnly, "old.example.com", "Example.com",
                          "old.example.com"};
  CookiePolicy policy(settings);
  auto lines = policy.SetAuthCookies("a", minutes(15), "r", days(30));
  // 2 set + 2 × (host-only, old.example.com); "Example.com" is the current
  // Domain spelled differently and the duplicate is dropped.
  ASSERT_EQ(lines.size(), 6u);
  ParsedSetCookie host_only = Parse(lines[2]);
  EXPECT_EQ(host_only.name, "access_token");
  EXPECT_EQ(host_only.attributes.count("domain"), 0u);
  EXPECT_EQ(host_only.attributes["max-age"], "0");
  EXPECT_EQ(Parse(lines[4]).attributes["domain"], "old.example.com");
  EXPECT_EQ(policy.ClearAuthCookies().size(), 6u);
}

TEST(CookieValuesTest, ReturnsEveryValueOfTheName) {
  auto values = CookieValues(
      "theme=dark; refresh_token=old; access_token=a1;refresh_token=\"new\"; "
      "refresh_token=; x",
      "refresh_token");
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0], "old");
  EXPECT_EQ(values[1], "new");
  EXPECT_TRUE(CookieValues("", "a").empty());
  EXPECT_TRUE(CookieValues(";;; =; ==", "a").empty());
  EXPECT_TRUE(CookieValues("access_token_x=1", "access_token").empty());
}

TEST(SameSiteTest, ParsesCaseInsensitively) {
  EXPECT_EQ(ParseSameSite("none"), SameSite::kNone);
  EXPECT_EQ(ParseSameSite("STRICT"), SameSite::kStrict);
  EXPECT_FALSE(ParseSameSite("relaxed").has_value());
}

}  // namespace
}  // namespace gatehouse
