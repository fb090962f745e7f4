// The shipped Caddy example (deploy/caddy/Caddyfile) against real Caddy:
// the real gatehouse behind it for the check, and EchoApp as the app that
// shows which headers reached it (SPEC §7, F8). Skipped when `caddy` is not
// installed, unless GATEHOUSE_REQUIRE_CADDY=1 makes that a failure. The
// scenarios every proxy must pass are ProxyTest's, shared with nginx_test;
// this file adds what Caddy's config does on its own: it hands answers of
// the check to the browser, and checks a request with a body.
#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/proxy_fixture.h"

extern char** environ;

namespace gatehouse::testkit {
namespace {

namespace fs = std::filesystem;

// The placeholders of the shipped file that the test fills in, and how
// often each must occur: gatehouse is proxied to twice (its own API and
// the check).
constexpr char kShippedCaddyfile[] = "caddy/Caddyfile";
constexpr char kShippedSite[] = "app.example.com {";
constexpr char kShippedGatehouse[] = "gatehouse:8080";
constexpr int kGatehouseMentions = 2;
constexpr char kShippedApp[] = "app:3000";

bool CaddyRequired() {
  const char* v = std::getenv("GATEHOUSE_REQUIRE_CADDY");
  return v != nullptr && std::string(v) == "1";
}

// The `caddy` executable on PATH, or an empty path.
fs::path FindCaddy() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/usr/sbin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    fs::path candidate = fs::path(dir) / "caddy";
    if (access(candidate.c_str(), X_OK) == 0 &&
        fs::is_regular_file(candidate)) {
      return candidate;
    }
  }
  return {};
}

// The shipped Caddyfile made private to the test: global options that keep
// Caddy off the admin port and away from certificates, the site served as
// plain HTTP on 127.0.0.1:`port` only, and the two upstreams on loopback.
// Returns "" (and says why in `error`) if the file changed shape.
// (Caddy 2.6 has no `persist_config` option: its autosave.json goes to the
// private XDG_CONFIG_HOME of PrivateEnvironment.)
std::string RenderCaddyfile(uint16_t port, uint16_t gatehouse_port,
                            uint16_t app_port, std::string& error) {
  std::string site = ReadFile(ShippedFile(kShippedCaddyfile));
  const std::string loopback = "127.0.0.1:";
  if (!ReplaceExactly(
          site, kShippedSite,
          "http://" + loopback + std::to_string(port) + " {\n\tbind 127.0.0.1",
          1) ||
      !ReplaceExactly(site, kShippedGatehouse,
                      loopback + std::to_string(gatehouse_port),
                      kGatehouseMentions) ||
      !ReplaceExactly(site, kShippedApp, loopback + std::to_string(app_port),
                      1)) {
    error = ShippedFile(kShippedCaddyfile).string() +
            " no longer has exactly one `" + kShippedSite + "`, " +
            std::to_string(kGatehouseMentions) + " `" + kShippedGatehouse +
            "` and one `" + kShippedApp + "`";
    return "";
  }
  return "{\n\tadmin off\n\tauto_https off\n}\n\n" + site;
}

// This process's environment with HOME and the XDG directories (where
// Caddy keeps its autosaved config and its certificate storage) moved
// into `home`, so no file of the user's own Caddy is read or written.
std::vector<std::string> PrivateEnvironment(const fs::path& home) {
  const std::set<std::string> replaced = {"HOME", "XDG_DATA_HOME",
                                          "XDG_CONFIG_HOME"};
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    if (!replaced.contains(entry.substr(0, entry.find('='))))
      env.push_back(entry);
  }
  for (const std::string& name : replaced)
    env.push_back(name + "=" + home.string());
  return env;
}

// Headers of gatehouse's check that are for the proxy, never the browser.
void ExpectNoCheckHeadersFor(const HttpResult& r) {
  for (const auto& [name, value] : r.headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(c));
    EXPECT_NE(lower.rfind("x-auth-", 0), 0u) << name << ": " << value;
  }
}

class CaddyTest : public ProxyTest {
 protected:
  void SetUp() override {
    caddy_ = FindCaddy();
    if (caddy_.empty()) {
      if (CaddyRequired()) {
        FAIL() << "caddy is not installed and GATEHOUSE_REQUIRE_CADDY=1: "
                  "run scripts/install-deps.sh";
      }
      GTEST_SKIP() << "caddy is not installed (Debian: the `caddy` package, "
                      "see scripts/install-deps.sh); set "
                      "GATEHOUSE_REQUIRE_CADDY=1 to fail instead of skip";
    }
    ProxyTest::SetUp();
  }

  // Real Caddy with the rendered Caddyfile, everything it writes (config,
  // autosave, storage, log) inside `dir`.
  std::optional<ProxyCommand> ConfigureProxy(const fs::path& dir,
                                             uint16_t gatehouse_port,
                                             uint16_t app_port) override {
    const uint16_t port = FreePort();
    std::string error;
    std::string config = RenderCaddyfile(port, gatehouse_port, app_port, error);
    if (config.empty()) {
      ADD_FAILURE() << error;
      return std::nullopt;
    }
    fs::create_directories(dir / "home");
    std::ofstream(dir / "Caddyfile") << config;

    ProxyCommand command;
    command.name = "caddy";
    command.args = {caddy_.string(), "run",
                    "--config",      (dir / "Caddyfile").string(),
                    "--adapter",     "caddyfile"};
    command.env = PrivateEnvironment(dir / "home");
    command.output = dir / "caddy.log";
    command.port = port;
    command.stop_signal = SIGTERM;
    return command;
  }

  fs::path caddy_;  // the executable, found by SetUp
};

// Caddy hands the check's 302 to the browser as it is: without the
// check's headers, which are for the proxy.
TEST_F(CaddyTest, AnonymousIsRedirectedOnceToLoginWithNext) {
  HttpResult redirect;
  ASSERT_NO_FATAL_FAILURE(AnonymousIsRedirectedOnceToLoginWithNext(&redirect));
  ExpectNoCheckHeadersFor(redirect);
}

// Caddy copies the check's answer into the request to the app and the
// answer to the browser: neither gets the headers meant for the proxy.
TEST_F(CaddyTest, SignedInPageIsServedWithIdentityAndNoForgedHeaders) {
  HttpResult page;
  ASSERT_NO_FATAL_FAILURE(
      SignedInPageIsServedWithIdentityAndNoForgedHeaders(&page));
  ExpectNoCheckHeadersFor(page);
  EXPECT_TRUE(
      Values(UpstreamHeaders(page.body), "x-auth-set-cookie-1").empty());
}

// The check is a GET without a body: a form posted to a guarded page
// reaches the app whole, with its method.
TEST_F(CaddyTest, RequestBodyAndMethodReachTheApp) {
  CookieJar admin;
  SignInAs(admin, "pia@example.test", "admin");
  const std::string form = "title=Term+report&year=2026";
  HttpResult r = Get("/admin/reports", &admin,
                     {{"Content-Type", "application/x-www-form-urlencoded"}},
                     "browser", "POST", form);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.rfind("POST /admin/reports\n", 0), 0u) << r.body;
  auto seen = UpstreamHeaders(r.body);
  EXPECT_EQ(Values(seen, "content-length"),
            std::vector<std::string>{std::to_string(form.size())});
  EXPECT_EQ(Values(seen, "x-auth-role"), std::vector<std::string>{"admin"});
}

TEST_F(CaddyTest, AccessExpiredIsRefreshedAndTheBrowserGetsBothCookies) {
  HttpResult refreshed;
  ASSERT_NO_FATAL_FAILURE(
      AccessExpiredIsRefreshedAndTheBrowserGetsBothCookies(&refreshed));
  ExpectNoCheckHeadersFor(refreshed);
}

TEST_F(CaddyTest, F8_InvalidRefreshRedirectsOnceClearsCookiesNoLoop) {
  ASSERT_NO_FATAL_FAILURE(InvalidRefreshRedirectsOnceClearsCookiesNoLoop());

  // That redirect, which Caddy hands to the browser as the check gave it:
  // both clearing Set-Cookie, and nothing of the check's headers that are
  // meant for the proxy.
  CookieJar again;
  again.Set("access_token", "expired.or.forged");
  again.Set("refresh_token", kUnknownRefreshToken);
  HttpResult redirect = Get("/admin/reports", &again, {}, "second-browser");
  EXPECT_EQ(redirect.status, 302);
  EXPECT_EQ(CookieNames(redirect), kBothCookies)
      << ::testing::PrintToString(redirect.set_cookies);
  ExpectNoCheckHeadersFor(redirect);
}

TEST_F(CaddyTest, WrongRoleGets403) { WrongRoleGets403(); }

// A 403 can follow a silent refresh: the rotated cookies must still reach
// the browser, or its next request holds a rotated-away refresh token.
TEST_F(CaddyTest, WrongRoleAfterRefreshGets403AndBothNewCookies) {
  CookieJar signed_in;
  SignInAs(signed_in, "ulf@example.test", "user");
  CookieJar browser = AccessExpired(signed_in);
  HttpResult r = Get("/admin", &browser);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(CookieNames(r), kBothCookies)
      << ::testing::PrintToString(r.set_cookies);
  ExpectNoCheckHeadersFor(r);
  EXPECT_NE(browser.Get("refresh_token"), signed_in.Get("refresh_token"));
  HttpResult me = Get("/api/v1/auth/me", &browser);
  EXPECT_EQ(me.status, 200) << me.body;
}

TEST_F(CaddyTest, SignedInOnLoginPathGoesToLanding) {
  SignedInOnLoginPathGoesToLanding();
}

TEST_F(CaddyTest, OpenRedirectAttemptsOnlyEverGiveLocalPaths) {
  OpenRedirectAttemptsOnlyEverGiveLocalPaths();
}

}  // namespace
}  // namespace gatehouse::testkit
