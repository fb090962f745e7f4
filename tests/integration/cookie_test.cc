// Black-box tests of the cookies the real binary sets and clears: F5, and
// the multiple-cookie handling of F10.
#include <gtest/gtest.h>

#include "tests/integration/api_fixture.h"

namespace gatehouse::testing {
namespace {

// Everything that identifies a cookie to a browser: all but value,
// Max-Age and Expires.
std::map<std::string, std::string> Identity(const SetCookie& c) {
  auto attrs = c.attributes;
  attrs.erase("max-age");
  attrs.erase("expires");
  attrs["name"] = c.name;
  return attrs;
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
  for (size_t i = 0; i < login.set_cookies.size(); ++i) {
    SetCookie set = ParseSetCookie(login.set_cookies[i]);
    SetCookie clear = ParseSetCookie(logout.set_cookies[i]);
    EXPECT_EQ(Identity(set), Identity(clear)) << login.set_cookies[i] << "\n"
                                              << logout.set_cookies[i];
    EXPECT_EQ(clear.value, "");
    EXPECT_EQ(clear.attributes["max-age"], "0");
    EXPECT_EQ(clear.attributes["expires"], "Thu, 01 Jan 1970 00:00:00 GMT");
  }
  SetCookie access = ParseSetCookie(login.set_cookies[0]);
  EXPECT_EQ(access.name, "access_token");
  EXPECT_EQ(access.attributes["domain"], ".example.test");
  EXPECT_EQ(access.attributes["samesite"], "Strict");
  EXPECT_EQ(access.attributes["path"], "/");
  EXPECT_TRUE(access.attributes.count("httponly"));
  EXPECT_EQ(access.attributes["max-age"], "900");
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
    SetCookie c = ParseSetCookie(line);
    if (!c.attributes.count("domain") && c.attributes["max-age"] == "0")
      ++host_only_clears;
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

}  // namespace
}  // namespace gatehouse::testing
