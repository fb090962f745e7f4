// The shipped nginx config (deploy/nginx/gatehouse.conf) against real
// nginx: the real gatehouse behind it for auth_request, and a small
// upstream "app" that echoes the request headers it received (SPEC §7, F8).
// The scenarios are ProxyTest's, shared with caddy_test.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "tests/integration/proxy_fixture.h"

namespace gatehouse::testkit {
namespace {

namespace fs = std::filesystem;

constexpr char kNginx[] = "/usr/sbin/nginx";
constexpr char kShippedConfig[] = "nginx/gatehouse.conf";

class NginxTest : public ProxyTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kNginx))
        << kNginx << " is missing: run scripts/install-deps.sh";
    ProxyTest::SetUp();
  }

  // Real nginx with the shipped config, its prefix, logs and temp files in
  // `dir`. The test only fills in addresses.
  std::optional<ProxyCommand> ConfigureProxy(const fs::path& dir,
                                             uint16_t gatehouse_port,
                                             uint16_t app_port) override {
    const uint16_t port = FreePort();
    std::string site = ReadFile(ShippedFile(kShippedConfig));
    if (!ReplaceExactly(
            site, "server 127.0.0.1:8080;",
            "server 127.0.0.1:" + std::to_string(gatehouse_port) + ";", 1) ||
        !ReplaceExactly(site, "server 127.0.0.1:3000;",
                        "server 127.0.0.1:" + std::to_string(app_port) + ";",
                        1) ||
        !ReplaceExactly(site, "listen 80;",
                        "listen 127.0.0.1:" + std::to_string(port) + ";", 1)) {
      ADD_FAILURE() << ShippedFile(kShippedConfig)
                    << " no longer has exactly one `server 127.0.0.1:8080;`, "
                       "`server 127.0.0.1:3000;` and `listen 80;`";
      return std::nullopt;
    }
    std::ofstream(dir / "gatehouse.conf") << site;
    std::string d = dir.string();
    std::ofstream(dir / "nginx.conf")
        << (geteuid() == 0 ? "user root root;\n" : "")
        << "worker_processes 1;\n"
        << "error_log " << d << "/error.log info;\n"
        << "events { worker_connections 256; }\n"
        << "http {\n"
        << "  access_log " << d << "/access.log;\n"
        << "  client_body_temp_path " << d << "/body;\n"
        << "  proxy_temp_path " << d << "/proxy;\n"
        << "  fastcgi_temp_path " << d << "/fastcgi;\n"
        << "  uwsgi_temp_path " << d << "/uwsgi;\n"
        << "  scgi_temp_path " << d << "/scgi;\n"
        << "  include " << d << "/gatehouse.conf;\n"
        << "}\n";

    ProxyCommand command;
    command.name = "nginx";
    command.args = {kNginx,
                    "-p",
                    d + "/",
                    "-e",
                    d + "/error.log",
                    "-c",
                    d + "/nginx.conf",
                    "-g",
                    "daemon off; master_process on; pid " + d + "/nginx.pid;"};
    command.log = dir / "error.log";
    command.port = port;
    command.stop_signal = SIGQUIT;
    return command;
  }
};

TEST_F(NginxTest, AnonymousIsRedirectedOnceToLoginWithNext) {
  ASSERT_NO_FATAL_FAILURE(AnonymousIsRedirectedOnceToLoginWithNext());
  CookieJar none;
  EXPECT_EQ(Get("/_gatehouse/check", &none).status, 404) << "internal only";
}

TEST_F(NginxTest, SignedInPageIsServedWithIdentityAndNoForgedHeaders) {
  SignedInPageIsServedWithIdentityAndNoForgedHeaders();
}

TEST_F(NginxTest, AccessExpiredIsRefreshedAndTheBrowserGetsBothCookies) {
  AccessExpiredIsRefreshedAndTheBrowserGetsBothCookies();
}

TEST_F(NginxTest, F8_InvalidRefreshRedirectsOnceClearsCookiesNoLoop) {
  InvalidRefreshRedirectsOnceClearsCookiesNoLoop();
}

TEST_F(NginxTest, WrongRoleGets403) { WrongRoleGets403(); }

TEST_F(NginxTest, SignedInOnLoginPathGoesToLanding) {
  SignedInOnLoginPathGoesToLanding();
}

TEST_F(NginxTest, OpenRedirectAttemptsOnlyEverGiveLocalPaths) {
  OpenRedirectAttemptsOnlyEverGiveLocalPaths();
}

// Finding 5 through nginx: a link on another site to the check itself
// (proxied by the unguarded `location /api/`, so no X-Original-URI) is
// refused without touching the refresh token, while a link to a page (the
// auth subrequest names it) is refreshed at the edge as always.
TEST_F(NginxTest, CrossSitePageViewsAreRefreshedButStraightChecksNeverRotate) {
  CookieJar signed_in;
  SignInAs(signed_in, "ivo@example.test", "admin");
  const std::vector<std::pair<std::string, std::string>> kFromElsewhere = {
      {"Referer", "https://elsewhere.example/post"},
      {"Sec-Fetch-Site", "cross-site"},
      {"Sec-Fetch-Mode", "navigate"},
      {"Sec-Fetch-Dest", "document"}};

  CookieJar lost = AccessExpired(signed_in);  // its answer never arrives
  HttpResult straight = Get("/api/v1/auth/check", &lost, kFromElsewhere);
  EXPECT_EQ(straight.status, 403) << straight.body;
  EXPECT_EQ(straight.Code(), "FORBIDDEN");
  EXPECT_TRUE(straight.set_cookies.empty())
      << ::testing::PrintToString(straight.set_cookies);

  CookieJar browser = AccessExpired(signed_in);
  HttpResult page = Get("/admin/reports", &browser, kFromElsewhere);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(CookieNames(page), kBothCookies)
      << ::testing::PrintToString(page.set_cookies);
  EXPECT_NE(browser.Get("refresh_token"), signed_in.Get("refresh_token"));
  EXPECT_EQ(Get("/api/v1/auth/me", &browser).status, 200);
}

}  // namespace
}  // namespace gatehouse::testkit
