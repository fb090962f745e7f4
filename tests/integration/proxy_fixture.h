// ProxyTest: the real gatehouse behind a real edge proxy (nginx, Caddy)
// that runs a config as shipped in deploy/, with EchoApp as the app, and
// the scenarios of SPEC §7 and F8 that every shipped proxy config must
// pass. nginx_test and caddy_test each say how to run their proxy and run
// the scenarios as their own tests, adding what only their config does.
#ifndef GATEHOUSE_TESTS_INTEGRATION_PROXY_FIXTURE_H_
#define GATEHOUSE_TESTS_INTEGRATION_PROXY_FIXTURE_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/integration/api_fixture.h"
#include "tests/integration/echo_app.h"
#include "tests/integration/proxy_process.h"

namespace gatehouse::testkit {

// The names of the cookies an answer sets, e.g. {access_token, refresh_token}.
std::multiset<std::string> CookieNames(const HttpResult& r);

// A refresh token of the right shape that gatehouse never issued.
inline constexpr char kUnknownRefreshToken[] =
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

// What a silent refresh sets: a new access and a rotated refresh cookie.
extern const std::multiset<std::string> kBothCookies;

class ProxyTest : public ApiTest {
 protected:
  // gatehouse with the guard rules of SPEC §7, believing the proxy's
  // X-Forwarded-For (it is on 127.0.0.1) as a deployment behind it does.
  ServerOptions Options() override;
  // Starts gatehouse, then the proxy of ConfigureProxy.
  void SetUp() override;
  // After a failure, prints the proxy's log.
  void TearDown() override;

  // Writes the proxy's config into the empty folder `dir`, in front of
  // gatehouse and the app on those 127.0.0.1 ports, and says how to run
  // it; nullopt (after ADD_FAILURE) if the shipped config changed shape.
  virtual std::optional<ProxyCommand> ConfigureProxy(
      const std::filesystem::path& dir, uint16_t gatehouse_port,
      uint16_t app_port) = 0;

  // REQUIRES: SetUp succeeded.
  uint16_t proxy_port() const { return proxy_->port(); }

  // One request through the proxy as a browser sends it: the jar's cookies
  // go out and the answer's Set-Cookie come back into it.
  HttpResult Get(const std::string& target, CookieJar* jar,
                 std::vector<std::pair<std::string, std::string>> headers = {},
                 const std::string& agent = "browser",
                 const std::string& method = "GET",
                 const std::string& body = "");

  // Like a browser: follows redirects (at most 10) and fails on a loop.
  struct Visit {
    HttpResult last;
    std::vector<std::string> locations;  // every redirect followed
    std::string final_target;
  };
  Visit Browse(const std::string& target, CookieJar& jar,
               const std::string& agent = "browser");

  // Registers and signs in through the proxy (gatehouse's /api/ is
  // proxied); `role` "user" is the one every account has.
  void SignInAs(CookieJar& jar, const std::string& email,
                const std::string& role);

  // A browser whose access cookie expired and was dropped: it holds only
  // the refresh cookie of `signed_in`.
  static CookieJar AccessExpired(const CookieJar& signed_in);

  // The scenarios every proxy must pass, each the body of the test of the
  // same name in nginx_test and caddy_test. Where a test checks more of
  // an answer than every proxy must get right, the scenario hands that
  // answer out through its pointer argument (if not null).

  // Anonymous on guarded pages: one redirect to the login path with a
  // local `next`; forged X-Forwarded-* do not change what is judged.
  // `*redirect`: the first redirect.
  void AnonymousIsRedirectedOnceToLoginWithNext(HttpResult* redirect = nullptr);
  // The app sees gatehouse's identity, never one a client forged.
  // `*page`: the signed-in admin's page.
  void SignedInPageIsServedWithIdentityAndNoForgedHeaders(
      HttpResult* page = nullptr);
  // A silent refresh at the edge: the page loads and the browser gets
  // both new cookies, which work. `*refreshed`: the page that refreshed.
  void AccessExpiredIsRefreshedAndTheBrowserGetsBothCookies(
      HttpResult* refreshed = nullptr);
  // F8: an unusable refresh token sends the browser to sign-in exactly
  // once, clears both cookies, and the login page loads; no loop.
  void InvalidRefreshRedirectsOnceClearsCookiesNoLoop();
  void WrongRoleGets403();
  void SignedInOnLoginPathGoesToLanding();
  void OpenRedirectAttemptsOnlyEverGiveLocalPaths();

  EchoApp app_;
  std::unique_ptr<ProxyProcess> proxy_;
};

}  // namespace gatehouse::testkit

#endif  // GATEHOUSE_TESTS_INTEGRATION_PROXY_FIXTURE_H_
