#include "tests/integration/proxy_fixture.h"

#include <iostream>
#include <optional>

namespace gatehouse::testkit {
namespace {

namespace fs = std::filesystem;

// A path on this site: "/x", never "//host", "/\\host" or "scheme:".
bool IsLocalPath(const std::string& location) {
  return !location.empty() && location[0] == '/' &&
         (location.size() == 1 ||
          (location[1] != '/' && location[1] != '\\')) &&
         location.find('\\') == std::string::npos &&
         location.find_first_of("\r\n") == std::string::npos;
}

// The percent-decoded `next` query parameter of a Location, or "".
std::string NextParam(const std::string& location) {
  size_t at = location.find("next=");
  if (at == std::string::npos) return "";
  std::string raw = location.substr(at + 5, location.find('&', at) - at - 5);
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%' && i + 2 < raw.size()) {
      out += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += raw[i] == '+' ? ' ' : raw[i];
    }
  }
  return out;
}

}  // namespace

std::multiset<std::string> CookieNames(const HttpResult& r) {
  std::multiset<std::string> names;
  for (const std::string& line : r.set_cookies) {
    // A line a browser ignores names no cookie: "" says it was there.
    std::optional<ParsedSetCookie> cookie = ParseSetCookie(line);
    names.insert(cookie ? cookie->name : "");
  }
  return names;
}

const std::multiset<std::string> kBothCookies = {"access_token",
                                                 "refresh_token"};

ServerOptions ProxyTest::Options() {
  ServerOptions options = ApiTest::Options();
  options.env["GATEHOUSE_CONFIG"] = SpecGuardToml().string();
  options.env["GATEHOUSE_TRUSTED_PROXIES"] = "127.0.0.1";
  return options;
}

void ProxyTest::SetUp() {
  ApiTest::SetUp();
  if (HasFatalFailure()) return;
  fs::path dir = dir_.path() / "proxy";
  fs::create_directories(dir);
  std::optional<ProxyCommand> command =
      ConfigureProxy(dir, port(), app_.port());
  ASSERT_TRUE(command.has_value());
  proxy_ = std::make_unique<ProxyProcess>(std::move(*command));
  ASSERT_TRUE(proxy_->started());
}

void ProxyTest::TearDown() {
  if (HasFailure() && proxy_)
    std::cerr << proxy_->name() << " log:\n" << proxy_->Log();
}

HttpResult ProxyTest::Get(
    const std::string& target, CookieJar* jar,
    std::vector<std::pair<std::string, std::string>> headers,
    const std::string& agent, const std::string& method,
    const std::string& body) {
  HttpRequest req;
  req.method = method;
  req.target = target;
  req.body = body;
  req.headers = std::move(headers);
  req.headers.emplace_back("User-Agent", agent);
  if (jar && jar->size() > 0)
    req.headers.emplace_back("Cookie", jar->CookieHeader());
  HttpResult r = Send(proxy_port(), req);
  if (jar) jar->Absorb(r);
  return r;
}

ProxyTest::Visit ProxyTest::Browse(const std::string& target, CookieJar& jar,
                                   const std::string& agent) {
  Visit v;
  v.final_target = target;
  for (int hop = 0; hop <= 10; ++hop) {
    v.last = Get(v.final_target, &jar, {}, agent);
    if (v.last.status < 300 || v.last.status >= 400) return v;
    std::string location = v.last.Header("Location");
    v.locations.push_back(location);
    if (location.empty() || location[0] != '/') {
      ADD_FAILURE() << "redirect to a non-local Location: " << location;
      return v;
    }
    v.final_target = location;
  }
  ADD_FAILURE() << "redirect loop: more than 10 redirects, last to "
                << v.final_target;
  return v;
}

void ProxyTest::SignInAs(CookieJar& jar, const std::string& email,
                         const std::string& role) {
  Register(email);
  if (role != "user") SetRole(email, role);
  HttpResult r = Get("/api/v1/auth/login", nullptr, {{"Origin", kAppOrigin}},
                     "browser", "POST",
                     R"({"email":")" + email + R"(","password":")" +
                         std::string(kPassword) + "\"}");
  ASSERT_EQ(r.status, 200) << r.body;
  jar.Absorb(r);
  ASSERT_FALSE(jar.Get("access_token").empty());
  ASSERT_FALSE(jar.Get("refresh_token").empty());
}

CookieJar ProxyTest::AccessExpired(const CookieJar& signed_in) {
  CookieJar browser;
  browser.Set("refresh_token", signed_in.Get("refresh_token"));
  return browser;
}

void ProxyTest::AnonymousIsRedirectedOnceToLoginWithNext(HttpResult* redirect) {
  CookieJar none;
  HttpResult r = Get("/admin/reports?year=2026", &none);
  if (redirect) *redirect = r;
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("Location"),
            "/auth?next=%2Fadmin%2Freports%3Fyear%3D2026");
  EXPECT_TRUE(r.set_cookies.empty());

  CookieJar browser;
  Visit v = Browse("/teacher/plan", browser, "another-browser");
  ASSERT_EQ(v.locations.size(), 1u);
  EXPECT_EQ(v.locations[0], "/auth?next=%2Fteacher%2Fplan");
  EXPECT_EQ(v.last.status, 200) << "the login page loads";
  EXPECT_EQ(v.last.body.rfind("GET /auth?next=%2Fteacher%2Fplan\n", 0), 0u)
      << v.last.body;

  // gatehouse reads X-Forwarded-Uri/-Method before X-Original-URI: the
  // config must replace what a client sends, or the client chooses what
  // is judged.
  HttpResult forged = Get("/admin", &none,
                          {{"X-Forwarded-Uri", "/about"},
                           {"X-Forwarded-Method", "GET"},
                           {"X-Original-URI", "/about"}},
                          "forging-browser");
  EXPECT_EQ(forged.status, 302);
  EXPECT_EQ(forged.Header("Location"), "/auth?next=%2Fadmin");
}

void ProxyTest::SignedInPageIsServedWithIdentityAndNoForgedHeaders(
    HttpResult* page) {
  CookieJar admin;
  SignInAs(admin, "ada@example.test", "admin");
  HttpResult r = Get("/admin/users", &admin,
                     {{"X-Auth-Role", "forged"},
                      {"X-Auth-Email", "mallory@evil.example"},
                      {"X-Auth-User-Id", "0"},
                      {"X-Auth-Session-Id", "forged"}});
  if (page) *page = r;
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.set_cookies.empty())
      << "no refresh, so no Set-Cookie (nginx: an empty add_header adds "
         "nothing)";
  auto seen = UpstreamHeaders(r.body);
  EXPECT_EQ(Values(seen, "x-auth-role"), std::vector<std::string>{"admin"});
  EXPECT_EQ(Values(seen, "x-auth-email"),
            std::vector<std::string>{"ada@example.test"});
  ASSERT_EQ(Values(seen, "x-auth-user-id").size(), 1u);
  EXPECT_NE(Values(seen, "x-auth-user-id")[0], "0");
  ASSERT_EQ(Values(seen, "x-auth-session-id").size(), 1u);
  EXPECT_NE(Values(seen, "x-auth-session-id")[0], "forged");

  // A plain user forging admin on an open page: the app sees "user".
  CookieJar user;
  SignInAs(user, "uli@example.test", "user");
  HttpResult open = Get("/about", &user, {{"X-Auth-Role", "admin"}});
  ASSERT_EQ(open.status, 200);
  EXPECT_EQ(Values(UpstreamHeaders(open.body), "x-auth-role"),
            std::vector<std::string>{"user"});

  // Anonymous on an open page: no identity at all, forged ones dropped,
  // and no empty (or placeholder-text) X-Auth-* either.
  CookieJar none;
  HttpResult anon =
      Get("/about", &none,
          {{"X-Auth-Role", "admin"}, {"X-Auth-Email", "mallory@evil.example"}});
  ASSERT_EQ(anon.status, 200);
  for (const auto& [name, value] : UpstreamHeaders(anon.body))
    EXPECT_NE(name.rfind("x-auth-", 0), 0u) << name << ": " << value;
}

void ProxyTest::AccessExpiredIsRefreshedAndTheBrowserGetsBothCookies(
    HttpResult* refreshed) {
  CookieJar signed_in;
  SignInAs(signed_in, "cid@example.test", "admin");
  CookieJar browser = AccessExpired(signed_in);

  HttpResult r = Get("/admin", &browser);
  if (refreshed) *refreshed = r;
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Values(UpstreamHeaders(r.body), "x-auth-email"),
            std::vector<std::string>{"cid@example.test"});
  // The proof of silent refresh at the edge: BOTH Set-Cookie of the check
  // reach the browser (nginx's $upstream_http_set_cookie alone would carry
  // only the first, Caddy's forward_auth neither).
  EXPECT_EQ(CookieNames(r), kBothCookies)
      << ::testing::PrintToString(r.set_cookies);
  EXPECT_FALSE(browser.Get("access_token").empty());
  EXPECT_NE(browser.Get("refresh_token"), signed_in.Get("refresh_token"))
      << "rotated";

  // The new cookies work: through the proxy without another refresh, and
  // at gatehouse's own API.
  HttpResult again = Get("/admin/x", &browser);
  ASSERT_EQ(again.status, 200);
  EXPECT_TRUE(again.set_cookies.empty());
  HttpResult me = Get("/api/v1/auth/me", &browser);
  EXPECT_EQ(me.status, 200) << me.body;
  // And the new refresh cookie refreshes again.
  CookieJar later = AccessExpired(browser);
  HttpResult refreshed_again = Get("/admin", &later);
  EXPECT_EQ(refreshed_again.status, 200);
  EXPECT_EQ(CookieNames(refreshed_again), kBothCookies);
}

void ProxyTest::InvalidRefreshRedirectsOnceClearsCookiesNoLoop() {
  CookieJar browser;
  browser.Set("access_token", "expired.or.forged");
  browser.Set("refresh_token", kUnknownRefreshToken);
  Visit v = Browse("/admin/reports", browser);
  ASSERT_EQ(v.locations.size(), 1u) << ::testing::PrintToString(v.locations);
  EXPECT_EQ(v.locations[0], "/auth?next=%2Fadmin%2Freports");
  EXPECT_EQ(browser.size(), 0u) << "both cookies cleared with the redirect";
  EXPECT_EQ(v.last.status, 200) << "the login page loads";
  EXPECT_EQ(v.last.body.rfind("GET /auth?next=", 0), 0u) << v.last.body;

  // Stale cookies straight on the login page (an open page, a 2xx check):
  // it loads, no redirect, and the cookies are cleared too.
  CookieJar stale;
  stale.Set("access_token", "expired.or.forged");
  stale.Set("refresh_token", kUnknownRefreshToken);
  Visit login = Browse("/auth", stale, "stale-browser");
  EXPECT_TRUE(login.locations.empty())
      << ::testing::PrintToString(login.locations);
  EXPECT_EQ(login.last.status, 200);
  EXPECT_EQ(stale.size(), 0u);
}

void ProxyTest::WrongRoleGets403() {
  CookieJar user;
  SignInAs(user, "uli@example.test", "user");
  HttpResult r = Get("/admin", &user);
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(r.Header("Location").empty());
  EXPECT_NE(r.body.find("403 Forbidden"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("GET /admin"), std::string::npos)
      << "the app was not asked";
  CookieJar teacher;
  SignInAs(teacher, "tea@example.test", "teacher");
  EXPECT_EQ(Get("/teacher/plan", &teacher).status, 200);
  EXPECT_EQ(Get("/admin", &teacher).status, 403);
}

void ProxyTest::SignedInOnLoginPathGoesToLanding() {
  CookieJar admin;
  SignInAs(admin, "bea@example.test", "admin");
  HttpResult r = Get("/auth", &admin);
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("Location"), "/admin");
  Visit v = Browse("/auth?next=%2Fadmin", admin);
  EXPECT_EQ(v.locations, std::vector<std::string>{"/admin"});
  EXPECT_EQ(v.last.status, 200);
}

void ProxyTest::OpenRedirectAttemptsOnlyEverGiveLocalPaths() {
  int n = 0;
  for (const char* target :
       {"//evil.example/admin", "/admin//evil.example", "/\\evil.example",
        "/%2F%2Fevil.example", "/%5Cevil.example", "/admin/..%2f..%2fevil",
        "/admin?next=//evil.example", "/admin?next=https://evil.example",
        "/admin/%0d%0aLocation:%20http://evil.example",
        "/auth?next=//evil.example", "///evil.example/admin",
        "/admin/%2F%2Fevil.example"}) {
    CookieJar none;
    HttpResult r = Get(target, &none, {}, "agent-" + std::to_string(n++));
    std::string location = r.Header("Location");
    if (r.status == 302) {
      EXPECT_TRUE(IsLocalPath(location)) << target << " -> " << location;
      EXPECT_EQ(location.rfind("/auth", 0), 0u) << target << " -> " << location;
      // `next` decoded is a local path too.
      std::string next = NextParam(location);
      EXPECT_TRUE(next.empty() || IsLocalPath(next))
          << target << " -> next " << next;
    } else {
      EXPECT_TRUE(location.empty()) << target << " -> " << location;
      EXPECT_TRUE(r.status == 200 || r.status == 400 || r.status == 403)
          << target << ": " << r.status;
    }
  }
}

}  // namespace gatehouse::testkit
