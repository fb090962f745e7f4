#include "http/handlers/check_handlers.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "testing/handler_fixture.h"

namespace gatehouse {
namespace {

using std::chrono::minutes;

// The rules of SPEC §7's example (testing/testdata/guard.toml).
GuardPolicy SpecPolicy() {
  GuardRules rules;
  rules.login_path = "/auth";
  rules.landing_path = "/admin";
  rules.public_prefixes = {"/auth", "/_next", "/favicon.ico"};
  rules.rules = {{"/admin", {"admin"}}, {"/teacher", {"admin", "teacher"}}};
  auto policy = GuardPolicy::Create(std::move(rules));
  EXPECT_TRUE(policy.ok()) << policy.error().message;
  return std::move(policy).value();
}

class CheckHandlersTest : public testkit::HandlerTest {
 protected:
  // The check for `uri` as a proxy asks it: the original method and URI
  // in X-Forwarded-*, the browser's cookies (if any) and its agent.
  // `query` is the check's own ("?redirect=1").
  Request CheckRequest(const std::string& uri, const std::string& cookies = "",
                       const std::string& agent = "browser",
                       const std::string& query = "") {
    Headers headers = {{"X-Forwarded-Method", "GET"},
                       {"X-Forwarded-Uri", uri},
                       {"User-Agent", agent}};
    if (!cookies.empty()) headers.emplace_back("Cookie", cookies);
    return MakeRequest(bhttp::verb::get, std::string(kRouteCheck) + query,
                       headers);
  }

  Response Check(const Request& req) { return handlers_.Check(ContextOf(req)); }

  // The cookies of a browser signed in as `email`.
  std::string SignedIn(const std::string& email) {
    IssuedSession issued = Issue(email);
    return CookieHeader(issued.access_token, issued.refresh_token);
  }

  // Every X-Auth-Set-Cookie-<n> of `res`, n = 1.., in order.
  static std::vector<std::string> NumberedSetCookies(const Response& res) {
    std::vector<std::string> out;
    for (int n = 1;; ++n) {
      auto it = res.find(kNumberedSetCookiePrefix + std::to_string(n));
      if (it == res.end()) return out;
      out.emplace_back(it->value());
    }
  }

  GuardPolicy policy_ = SpecPolicy();
  RedirectLoopBreaker breaker_;
  CheckHandlers handlers_{request_auth_, &policy_, breaker_, clock_};
};

TEST_F(CheckHandlersTest, AllowedWithTheIdentityForTheUpstream) {
  User admin = NewUser("ada@example.test", "admin");
  IssuedSession issued = Issue("ada@example.test");
  Response res = Check(CheckRequest("/admin/reports?year=2026",
                                    CookieHeader(issued.access_token, "")));
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  EXPECT_EQ(res["X-Auth-User-Id"], admin.id);
  EXPECT_EQ(res["X-Auth-Email"], "ada@example.test");
  EXPECT_EQ(res["X-Auth-Role"], "admin");
  EXPECT_EQ(res["X-Auth-Session-Id"], issued.session.id);
  EXPECT_TRUE(SetCookieLines(res).empty()) << "nothing to refresh";
  EXPECT_TRUE(NumberedSetCookies(res).empty());
}

// nginx's auth_request sends X-Original-URI; Traefik and Caddy send
// X-Forwarded-Uri, which wins when both are there.
TEST_F(CheckHandlersTest, ReadsXOriginalUriWhenNoXForwardedUri) {
  NewUser("ida@example.test", "teacher");
  std::string cookies = SignedIn("ida@example.test");
  Request original = MakeRequest(bhttp::verb::get, kRouteCheck,
                                 {{"X-Original-Method", "GET"},
                                  {"X-Original-URI", "/admin"},
                                  {"Cookie", cookies}});
  EXPECT_EQ(Check(original).result(), bhttp::status::forbidden);
  Request both = MakeRequest(bhttp::verb::get, kRouteCheck,
                             {{"X-Forwarded-Uri", "/teacher/plan"},
                              {"X-Original-URI", "/admin"},
                              {"Cookie", cookies}});
  EXPECT_EQ(Check(both).result(), bhttp::status::ok);
}

TEST_F(CheckHandlersTest, OpenPagesAreAllowedWithoutIdentity) {
  for (const char* uri : {"/about", "/auth", "/_next/app.js", "/"}) {
    Response res = Check(CheckRequest(uri));
    EXPECT_EQ(res.result(), bhttp::status::ok) << uri;
    for (const auto& field : res) {
      EXPECT_NE(std::string(field.name_string()).rfind("X-Auth-", 0), 0u)
          << uri << ": " << field.name_string();
    }
  }
}

TEST_F(CheckHandlersTest, SignedOutGets401WithTheReasonAndTheLoginRedirect) {
  Response res = Check(CheckRequest("/admin/reports?year=2026"));
  EXPECT_EQ(res.result(), bhttp::status::unauthorized);
  EXPECT_EQ(Code(res), "ACCESS_TOKEN_MISSING");
  EXPECT_EQ(Message(res), "no access token");
  EXPECT_EQ(res[kAuthRedirectHeader],
            "/auth?next=%2Fadmin%2Freports%3Fyear%3D2026");
  EXPECT_TRUE(SetCookieLines(res).empty());

  // Traefik and Caddy pass the answer to the browser as it is: a real
  // redirect.
  Response redirect =
      Check(CheckRequest("/teacher/plan", "", "other-browser", "?redirect=1"));
  EXPECT_EQ(redirect.result(), bhttp::status::found);
  EXPECT_EQ(redirect[bhttp::field::location], "/auth?next=%2Fteacher%2Fplan");
}

TEST_F(CheckHandlersTest, AnExpiredAccessTokenWithoutRefreshCookieIs401) {
  NewUser("bea@example.test", "admin");
  IssuedSession issued = Issue("bea@example.test");
  clock_.Advance(minutes(15));
  Response res =
      Check(CheckRequest("/admin", CookieHeader(issued.access_token, "")));
  EXPECT_EQ(res.result(), bhttp::status::unauthorized);
  EXPECT_EQ(res[kAuthRedirectHeader], "/auth?next=%2Fadmin");
  EXPECT_TRUE(SetCookieLines(res).empty());
}

TEST_F(CheckHandlersTest, WrongRoleGets403WithoutRedirect) {
  NewUser("uli@example.test");
  NewUser("tea@example.test", "teacher");
  std::string user = SignedIn("uli@example.test");
  std::string teacher = SignedIn("tea@example.test");

  Response res = Check(CheckRequest("/admin", user));
  EXPECT_EQ(res.result(), bhttp::status::forbidden);
  EXPECT_EQ(Code(res), "FORBIDDEN");
  EXPECT_EQ(res.find(kAuthRedirectHeader), res.end());
  EXPECT_EQ(res.find("X-Auth-User-Id"), res.end());
  EXPECT_EQ(Check(CheckRequest("/teacher", user)).result(),
            bhttp::status::forbidden);
  EXPECT_EQ(Check(CheckRequest("/teacher/plan", teacher)).result(),
            bhttp::status::ok);
  EXPECT_EQ(Check(CheckRequest("/admin", teacher)).result(),
            bhttp::status::forbidden);
}

// F8: only a valid session is sent away from the login page.
TEST_F(CheckHandlersTest, SignedInOnTheLoginPathGoesToTheLandingPath) {
  NewUser("cid@example.test", "admin");
  std::string cookies = SignedIn("cid@example.test");
  Response res = Check(CheckRequest("/auth", cookies));
  EXPECT_EQ(res.result(), bhttp::status::forbidden);
  EXPECT_EQ(res[kAuthRedirectHeader], "/admin");
  Response redirect =
      Check(CheckRequest("/auth", cookies, "browser", "?redirect=1"));
  EXPECT_EQ(redirect.result(), bhttp::status::found);
  EXPECT_EQ(redirect[bhttp::field::location], "/admin");

  Response stale = Check(CheckRequest("/auth", "access_token=not.a.jwt"));
  EXPECT_EQ(stale.result(), bhttp::status::ok)
      << "a cookie that merely exists is no session";
}

// The silent refresh at the edge: an expired access token and a usable
// refresh cookie let the request through, and both new cookies go back,
// also numbered for nginx, which passes on only the first Set-Cookie.
TEST_F(CheckHandlersTest, EdgeRefreshPassesBothNewCookies) {
  User admin = NewUser("dee@example.test", "admin");
  IssuedSession issued = Issue("dee@example.test");
  clock_.Advance(minutes(16));
  Response res = Check(CheckRequest(
      "/admin", CookieHeader(issued.access_token, issued.refresh_token)));
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  EXPECT_EQ(res["X-Auth-User-Id"], admin.id);
  EXPECT_EQ(res["X-Auth-Session-Id"], issued.session.id);

  std::vector<ParsedSetCookie> set = SetCookies(res);
  ASSERT_EQ(set.size(), 4u) << "both cookies, then both host-only clears";
  EXPECT_EQ(set[0].name, "access_token");
  EXPECT_EQ(set[1].name, "refresh_token");
  EXPECT_NE(set[1].value, issued.refresh_token) << "rotated";
  EXPECT_EQ(SetCookieLines(res),
            cookies_.SetAuthCookies(set[0].value, minutes(15), set[1].value,
                                    auth_->settings().refresh_ttl));
  EXPECT_EQ(NumberedSetCookies(res), SetCookieLines(res));
  auto identity = auth_->Authenticate({set[0].value});
  ASSERT_TRUE(identity.ok()) << identity.error().message;
  EXPECT_EQ(identity->session_id, issued.session.id);

  // Only the refresh cookie left (the browser dropped the expired access
  // cookie): the same.
  clock_.Advance(minutes(16));
  Response again =
      Check(CheckRequest("/admin", CookieHeader("", set[1].value)));
  ASSERT_EQ(again.result(), bhttp::status::ok) << again.body();
  EXPECT_EQ(SetCookies(again).size(), 4u);
}

// F8: an unusable refresh token sends the browser to sign-in and clears
// both cookies in the same answer, so nothing bounces on them.
TEST_F(CheckHandlersTest, F8_InvalidRefreshClearsBothCookies) {
  for (const char* uri : {"/admin/reports", "/auth"}) {
    Response res = Check(CheckRequest(
        uri, CookieHeader("expired.or.forged", std::string(43, 'A')),
        std::string("browser at ") + uri));
    EXPECT_EQ(SetCookieLines(res), cookies_.ClearAuthCookies()) << uri;
    EXPECT_EQ(NumberedSetCookies(res), cookies_.ClearAuthCookies()) << uri;
    for (const ParsedSetCookie& c : SetCookies(res))
      EXPECT_TRUE(IsDeletion(c, clock_.Now())) << uri << ": " << c.name;
  }
  Response guarded =
      Check(CheckRequest("/admin/reports", CookieHeader("", "unknown-token")));
  EXPECT_EQ(guarded.result(), bhttp::status::unauthorized);
  EXPECT_EQ(guarded[kAuthRedirectHeader], "/auth?next=%2Fadmin%2Freports");
  Response login_page =
      Check(CheckRequest("/auth", CookieHeader("", "unknown-token")));
  EXPECT_EQ(login_page.result(), bhttp::status::ok) << "the login page loads";
  EXPECT_EQ(login_page.find(kAuthRedirectHeader), login_page.end());
}

// A browser sent to sign-in again and again is let through to the login
// page with a reason, and every auth cookie is cleared.
TEST_F(CheckHandlersTest, ALoginRedirectLoopIsBroken) {
  Request req = CheckRequest("/admin", "access_token=looping", "looping");
  for (int i = 1; i < kLoginRedirectLoopCount; ++i) {
    Response res = Check(req);
    EXPECT_EQ(res[kAuthRedirectHeader], "/auth?next=%2Fadmin") << i;
    EXPECT_TRUE(SetCookieLines(res).empty()) << i;
  }
  Response broken = Check(req);
  EXPECT_EQ(broken[kAuthRedirectHeader], "/auth?reason=redirect-loop");
  EXPECT_EQ(SetCookieLines(broken), cookies_.ClearAuthCookies());
  EXPECT_EQ(
      Check(CheckRequest("/admin", "", "another browser"))[kAuthRedirectHeader],
      "/auth?next=%2Fadmin")
      << "counted per browser";
}

TEST_F(CheckHandlersTest, AnUnreadablePathIsDenied) {
  NewUser("eva@example.test", "admin");
  Response res = Check(
      CheckRequest("/auth%252f..%252fadmin", SignedIn("eva@example.test")));
  EXPECT_EQ(res.result(), bhttp::status::forbidden);
  EXPECT_EQ(Code(res), "FORBIDDEN");
  EXPECT_EQ(res.find("X-Auth-User-Id"), res.end());
}

// Without a revocation view the network thread answers only what needs
// no database: signed out with no refresh cookie. A valid token (a session
// to look up) or a refresh cookie (a rotation) goes to the storage pool.
TEST_F(CheckHandlersTest, TheInlineCheckAnswersOnlyWithoutTheDatabase) {
  NewUser("fox@example.test", "admin");
  IssuedSession issued = Issue("fox@example.test");

  Request anonymous = CheckRequest("/admin");
  std::optional<Response> inline_answer =
      handlers_.TryCheckInline(ContextOf(anonymous));
  ASSERT_TRUE(inline_answer.has_value());
  EXPECT_EQ(inline_answer->result(), bhttp::status::unauthorized);
  EXPECT_EQ((*inline_answer)[kAuthRedirectHeader], "/auth?next=%2Fadmin");

  Request signed_in =
      CheckRequest("/admin", CookieHeader(issued.access_token, ""));
  EXPECT_FALSE(handlers_.TryCheckInline(ContextOf(signed_in)).has_value());
  Request refreshable =
      CheckRequest("/admin", CookieHeader("", issued.refresh_token));
  EXPECT_FALSE(handlers_.TryCheckInline(ContextOf(refreshable)).has_value());
}

// Without [guard] rules every path needs a valid session, and there is no
// login path to send anyone to.
class CheckHandlersWithoutRulesTest : public testkit::HandlerTest {
 protected:
  RedirectLoopBreaker breaker_;
  CheckHandlers handlers_{request_auth_, nullptr, breaker_, clock_};
};

TEST_F(CheckHandlersWithoutRulesTest, EveryPathNeedsASession) {
  NewUser("gil@example.test");
  IssuedSession issued = Issue("gil@example.test");
  Request anonymous = MakeRequest(bhttp::verb::get, kRouteCheck,
                                  {{"X-Forwarded-Uri", "/about"}});
  Response res = handlers_.Check(ContextOf(anonymous));
  EXPECT_EQ(res.result(), bhttp::status::unauthorized);
  EXPECT_EQ(Code(res), "ACCESS_TOKEN_MISSING");
  EXPECT_EQ(res.find(kAuthRedirectHeader), res.end());
  Request signed_in =
      MakeRequest(bhttp::verb::get, kRouteCheck,
                  {{"X-Forwarded-Uri", "/admin"},
                   {"Cookie", CookieHeader(issued.access_token, "")}});
  Response allowed = handlers_.Check(ContextOf(signed_in));
  EXPECT_EQ(allowed.result(), bhttp::status::ok);
  EXPECT_EQ(allowed["X-Auth-Email"], "gil@example.test");
}

}  // namespace
}  // namespace gatehouse
