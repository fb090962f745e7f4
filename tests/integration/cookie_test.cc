// Black-box tests of the cookies the real binary sets and clears: F5, and
// the multiple-cookie handling of F10.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "tests/integration/api_fixture.h"

namespace gatehouse::testkit {
namespace {

// The Set-Cookie `line` as a browser reads it (core's parser); fails the
// test if a browser would ignore it.
ParsedSetCookie Parse(const std::string& line) {
  std::optional<ParsedSetCookie> cookie = ParseSetCookie(line);
  EXPECT_TRUE(cookie.has_value()) << line;
  return cookie.value_or(ParsedSetCookie());
}

// "Domain: .a (expected) vs .b (actual); ..." for a failure message.
std::string Describe(const std::vector<AttributeMismatch>& mismatches) {
  std::string out;
  for (const AttributeMismatch& m : mismatches) {
    out += m.attribute + ": " + m.expected + " (expected) vs " + m.actual +
           " (actual); ";
  }
  return out;
}

class CookieTest : public ApiTest {
 protected:
  ServerOptions Options() override {
    ServerOptions options = ApiTest::Options();
    options.env["GATEHOUSE_COOKIE_DOMAIN"] = ".example.test";
    options.env["GATEHOUSE_COOKIE_SAMESITE"] = "Strict";
    options.env["GATEHOUSE_COOKIE_OLD_DOMAINS"] = "host-only";
    return options;
  }
};

// F5: a clear whose attributes differ from the set is ignored by browsers.
TEST_F(CookieTest, F5_ClearingRepeatsTheAttributesOfSetting) {
  Register("nia@example.test");
  CookieJar jar;
  HttpResult login = Login(jar, "nia@example.test");
  ASSERT_EQ(login.status, 200);
  HttpResult logout = Call("POST", "/api/v1/auth/logout", "", &jar);
  ASSERT_EQ(logout.status, 200);
  ASSERT_EQ(login.set_cookies.size(), logout.set_cookies.size());
  const Time now =
      std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  for (size_t i = 0; i < login.set_cookies.size(); ++i) {
    ParsedSetCookie set = Parse(login.set_cookies[i]);
    ParsedSetCookie clear = Parse(logout.set_cookies[i]);
    EXPECT_EQ(set.name, clear.name);
    // Same Domain, Path, Secure, HttpOnly and SameSite; empty value,
    // Max-Age=0 and an Expires in the past.
    std::vector<AttributeMismatch> mismatches =
        ClearingMismatches(set, clear, now);
    EXPECT_TRUE(mismatches.empty()) << Describe(mismatches) << "\n"
                                    << login.set_cookies[i] << "\n"
                                    << logout.set_cookies[i];
    EXPECT_EQ(clear.value, "");
    EXPECT_EQ(clear.max_age_seconds, 0);
    EXPECT_EQ(clear.expires, Time()) << "Thu, 01 Jan 1970 00:00:00 GMT";
  }
  ParsedSetCookie access = Parse(login.set_cookies[0]);
  EXPECT_EQ(access.name, "access_token");
  EXPECT_EQ(access.domain, "example.test");
  EXPECT_NE(login.set_cookies[0].find("; Domain=.example.test;"),
            std::string::npos)
      << "the Domain as configured: " << login.set_cookies[0];
  EXPECT_EQ(access.same_site, SameSite::kStrict);
  EXPECT_EQ(access.path, "/");
  EXPECT_TRUE(access.http_only);
  EXPECT_EQ(access.max_age_seconds, 900);
}

// F10: after a move from host-only cookies to Domain=.example.test the
// browser sends both; the valid one is used and the stale one cleared.
TEST_F(CookieTest, F10_StaleSameNameCookiesAreSkippedAndCleared) {
  Register("oli@example.test");
  CookieJar jar;
  HttpResult login = Login(jar, "oli@example.test");
  ASSERT_EQ(login.status, 200);
  // Login also clears the host-only variants.
  int host_only_clears = 0;
  for (const auto& line : login.set_cookies) {
    ParsedSetCookie c = Parse(line);
    if (!c.domain && c.max_age_seconds == 0) ++host_only_clears;
  }
  EXPECT_EQ(host_only_clears, 2);

  // A stale host-only pair from before the move, listed first.
  CookieJar browser;
  browser.Set("access_token", "stale.access.token", "");
  browser.Set("refresh_token", "STALEstaleSTALEstaleSTALEstaleSTALEstale123",
              "");
  browser.Set("access_token", jar.Get("access_token"), "example.test");
  browser.Set("refresh_token", jar.Get("refresh_token"), "example.test");
  EXPECT_EQ(Me(browser).status, 200);
  HttpResult refresh = Refresh(browser);
  ASSERT_EQ(refresh.status, 200) << refresh.body;
  EXPECT_EQ(browser.size(), 2u)
      << "the stale pair was cleared: " << browser.CookieHeader();
  EXPECT_EQ(Me(browser).status, 200);
}

// F10 end to end: a deployment moves from host-only cookies to
// Domain=.example.test (listing host-only among the old domains). Browsers
// signed in before the move are not signed out, are moved over at their
// next refresh, and the edge guard never sends them round in a loop.
class CookieMigrationTest : public ApiTest {
 protected:
  ServerOptions Options() override {
    ServerOptions options = ApiTest::Options();
    options.env["GATEHOUSE_CONFIG"] = SpecGuardToml().string();
    if (moved_) {
      options.env["GATEHOUSE_COOKIE_DOMAIN"] = ".example.test";
      options.env["GATEHOUSE_COOKIE_OLD_DOMAINS"] = "host-only";
    }
    return options;
  }

  void MoveToDomainCookies() {
    moved_ = true;
    StartServer();
  }

  HttpResult Check(const std::string& uri, CookieJar& jar) {
    return Call("GET", "/api/v1/auth/check", "", &jar,
                {{"X-Original-Method", "GET"}, {"X-Original-URI", uri}});
  }

  static bool OnlyDomainCookies(const CookieJar& jar) {
    return jar.size() == 2 && jar.Has("access_token", "example.test") &&
           jar.Has("refresh_token", "example.test");
  }

  bool moved_ = false;
};

TEST_F(CookieMigrationTest, F10_MovingToADomainSignsNobodyOutAndNeverLoops) {
  Register("max@example.test");
  SetRole("max@example.test", "admin");
  CookieJar active, idle, ended;
  ASSERT_EQ(Login(active, "max@example.test").status, 200);
  ASSERT_EQ(Login(idle, "max@example.test").status, 200);
  ASSERT_EQ(Login(ended, "max@example.test").status, 200);
  // A pair whose session has ended: what a stale cookie holds.
  const std::string ended_access = ended.Get("access_token");
  const std::string ended_refresh = ended.Get("refresh_token");
  ASSERT_EQ(Call("POST", "/api/v1/auth/logout", "", &ended).status, 200);
  ASSERT_TRUE(active.Has("access_token", "") && idle.Has("refresh_token", ""))
      << "host-only before the move: " << active.CookieHeader();
  // The idle browser's access cookie expires and is dropped meanwhile.
  std::string idle_refresh = idle.Get("refresh_token");
  idle = CookieJar();
  idle.Set("refresh_token", idle_refresh, "");

  MoveToDomainCookies();

  // A browser with a live host-only access cookie: still signed in, moved
  // over by its next refresh, the host-only pair cleared.
  EXPECT_EQ(Me(active).status, 200);
  ASSERT_EQ(Refresh(active).status, 200);
  EXPECT_TRUE(OnlyDomainCookies(active)) << active.CookieHeader();
  EXPECT_EQ(Me(active).status, 200);

  // A browser with only its old host-only refresh cookie, at the edge: the
  // guard refreshes it onto the new Domain and lets it through, every time.
  HttpResult first = Check("/admin", idle);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(OnlyDomainCookies(idle)) << idle.CookieHeader();
  for (int i = 0; i < 5; ++i) {
    HttpResult again = Check("/admin", idle);
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.Header("X-Auth-Redirect"), "");
  }
  // On the login page it is a signed-in user: sent on to the landing
  // page, which lets it in.
  HttpResult login_page = Check("/auth", idle);
  EXPECT_EQ(login_page.Header("X-Auth-Redirect"), "/admin");
  EXPECT_EQ(Check("/admin", idle).status, 200);

  // A browser that still holds a host-only pair of an ended session beside
  // the new pair sends both, the stale one first (it is the older): the
  // valid pair wins (reading only the first would sign it out), and the
  // stale one goes.
  CookieJar both;
  both.Set("access_token", ended_access, "");
  both.Set("refresh_token", ended_refresh, "");
  both.Set("access_token", idle.Get("access_token"), "example.test");
  both.Set("refresh_token", idle.Get("refresh_token"), "example.test");
  EXPECT_EQ(Check("/admin", both).status, 200);
  ASSERT_EQ(Refresh(both).status, 200);
  EXPECT_TRUE(OnlyDomainCookies(both)) << both.CookieHeader();
  EXPECT_EQ(Me(both).status, 200);
}

}  // namespace
}  // namespace gatehouse::testkit
