// Black-box tests of GET /api/v1/auth/check, the forward-auth endpoint of
// the edge guard (SPEC §7, F8), with the rules of SPEC §7's example.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/integration/api_fixture.h"
#include "tests/integration/proxy_process.h"

namespace gatehouse::testkit {
namespace {

class CheckTest : public ApiTest {
 protected:
  ServerOptions Options() override {
    ServerOptions options = ApiTest::Options();
    options.env["GATEHOUSE_CONFIG"] = SpecGuardToml().string();
    return options;
  }

  // A forward-auth request as nginx sends it.
  HttpResult Check(const std::string& uri, CookieJar* jar,
                   const std::string& agent = "browser",
                   const std::string& query = "") {
    return Call("GET", "/api/v1/auth/check" + query, "", jar,
                {{"X-Original-Method", "GET"},
                 {"X-Original-URI", uri},
                 {"User-Agent", agent}});
  }

  void SignInAs(CookieJar& jar, const std::string& email,
                const std::string& role) {
    Register(email);
    if (role != "user") SetRole(email, role);
    ASSERT_EQ(Login(jar, email).status, 200);
  }
};

TEST_F(CheckTest, SignedOutUsersAreSentToLoginWithALocalNext) {
  CookieJar none;
  HttpResult admin = Check("/admin/reports?year=2026", &none);
  EXPECT_EQ(admin.status, 401);
  EXPECT_EQ(admin.Header("X-Auth-Redirect"),
            "/auth?next=%2Fadmin%2Freports%3Fyear%3D2026");
  EXPECT_EQ(Check("/_next/static/app.js", &none).status, 200) << "public";
  EXPECT_EQ(Check("/auth", &none).status, 200) << "the login page itself";
  EXPECT_EQ(Check("/about", &none).status, 200) << "covered by nothing: open";
  EXPECT_EQ(Check("/administrator", &none).status, 200)
      << "whole segments only";
  EXPECT_EQ(Check("/auth/../admin", &none).status, 401)
      << "normalised before matching";
  EXPECT_EQ(Check("/auth/%2e%2e/admin", &none).status, 401);
  EXPECT_EQ(Check("//admin", &none).status, 401);
}

// Finding 9: IIS and other Windows servers serve /admin for these, and a
// path encoded three times is past the depth the guard (and the Next.js
// middleware) decodes: neither may be open to the signed-out.
TEST_F(CheckTest, PathReadingsTheGuardMissedAreDenied) {
  CookieJar none;
  for (const char* uri : {"/admin.", "/admin%2e", "/admin%20", "/admin.%20",
                          "/admin./users", "/auth/..%20/admin"}) {
    HttpResult r = Check(uri, &none);
    EXPECT_EQ(r.status, 401) << uri;
    EXPECT_EQ(r.Header("X-Auth-Redirect").rfind("/auth?next=", 0), 0u)
        << uri << " -> " << r.Header("X-Auth-Redirect");
  }
  for (const char* uri : {"/auth/%25252e%25252e/admin", "/%252561dmin"}) {
    HttpResult r = Check(uri, &none);
    EXPECT_EQ(r.status, 403) << uri;
    EXPECT_EQ(r.Code(), "FORBIDDEN") << uri;
  }
  EXPECT_EQ(Check("/auth/%252e%252e/admin", &none).status, 401)
      << "twice is within the depth: read, and judged /admin";
  EXPECT_EQ(Check("/favicon.ico", &none).status, 200);
}

TEST_F(CheckTest, NextIsOnlyEverALocalPath) {
  CookieJar none;
  for (const char* uri :
       {"//evil.example/admin", "/admin//evil.example", "/\\evil.example",
        "/%2F%2Fevil.example", "/%5Cevil.example", "/admin/..%2f..%2fevil",
        "/admin?next=//evil.example", "/admin/%0d%0aLocation:evil"}) {
    HttpResult r = Check(uri, &none, "agent-" + std::string(uri));
    std::string redirect = r.Header("X-Auth-Redirect");
    if (r.status == 401) {
      EXPECT_EQ(redirect.rfind("/auth", 0), 0u) << uri << " -> " << redirect;
      EXPECT_EQ(redirect.find("//"), std::string::npos)
          << uri << " -> " << redirect;
      EXPECT_EQ(redirect.find('\\'), std::string::npos)
          << uri << " -> " << redirect;
    } else {
      // Open (no redirect at all), or unreadable and denied.
      EXPECT_TRUE(r.status == 200 || r.status == 403)
          << uri << ": " << r.status;
      EXPECT_TRUE(redirect.empty()) << uri << " -> " << redirect;
    }
  }
}

TEST_F(CheckTest, RolesDecideAndTheUpstreamLearnsWhoItIs) {
  CookieJar user, teacher, admin;
  SignInAs(user, "uli@example.test", "user");
  SignInAs(teacher, "tea@example.test", "teacher");
  SignInAs(admin, "ada@example.test", "admin");
  EXPECT_EQ(Check("/admin", &user).status, 403);
  EXPECT_EQ(Check("/admin", &user).Code(), "FORBIDDEN");
  EXPECT_EQ(Check("/teacher/x", &user).status, 403);
  EXPECT_EQ(Check("/teacher/x", &teacher).status, 200);
  EXPECT_EQ(Check("/admin", &teacher).status, 403);
  HttpResult ok = Check("/admin/users", &admin);
  ASSERT_EQ(ok.status, 200);
  EXPECT_EQ(ok.Header("X-Auth-Email"), "ada@example.test");
  EXPECT_EQ(ok.Header("X-Auth-Role"), "admin");
  EXPECT_FALSE(ok.Header("X-Auth-User-Id").empty());
  EXPECT_FALSE(ok.Header("X-Auth-Session-Id").empty());
  EXPECT_EQ(Check("/about", &user).Header("X-Auth-Email"), "uli@example.test");
}

// F8: a signed-in user on the login page goes to landing only when the
// session is valid, never on mere cookie presence.
TEST_F(CheckTest, F8_LoginPageSendsOnlyValidSessionsToLanding) {
  CookieJar admin;
  SignInAs(admin, "bea@example.test", "admin");
  HttpResult landing = Check("/auth", &admin);
  EXPECT_EQ(landing.status, 403);
  EXPECT_EQ(landing.Header("X-Auth-Redirect"), "/admin");
  HttpResult real = Check("/auth", &admin, "browser", "?redirect=1");
  EXPECT_EQ(real.status, 302);
  EXPECT_EQ(real.Header("Location"), "/admin");

  CookieJar stale;
  stale.Set("access_token", "expired.or.forged");
  stale.Set("refresh_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  HttpResult login_page = Check("/auth", &stale);
  EXPECT_EQ(login_page.status, 200) << "the login page loads";
  EXPECT_EQ(stale.size(), 0u) << "and the unusable cookies are cleared";
  CookieJar stale2;
  stale2.Set("refresh_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  HttpResult protected_page = Check("/admin", &stale2);
  EXPECT_EQ(protected_page.status, 401);
  EXPECT_EQ(stale2.size(), 0u)
      << "both cookies cleared with the redirect to login";
}

TEST_F(CheckTest, ExpiredAccessIsRefreshedAtTheEdge) {
  CookieJar admin;
  SignInAs(admin, "cid@example.test", "admin");
  CookieJar browser;  // the access cookie expired and the browser dropped it
  browser.Set("refresh_token", admin.Get("refresh_token"));
  HttpResult r = Check("/admin", &browser);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("X-Auth-Email"), "cid@example.test");
  ASSERT_GE(r.set_cookies.size(), 2u) << "both new cookies handed to the proxy";
  // Numbered copies for nginx, which keeps only one header of a name.
  EXPECT_EQ(r.Header("X-Auth-Set-Cookie-1"), r.set_cookies[0]);
  EXPECT_EQ(r.Header("X-Auth-Set-Cookie-2"), r.set_cookies[1]);
  EXPECT_NE(browser.Get("refresh_token"), admin.Get("refresh_token"));
  EXPECT_FALSE(browser.Get("access_token").empty());
  EXPECT_EQ(Me(browser).status, 200) << "the new cookies work";
}

TEST_F(CheckTest, RevokedSessionsAreSignedOutAtTheEdgeAtOnce) {
  CookieJar admin;
  SignInAs(admin, "dee@example.test", "admin");
  CookieJar copy = admin;
  ASSERT_EQ(Call("POST", "/api/v1/auth/logout", "", &admin).status, 200);
  EXPECT_EQ(Check("/admin", &copy).status, 401);
}

// The guard's hot path: a valid access token is checked against the
// in-memory revocation view, not the database (gatehouse_session_checks
// counts where each check went).
TEST_F(CheckTest, ValidTokensAreCheckedInMemoryNotInTheDatabase) {
  auto checks = [&](const std::string& source) {
    HttpResult m = Call("GET", "/metrics");
    std::string needle =
        "gatehouse_session_checks_total{source=\"" + source + "\"} ";
    size_t at = m.body.find(needle);
    EXPECT_NE(at, std::string::npos) << m.body;
    return at == std::string::npos
               ? -1
               : std::stol(m.body.substr(at + needle.size()));
  };
  CookieJar admin;
  SignInAs(admin, "eve@example.test", "admin");
  long memory_before = checks("memory"), database_before = checks("database");
  constexpr int kChecks = 20;
  for (int i = 0; i < kChecks; ++i) {
    ASSERT_EQ(Check("/admin", &admin).status, 200);
  }
  long memory = checks("memory") - memory_before;
  long database = checks("database") - database_before;
  EXPECT_EQ(memory + database, kChecks);
  // A poll thread starved for 750 ms on a loaded machine sends a check to
  // the database, correctly; most must still have stayed in memory.
  EXPECT_GT(memory, database);
}

TEST_F(CheckTest,
       RedirectLoopBreakerStopsSendingABrowserRoundAndClearsItsCookies) {
  CookieJar jar;
  jar.Set("access_token", "looping.cookie.value");
  for (int i = 0; i < 2; ++i) {
    HttpResult r = Check("/admin", &jar, "looping-browser");
    EXPECT_EQ(r.Header("X-Auth-Redirect"), "/auth?next=%2Fadmin");
    jar.Set("access_token", "looping.cookie.value");
  }
  HttpResult third = Check("/admin", &jar, "looping-browser");
  EXPECT_EQ(third.status, 401);
  EXPECT_EQ(third.Header("X-Auth-Redirect"), "/auth?reason=redirect-loop");
  EXPECT_EQ(jar.size(), 0u) << "every auth cookie cleared";
  EXPECT_EQ(
      Check("/admin", nullptr, "another-browser").Header("X-Auth-Redirect"),
      "/auth?next=%2Fadmin")
      << "other browsers are not affected";
}

// Finding 12d: the breaker tells browsers apart by the auth cookies they
// send, not by address and User-Agent, which a whole office behind one NAT
// shares; and a browser without auth cookies, which cannot be looping on a
// stale one, is simply sent to sign-in, every time.
TEST_F(CheckTest, LoopBreakerKeysOnAuthCookiesNotOnAddressAndAgent) {
  CookieJar first, second;
  for (int i = 0; i < 2; ++i) {
    for (CookieJar* jar : {&first, &second}) {
      jar->Set("access_token",
               jar == &first ? "stale.cookie.one" : "stale.cookie.two");
      HttpResult r = Check("/admin", jar, "office-browser");
      EXPECT_EQ(r.Header("X-Auth-Redirect"), "/auth?next=%2Fadmin")
          << "round " << i << ": two redirects each are no loop";
    }
  }
  for (int i = 0; i < 5; ++i) {
    CookieJar none;
    HttpResult r = Check("/admin", &none, "office-browser");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.Header("X-Auth-Redirect"), "/auth?next=%2Fadmin")
        << "no auth cookies, no loop to break (" << i << ")";
  }
  first.Set("access_token", "stale.cookie.one");
  EXPECT_EQ(Check("/admin", &first, "another-agent").Header("X-Auth-Redirect"),
            "/auth?reason=redirect-loop")
      << "the third redirect of the same cookies breaks, whatever the agent";
}

TEST_F(CheckTest, TraefikAndCaddyHeadersWork) {
  CookieJar none;
  HttpResult r = Call(
      "GET", "/api/v1/auth/check?redirect=1", "", &none,
      {{"X-Forwarded-Method", "GET"}, {"X-Forwarded-Uri", "/teacher/plan"}});
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("Location"), "/auth?next=%2Fteacher%2Fplan");
}

// Finding 1: a proxy that forwards the original URI under another header
// name (or none) must not open every protected page: without
// X-Original-URI or X-Forwarded-Uri there is nothing to judge, so the
// check refuses, whoever asks, and says so in the log once, not per call.
TEST_F(CheckTest, CheckWithoutOriginalUriFailsClosed) {
  CookieJar admin;
  SignInAs(admin, "fay@example.test", "admin");
  CookieJar none;
  for (const std::string query : {"", "?redirect=1"}) {
    for (CookieJar* jar : {&none, &admin}) {
      HttpResult r =
          Call("GET", "/api/v1/auth/check" + query, "", jar,
               {{"X-Original-Method", "GET"}, {"X-Rewritten-Uri", "/admin"}});
      EXPECT_EQ(r.status, 403) << query << " " << r.body;
      EXPECT_EQ(r.Code(), "FORBIDDEN") << query;
      EXPECT_TRUE(r.Header("X-Auth-User-Id").empty()) << query;
      EXPECT_TRUE(r.Header("Location").empty()) << query;
      EXPECT_TRUE(r.set_cookies.empty()) << query;
    }
  }
  EXPECT_EQ(Check("/admin", &admin).status, 200) << "the session still works";

  const std::string log = server_->Output();
  const std::string warning = "neither X-Original-URI nor X-Forwarded-Uri";
  size_t first = log.find(warning);
  ASSERT_NE(first, std::string::npos) << log;
  EXPECT_EQ(log.find(warning, first + 1), std::string::npos)
      << "four refusals within a minute log one warning:\n"
      << log;
}

// Without a grace window, a refresh token presented after its rotation is
// reuse at once: the cost of a rotation whose answer the browser lost.
class CheckWithoutGraceTest : public CheckTest {
 protected:
  ServerOptions Options() override {
    ServerOptions options = CheckTest::Options();
    options.env["GATEHOUSE_REFRESH_GRACE"] = "0s";
    return options;
  }

  // A top-level navigation from another site, as a browser sends it: no
  // Origin, no header a page could add, the cookies of a SameSite=Lax GET.
  HttpResult Navigate(
      const std::string& target, const CookieJar& jar,
      std::vector<std::pair<std::string, std::string>> extra = {}) {
    HttpRequest req;
    req.target = target;
    req.headers = {{"User-Agent", "browser"},
                   {"Referer", "https://elsewhere.example/post"},
                   {"Sec-Fetch-Site", "cross-site"},
                   {"Sec-Fetch-Mode", "navigate"},
                   {"Sec-Fetch-Dest", "document"},
                   {"Cookie", jar.CookieHeader()}};
    for (auto& header : extra) req.headers.push_back(std::move(header));
    return Send(port(), req);
  }
};

// Finding 5: a link on another site straight to the check must not rotate
// the browser's refresh token: the answer of an aborted navigation is
// lost, the browser replays the old token, and the session is revoked as
// reused, a sign-out anyone could trigger.
TEST_F(CheckWithoutGraceTest, NavigationStraightToTheCheckNeverRotates) {
  CookieJar signed_in;
  SignInAs(signed_in, "gil@example.test", "admin");
  CookieJar browser;  // the access cookie expired and the browser dropped it
  browser.Set("refresh_token", signed_in.Get("refresh_token"));

  for (const char* target :
       {"/api/v1/auth/check", "/api/v1/auth/check?redirect=1"}) {
    HttpResult r = Navigate(target, browser);  // and its answer is lost
    EXPECT_EQ(r.status, 403) << target << " " << r.body;
    EXPECT_TRUE(r.set_cookies.empty())
        << target << ": " << ::testing::PrintToString(r.set_cookies);
  }

  HttpResult refreshed = Refresh(browser);
  EXPECT_EQ(refreshed.status, 200)
      << "the browser's own refresh token is still the current one: "
      << refreshed.body;
  EXPECT_EQ(Me(browser).status, 200);
}

// The other half of finding 5: a page view that arrives from another site
// through the proxy (an original-URI header present) is refreshed as
// always: following a link with an expired access token is no reason to
// sign in again.
TEST_F(CheckWithoutGraceTest, CrossSitePageViewsThroughTheProxyAreRefreshed) {
  CookieJar signed_in;
  SignInAs(signed_in, "hal@example.test", "admin");
  CookieJar browser;
  browser.Set("refresh_token", signed_in.Get("refresh_token"));
  HttpResult r = Navigate(
      "/api/v1/auth/check", browser,
      {{"X-Original-Method", "GET"}, {"X-Original-URI", "/admin/reports"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("X-Auth-Email"), "hal@example.test");
  browser.Absorb(r);
  EXPECT_NE(browser.Get("refresh_token"), signed_in.Get("refresh_token"))
      << "rotated";
  EXPECT_FALSE(browser.Get("access_token").empty());
  EXPECT_EQ(Me(browser).status, 200) << "the new cookies work";
}

// Finding 6: a 401 from the check says why the request is not signed in,
// as /auth/me does (SPEC §3, §4, §7), not always ACCESS_TOKEN_MISSING.
TEST_F(CheckTest, CheckNamesTheRealReasonOfA401) {
  CookieJar none;
  HttpResult missing = Check("/admin", &none);
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.Code(), "ACCESS_TOKEN_MISSING");

  CookieJar forged;
  forged.Set("access_token", "not.a.token");
  HttpResult invalid = Check("/admin", &forged, "forged-browser");
  EXPECT_EQ(invalid.status, 401);
  EXPECT_EQ(invalid.Code(), "ACCESS_TOKEN_INVALID");

  CookieJar admin;
  SignInAs(admin, "jo@example.test", "admin");
  CookieJar copy = admin;
  ASSERT_EQ(Call("POST", "/api/v1/auth/logout", "", &admin).status, 200);
  CookieJar old_access;  // what /auth/me answers SESSION_REVOKED to
  old_access.Set("access_token", copy.Get("access_token"));
  HttpResult revoked = Check("/admin", &old_access, "revoked-browser");
  EXPECT_EQ(revoked.status, 401);
  EXPECT_EQ(revoked.Code(), "SESSION_REVOKED");
  EXPECT_EQ(Me(old_access).Code(), "SESSION_REVOKED") << "as /auth/me says";
  // With its refresh cookie beside it, the ended session is still the
  // reason (the refresh fails because the session ended).
  HttpResult revoked_pair = Check("/admin", &copy, "revoked-pair-browser");
  EXPECT_EQ(revoked_pair.status, 401);
  EXPECT_EQ(revoked_pair.Code(), "SESSION_REVOKED");

  CookieJar unknown_refresh;  // no access token, a refresh that fails
  unknown_refresh.Set("refresh_token",
                      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  HttpResult bad_refresh = Check("/admin", &unknown_refresh, "stale-browser");
  EXPECT_EQ(bad_refresh.status, 401);
  EXPECT_EQ(bad_refresh.Code(), "INVALID_REFRESH_TOKEN");
}

// Access tokens that expire within the test.
class CheckShortAccessTest : public CheckTest {
 protected:
  ServerOptions Options() override {
    ServerOptions options = CheckTest::Options();
    options.env["GATEHOUSE_ACCESS_TTL"] = "1s";
    return options;
  }
};

TEST_F(CheckShortAccessTest, CheckNamesTheRealReasonOfA401WhenExpired) {
  CookieJar admin;
  SignInAs(admin, "kit@example.test", "admin");
  CookieJar expired;  // a browser that kept the access cookie, no refresh
  expired.Set("access_token", admin.Get("access_token"));
  // Issued with a whole-second `exp` one second ahead: 2.1 s later it has
  // expired, however late in its second it was issued.
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  HttpResult r = Check("/admin", &expired);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Code(), "ACCESS_TOKEN_EXPIRED");
}

// Finding 11: with trustForwardHeader, Traefik keeps a client's own
// X-Forwarded-Uri when a pass-through proxy sits in front of it, so the
// client chooses the path gatehouse judges. The example must not ship it.
TEST(TraefikExampleTest, TraefikExampleDoesNotTrustForwardedHeaders) {
  const std::string yml = ReadFile(ShippedFile("traefik/gatehouse.yml"));
  ASSERT_FALSE(yml.empty());
  std::vector<std::string> settings;
  std::istringstream lines(yml);
  for (std::string line; std::getline(lines, line);) {
    const size_t start = line.find_first_not_of(' ');
    if (start == std::string::npos || line[start] == '#') continue;
    if (line.compare(start, 19, "trustForwardHeader:") == 0) {
      settings.push_back(line.substr(start));
    }
  }
  EXPECT_EQ(settings, std::vector<std::string>{"trustForwardHeader: false"});
  const std::string readme = ReadFile(ShippedFile("traefik/README.md"));
  EXPECT_NE(readme.find("trustForwardHeader: false"), std::string::npos)
      << "the README says why";
}

TEST(GuardConfigStartupTest, AMalformedGuardTableStopsStartNamingTheLine) {
  TempDir dir;
  std::ofstream(dir.path() / "bad.toml")
      << "[guard]\nlogin_path = \"/auth\"\n\n[[guard.rules]]\n"
         "prefix = \"/admin\"\nroles = []\n";
  CommandResult r =
      RunGatehouse({"serve", "--dev"},
                   {{"GATEHOUSE_CONFIG", (dir.path() / "bad.toml").string()},
                    {"GATEHOUSE_LISTEN", "127.0.0.1:0"},
                    {"GATEHOUSE_DATABASE_URL",
                     "sqlite://" + (dir.path() / "g.db").string()}});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("line 6"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace gatehouse::testkit
