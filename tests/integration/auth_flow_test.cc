// Black-box tests of sign-in, rotation and sign-out against the real
// binary: the field failures F1, F2, F3, F5, F8 and F9 of SPEC §1.
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <thread>

#include "core/base64url.h"
#include "tests/integration/api_fixture.h"

namespace gatehouse::testkit {
namespace {

std::string SessionIdOf(const HttpResult& r) {
  return std::string(r.Json().at("data").at("session").at("id").as_string());
}

class AuthFlowTest : public ApiTest {};

TEST_F(AuthFlowTest, RegisterLoginMeRefreshLogout) {
  Register("ada@example.test");
  CookieJar jar;
  HttpResult login = Login(jar, "ADA@example.test");
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(login.Json().at("data").at("user").at("email"), "ada@example.test");
  EXPECT_EQ(login.set_cookies.size(), 2u);
  EXPECT_FALSE(jar.Get("access_token").empty());
  EXPECT_EQ(jar.Get("refresh_token").size(), 43u);

  HttpResult me = Me(jar);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json().at("data").at("session_id").as_string(),
            SessionIdOf(login));

  HttpResult refresh = Refresh(jar);
  ASSERT_EQ(refresh.status, 200) << refresh.body;
  EXPECT_EQ(SessionIdOf(refresh), SessionIdOf(login));

  HttpResult logout = Call("POST", "/api/v1/auth/logout", "", &jar);
  EXPECT_EQ(logout.status, 200);
  EXPECT_EQ(jar.size(), 0u);
  EXPECT_EQ(Call("POST", "/api/v1/auth/logout", "", &jar).status, 200)
      << "logging out twice is fine";
}

TEST_F(AuthFlowTest, WrongPasswordAndUnknownEmailLookTheSame) {
  Register("bob@example.test");
  CookieJar jar;
  HttpResult wrong = Login(jar, "bob@example.test", "not the password");
  HttpResult unknown = Login(jar, "nobody@example.test", "not the password");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.status, unknown.status);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(wrong.Code(), "INVALID_CREDENTIALS");
  EXPECT_TRUE(wrong.set_cookies.empty());
}

// F1: signing in on one browser must not sign out the others.
TEST_F(AuthFlowTest, F1_LoginTouchesNoOtherSession) {
  Register("carol@example.test");
  CookieJar laptop, phone;
  ASSERT_EQ(Login(laptop, "carol@example.test").status, 200);
  ASSERT_EQ(Login(phone, "carol@example.test").status, 200);
  EXPECT_EQ(Me(laptop).status, 200);
  EXPECT_EQ(Refresh(laptop).status, 200);
  EXPECT_EQ(Me(phone).status, 200);

  // Signing in again on the laptop replaces the laptop's own session only.
  CookieJar old_laptop = laptop;
  ASSERT_EQ(Login(laptop, "carol@example.test").status, 200);
  EXPECT_EQ(Me(old_laptop).Code(), "SESSION_REVOKED");
  EXPECT_EQ(Me(laptop).status, 200);
  EXPECT_EQ(Me(phone).status, 200);
  EXPECT_EQ(Refresh(phone).status, 200);
}

// F2: every refresh token belongs to a session that can be revoked alone.
TEST_F(AuthFlowTest, F2_RefreshTokensBelongToSessionsRevokedAlone) {
  Register("dan@example.test");
  CookieJar a, b;
  HttpResult login_a = Login(a, "dan@example.test");
  HttpResult login_b = Login(b, "dan@example.test");
  ASSERT_EQ(login_a.status, 200);
  ASSERT_EQ(login_b.status, 200);
  EXPECT_NE(SessionIdOf(login_a), SessionIdOf(login_b));
  HttpResult rotated = Refresh(a);
  ASSERT_EQ(rotated.status, 200);
  EXPECT_EQ(SessionIdOf(rotated), SessionIdOf(login_a))
      << "rotation keeps the session";

  CookieJar a_copy = a;
  ASSERT_EQ(Call("POST", "/api/v1/auth/logout", "", &a).status, 200);
  EXPECT_EQ(Refresh(a_copy).Code(), "INVALID_REFRESH_TOKEN");
  EXPECT_EQ(Refresh(b).status, 200);
  EXPECT_EQ(Me(b).status, 200);
}

// F3: after rotation the cookies carry the new tokens, never the old.
TEST_F(AuthFlowTest, F3_RotationSetsTheNewlyIssuedTokens) {
  Register("eve@example.test");
  CookieJar jar;
  ASSERT_EQ(Login(jar, "eve@example.test").status, 200);
  std::string old_access = jar.Get("access_token");
  std::string old_refresh = jar.Get("refresh_token");
  HttpResult r = Refresh(jar);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.set_cookies.size(), 2u);
  std::optional<ParsedSetCookie> access = ParseSetCookie(r.set_cookies[0]);
  std::optional<ParsedSetCookie> refresh = ParseSetCookie(r.set_cookies[1]);
  ASSERT_TRUE(access && refresh) << r.set_cookies[0] << "\n"
                                 << r.set_cookies[1];
  std::string new_access = access->value;
  std::string new_refresh = refresh->value;
  EXPECT_NE(new_access, old_access);
  EXPECT_NE(new_refresh, old_refresh);
  EXPECT_EQ(new_refresh.size(), 43u);
  // The new pair works on its own.
  CookieJar fresh;
  fresh.Set("access_token", new_access);
  fresh.Set("refresh_token", new_refresh);
  EXPECT_EQ(Me(fresh).status, 200);
  EXPECT_EQ(Refresh(fresh).status, 200);
}

// F8 (API half): an invalid refresh clears both cookies in the same
// response, so nothing can keep bouncing on a cookie that merely exists.
TEST_F(AuthFlowTest, F8_InvalidRefreshClearsBothCookies) {
  CookieJar jar;
  jar.Set("access_token", "garbage.jwt.value");
  jar.Set("refresh_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  HttpResult r = Refresh(jar);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Code(), "INVALID_REFRESH_TOKEN");
  std::set<std::string> cleared;
  for (const auto& line : r.set_cookies) {
    std::optional<ParsedSetCookie> c = ParseSetCookie(line);
    ASSERT_TRUE(c) << line;
    EXPECT_EQ(c->value, "");
    EXPECT_EQ(c->max_age_seconds, 0);
    cleared.insert(c->name);
  }
  EXPECT_EQ(cleared, (std::set<std::string>{"access_token", "refresh_token"}));
  EXPECT_EQ(jar.size(), 0u);

  CookieJar none;
  EXPECT_EQ(Refresh(none).Code(), "INVALID_REFRESH_TOKEN");
}

// F9: two tabs (or the middleware and the browser) refreshing with one
// token at once must not sign the user out; all racers get the same pair.
TEST_F(AuthFlowTest, F9_ParallelRefreshesWithOneTokenAllSucceed) {
  Register("fay@example.test");
  CookieJar jar;
  HttpResult login = Login(jar, "fay@example.test");
  ASSERT_EQ(login.status, 200);
  constexpr int kRacers = 8;
  std::vector<HttpResult> results(kRacers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRacers; ++i) {
    threads.emplace_back([&, i] {
      CookieJar tab = jar;  // every tab holds the same cookies
      results[i] = Refresh(tab);
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> refresh_tokens;
  for (const HttpResult& r : results) {
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(SessionIdOf(r), SessionIdOf(login));
    ASSERT_EQ(r.set_cookies.size(), 2u);
    std::optional<ParsedSetCookie> access = ParseSetCookie(r.set_cookies[0]);
    std::optional<ParsedSetCookie> refresh = ParseSetCookie(r.set_cookies[1]);
    ASSERT_TRUE(access && refresh) << r.set_cookies[0] << "\n"
                                   << r.set_cookies[1];
    refresh_tokens.insert(refresh->value);
    // Every access token handed out works.
    CookieJar tab;
    tab.Set("access_token", access->value);
    EXPECT_EQ(Me(tab).status, 200);
  }
  EXPECT_EQ(refresh_tokens.size(), 1u)
      << "racers converge on one refresh token";
  // Whichever response the browser kept, its pair keeps working.
  CookieJar browser;
  browser.Absorb(results[kRacers - 1]);
  EXPECT_EQ(Refresh(browser).status, 200);
  EXPECT_EQ(Me(browser).status, 200);
}

TEST_F(AuthFlowTest, RevokedSessionsAccessTokenIsRefusedAtOnce) {
  Register("gus@example.test");
  CookieJar jar;
  ASSERT_EQ(Login(jar, "gus@example.test").status, 200);
  std::string access = jar.Get("access_token");
  ASSERT_EQ(Call("POST", "/api/v1/auth/logout", "", &jar).status, 200);
  CookieJar stale;
  stale.Set("access_token", access);
  HttpResult me = Me(stale);
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(me.Code(), "SESSION_REVOKED");
  // The same through a bearer header.
  HttpResult bearer = Call("GET", "/api/v1/auth/me", "", nullptr,
                           {{"Authorization", "Bearer " + access}});
  EXPECT_EQ(bearer.Code(), "SESSION_REVOKED");
}

TEST_F(AuthFlowTest, LogoutAllEndsEverySessionOfTheUserOnly) {
  Register("hal@example.test");
  Register("ivy@example.test");
  CookieJar a, b, other;
  ASSERT_EQ(Login(a, "hal@example.test").status, 200);
  ASSERT_EQ(Login(b, "hal@example.test").status, 200);
  ASSERT_EQ(Login(other, "ivy@example.test").status, 200);
  CookieJar b_copy = b;
  HttpResult all = Call("POST", "/api/v1/auth/logout-all", "", &a);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.Json().at("data").at("revoked_sessions"), 2);
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(Me(b_copy).Code(), "SESSION_REVOKED");
  EXPECT_EQ(Refresh(b_copy).Code(), "INVALID_REFRESH_TOKEN");
  EXPECT_EQ(Me(other).status, 200);
}

TEST_F(AuthFlowTest, BearerTokenAuthenticatesWithoutCookies) {
  Register("jo@example.test");
  CookieJar jar;
  ASSERT_EQ(Login(jar, "jo@example.test").status, 200);
  HttpResult me =
      Call("GET", "/api/v1/auth/me", "", nullptr,
           {{"Authorization", "Bearer " + jar.Get("access_token")}});
  EXPECT_EQ(me.status, 200);
  CookieJar none;
  EXPECT_EQ(Me(none).Code(), "ACCESS_TOKEN_MISSING");
}

TEST_F(AuthFlowTest, JwksPublishesTheKeyThatSignsAccessTokens) {
  Register("kim@example.test");
  CookieJar jar;
  ASSERT_EQ(Login(jar, "kim@example.test").status, 200);
  HttpResult jwks = Call("GET", "/.well-known/jwks.json");
  ASSERT_EQ(jwks.status, 200);
  auto keys = jwks.Json().at("keys").as_array();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].at("alg"), "EdDSA");
  EXPECT_EQ(keys[0].at("crv"), "Ed25519");
  // The JWT header names that kid.
  std::string access = jar.Get("access_token");
  auto header = Base64UrlDecode(access.substr(0, access.find('.')));
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(boost::json::parse(*header).at("kid"), keys[0].at("kid"));
}

TEST_F(AuthFlowTest, SessionsAndKeysSurviveARestart) {
  Register("lee@example.test");
  CookieJar jar;
  ASSERT_EQ(Login(jar, "lee@example.test").status, 200);
  std::string jwks_before = Call("GET", "/.well-known/jwks.json").body;
  StartServer();
  EXPECT_EQ(Call("GET", "/.well-known/jwks.json").body, jwks_before);
  EXPECT_EQ(Me(jar).status, 200) << "the access token verifies after restart";
  EXPECT_EQ(Refresh(jar).status, 200);
  EXPECT_EQ(Me(jar).status, 200);
}

TEST_F(AuthFlowTest, HealthAndReadiness) {
  EXPECT_EQ(Call("GET", "/healthz").status, 200);
  EXPECT_EQ(Call("GET", "/readyz").status, 200);
}

// Reuse detection with a zero grace window, so no test has to wait for it
// to pass.
class ReuseDetectionTest : public ApiTest {
 protected:
  ServerOptions Options() override {
    ServerOptions options = ApiTest::Options();
    options.env["GATEHOUSE_REFRESH_GRACE"] = "0s";
    return options;
  }
};

TEST_F(ReuseDetectionTest, SupersededTokenAfterGraceRevokesTheSession) {
  Register("max@example.test");
  CookieJar jar;
  ASSERT_EQ(Login(jar, "max@example.test").status, 200);
  CookieJar thief = jar;
  ASSERT_EQ(Refresh(jar).status, 200);
  HttpResult replay = Refresh(thief);
  EXPECT_EQ(replay.status, 401);
  EXPECT_EQ(replay.Code(), "REFRESH_TOKEN_REUSED");
  EXPECT_EQ(thief.size(), 0u) << "cookies cleared";
  // The legitimate holder is signed out too: the stolen token cannot
  // outlive the next refresh.
  EXPECT_EQ(Me(jar).Code(), "SESSION_REVOKED");
  EXPECT_EQ(Refresh(jar).Code(), "INVALID_REFRESH_TOKEN");
}

}  // namespace
}  // namespace gatehouse::testkit
