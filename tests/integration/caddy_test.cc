// The shipped Caddy example (deploy/caddy/Caddyfile) against real Caddy:
// the real gatehouse behind it for the check, and EchoApp as the app that
// shows which headers reached it (SPEC §7, F8). Skipped when `caddy` is not
// installed, unless GATEHOUSE_REQUIRE_CADDY=1 makes that a failure.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/api_fixture.h"
#include "tests/integration/echo_app.h"

extern char** environ;

namespace gatehouse::testing {
namespace {

namespace fs = std::filesystem;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// The placeholders of the shipped file that the test fills in, and how
// often each must occur: gatehouse is proxied to twice (its own API and
// the check).
constexpr char kShippedSite[] = "app.example.com {";
constexpr char kShippedGatehouse[] = "gatehouse:8080";
constexpr int kGatehouseMentions = 2;
constexpr char kShippedApp[] = "app:3000";

// How long Caddy may take to listen, and to stop after SIGTERM before it
// is killed.
constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(10);

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

// The example as shipped; the test only fills in addresses.
fs::path ShippedCaddyfile() {
  return fs::path(__FILE__).parent_path().parent_path().parent_path() /
         "deploy" / "caddy" / "Caddyfile";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Replaces every occurrence of `from`; false (and `text` unchanged) unless
// there are exactly `count`.
bool ReplaceExactly(std::string& text, const std::string& from,
                    const std::string& to, int count) {
  std::vector<size_t> at;
  for (size_t i = text.find(from); i != std::string::npos;
       i = text.find(from, i + from.size())) {
    at.push_back(i);
  }
  if (static_cast<int>(at.size()) != count) return false;
  for (auto it = at.rbegin(); it != at.rend(); ++it)
    text.replace(*it, from.size(), to);
  return true;
}

uint16_t FreePort() {
  net::io_context ioc;
  tcp::acceptor acceptor(ioc, {net::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

bool Listening(uint16_t port) {
  try {
    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect({net::ip::make_address("127.0.0.1"), port});
    return true;
  } catch (...) {
    return false;
  }
}

// The shipped Caddyfile made private to the test: global options that keep
// Caddy off the admin port and away from certificates, the site served as
// plain HTTP on 127.0.0.1:`port` only, and the two upstreams on loopback.
// Returns "" (and says why in `error`) if the file changed shape.
// (Caddy 2.6 has no `persist_config` option: its autosave.json goes to the
// private XDG_CONFIG_HOME that CaddyProcess sets.)
std::string RenderCaddyfile(uint16_t port, uint16_t gatehouse_port,
                            uint16_t app_port, std::string& error) {
  std::string site = ReadFile(ShippedCaddyfile());
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
    error = ShippedCaddyfile().string() + " no longer has exactly one `" +
            kShippedSite + "`, " + std::to_string(kGatehouseMentions) + " `" +
            kShippedGatehouse + "` and one `" + kShippedApp + "`";
    return "";
  }
  return "{\n\tadmin off\n\tauto_https off\n}\n\n" + site;
}

// Real Caddy with the rendered Caddyfile, everything it writes (config,
// autosave, storage, log) inside `dir`. Stopped by PID.
class CaddyProcess {
 public:
  CaddyProcess(const fs::path& caddy, const fs::path& dir,
               uint16_t gatehouse_port, uint16_t app_port)
      : dir_(dir), port_(FreePort()) {
    std::string error;
    std::string config =
        RenderCaddyfile(port_, gatehouse_port, app_port, error);
    if (config.empty()) {
      ADD_FAILURE() << error;
      return;
    }
    fs::create_directories(dir_ / "home");
    std::ofstream(dir_ / "Caddyfile") << config;

    // Everything allocated before fork: the child only execs.
    std::vector<std::string> args = {
        caddy.string(), "run",      "--config", (dir_ / "Caddyfile").string(),
        "--adapter",    "caddyfile"};
    std::vector<std::string> env = PrivateEnvironment(dir_ / "home");
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string log = LogPath().string();

    pid_t parent = getpid();
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (getppid() != parent) _exit(127);
      int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (fd >= 0) {
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        close(fd);
      }
      execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
    // Ready when it answers on its port.
    auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        ADD_FAILURE() << "caddy exited:\n" << Log();
        return;
      }
      if (Listening(port_)) {
        started_ = true;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "caddy did not listen:\n" << Log();
  }

  ~CaddyProcess() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);  // graceful
    auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }

  CaddyProcess(const CaddyProcess&) = delete;
  CaddyProcess& operator=(const CaddyProcess&) = delete;

  bool started() const { return started_; }
  uint16_t port() const { return port_; }
  std::string Log() const { return ReadFile(LogPath()); }

 private:
  fs::path LogPath() const { return dir_ / "caddy.log"; }

  // This process's environment with HOME and the XDG directories (where
  // Caddy keeps its autosaved config and its certificate storage) moved
  // into `home`, so no file of the user's own Caddy is read or written.
  static std::vector<std::string> PrivateEnvironment(const fs::path& home) {
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

  fs::path dir_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
  bool started_ = false;
};

class CaddyTest : public ApiTest {
 protected:
  ServerOptions Options() override {
    std::ofstream(dir_.path() / "gatehouse.toml") << kSpecGuardToml;
    ServerOptions options = ApiTest::Options();
    options.env["GATEHOUSE_CONFIG"] = (dir_.path() / "gatehouse.toml").string();
    options.env["GATEHOUSE_TRUSTED_PROXIES"] = "127.0.0.1";
    return options;
  }

  void SetUp() override {
    fs::path caddy = FindCaddy();
    if (caddy.empty()) {
      if (CaddyRequired()) {
        FAIL() << "caddy is not installed and GATEHOUSE_REQUIRE_CADDY=1: "
                  "run scripts/install-deps.sh";
      }
      GTEST_SKIP() << "caddy is not installed (Debian: the `caddy` package, "
                      "see scripts/install-deps.sh); set "
                      "GATEHOUSE_REQUIRE_CADDY=1 to fail instead of skip";
    }
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    caddy_ = std::make_unique<CaddyProcess>(caddy, dir_.path() / "caddy",
                                            port(), app_.port());
    ASSERT_TRUE(caddy_->started());
  }

  void TearDown() override {
    if (HasFailure() && caddy_) std::cerr << "caddy log:\n" << caddy_->Log();
  }

  // One request through Caddy as a browser sends it: the jar's cookies
  // go out and the answer's Set-Cookie come back into it.
  HttpResult Get(const std::string& target, CookieJar* jar,
                 std::vector<std::pair<std::string, std::string>> headers = {},
                 const std::string& agent = "browser",
                 const std::string& method = "GET",
                 const std::string& body = "") {
    HttpRequest req;
    req.method = method;
    req.target = target;
    req.body = body;
    req.headers = std::move(headers);
    req.headers.emplace_back("User-Agent", agent);
    if (jar && jar->size() > 0)
      req.headers.emplace_back("Cookie", jar->CookieHeader());
    HttpResult r = Send(caddy_->port(), req);
    if (jar) jar->Absorb(r);
    return r;
  }

  // Like a browser: follows redirects (at most 10) and fails on a loop.
  struct Visit {
    HttpResult last;
    std::vector<std::string> locations;  // every redirect followed
    std::string final_target;
  };
  Visit Browse(const std::string& target, CookieJar& jar,
               const std::string& agent = "browser") {
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

  // Registers and signs in through Caddy (gatehouse's /api/ is proxied).
  void SignInAs(CookieJar& jar, const std::string& email,
                const std::string& role) {
    Register(email);
    if (role != "user") SetRole(email, role);
    HttpRequest req;
    req.method = "POST";
    req.target = "/api/v1/auth/login";
    req.body = R"({"email":")" + email + R"(","password":")" +
               std::string(kPassword) + "\"}";
    req.headers = {{"Origin", kAppOrigin}, {"User-Agent", "browser"}};
    HttpResult r = Send(caddy_->port(), req);
    ASSERT_EQ(r.status, 200) << r.body;
    jar.Absorb(r);
    ASSERT_FALSE(jar.Get("access_token").empty());
    ASSERT_FALSE(jar.Get("refresh_token").empty());
  }

  // A browser whose access cookie expired and was dropped: it holds only
  // the refresh cookie of `signed_in`.
  static CookieJar AccessExpired(const CookieJar& signed_in) {
    CookieJar browser;
    browser.Set("refresh_token", signed_in.Get("refresh_token"));
    return browser;
  }

  EchoApp app_;
  std::unique_ptr<CaddyProcess> caddy_;
};

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

// The names of the cookies an answer sets, e.g. {access_token, refresh_token}.
std::multiset<std::string> CookieNames(const HttpResult& r) {
  std::multiset<std::string> names;
  for (const std::string& line : r.set_cookies)
    names.insert(ParseSetCookie(line).name);
  return names;
}

const std::multiset<std::string> kBothCookies = {"access_token",
                                                 "refresh_token"};

// Headers of gatehouse's check that are for the proxy, never the browser.
void ExpectNoCheckHeadersFor(const HttpResult& r) {
  for (const auto& [name, value] : r.headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(c));
    EXPECT_NE(lower.rfind("x-auth-", 0), 0u) << name << ": " << value;
  }
}

TEST_F(CaddyTest, AnonymousIsRedirectedOnceToLoginWithNext) {
  CookieJar none;
  HttpResult r = Get("/admin/reports?year=2026", &none);
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("Location"),
            "/auth?next=%2Fadmin%2Freports%3Fyear%3D2026");
  EXPECT_TRUE(r.set_cookies.empty());
  ExpectNoCheckHeadersFor(r);

  CookieJar browser;
  Visit v = Browse("/teacher/plan", browser, "another-browser");
  ASSERT_EQ(v.locations.size(), 1u);
  EXPECT_EQ(v.locations[0], "/auth?next=%2Fteacher%2Fplan");
  EXPECT_EQ(v.last.status, 200) << "the login page loads";
  EXPECT_EQ(v.last.body.rfind("GET /auth?next=%2Fteacher%2Fplan\n", 0), 0u)
      << v.last.body;

  // gatehouse reads X-Forwarded-Uri/-Method: the Caddyfile must replace
  // what a client sends, or the client chooses what is judged.
  HttpResult forged = Get("/admin", &none,
                          {{"X-Forwarded-Uri", "/about"},
                           {"X-Forwarded-Method", "GET"},
                           {"X-Original-URI", "/about"}},
                          "forging-browser");
  EXPECT_EQ(forged.status, 302);
  EXPECT_EQ(forged.Header("Location"), "/auth?next=%2Fadmin");
}

TEST_F(CaddyTest, SignedInPageIsServedWithIdentityAndNoForgedHeaders) {
  CookieJar admin;
  SignInAs(admin, "ada@example.test", "admin");
  HttpResult r = Get("/admin/users", &admin,
                     {{"X-Auth-Role", "forged"},
                      {"X-Auth-Email", "mallory@evil.example"},
                      {"X-Auth-User-Id", "0"},
                      {"X-Auth-Session-Id", "forged"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.set_cookies.empty()) << "no refresh, so no Set-Cookie";
  ExpectNoCheckHeadersFor(r);
  auto seen = UpstreamHeaders(r.body);
  EXPECT_EQ(Values(seen, "x-auth-role"), std::vector<std::string>{"admin"});
  EXPECT_EQ(Values(seen, "x-auth-email"),
            std::vector<std::string>{"ada@example.test"});
  ASSERT_EQ(Values(seen, "x-auth-user-id").size(), 1u);
  EXPECT_NE(Values(seen, "x-auth-user-id")[0], "0");
  ASSERT_EQ(Values(seen, "x-auth-session-id").size(), 1u);
  EXPECT_NE(Values(seen, "x-auth-session-id")[0], "forged");
  EXPECT_TRUE(Values(seen, "x-auth-set-cookie-1").empty());

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
  CookieJar signed_in;
  SignInAs(signed_in, "cid@example.test", "admin");
  CookieJar browser = AccessExpired(signed_in);

  HttpResult r = Get("/admin", &browser);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Values(UpstreamHeaders(r.body), "x-auth-email"),
            std::vector<std::string>{"cid@example.test"});
  // The proof of silent refresh at the edge: BOTH Set-Cookie of the check
  // reach the browser (Caddy's forward_auth would pass neither).
  EXPECT_EQ(CookieNames(r), kBothCookies)
      << ::testing::PrintToString(r.set_cookies);
  ExpectNoCheckHeadersFor(r);
  EXPECT_FALSE(browser.Get("access_token").empty());
  EXPECT_NE(browser.Get("refresh_token"), signed_in.Get("refresh_token"))
      << "rotated";

  // The new cookies work: through Caddy without another refresh, and at
  // gatehouse's own API.
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

// F8: an unusable refresh token sends the browser to sign-in exactly once,
// clears both cookies, and the login page loads; no loop.
TEST_F(CaddyTest, F8_InvalidRefreshRedirectsOnceClearsCookiesNoLoop) {
  CookieJar browser;
  browser.Set("access_token", "expired.or.forged");
  browser.Set("refresh_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  Visit v = Browse("/admin/reports", browser);
  ASSERT_EQ(v.locations.size(), 1u) << ::testing::PrintToString(v.locations);
  EXPECT_EQ(v.locations[0], "/auth?next=%2Fadmin%2Freports");
  EXPECT_EQ(browser.size(), 0u) << "both cookies cleared with the redirect";
  EXPECT_EQ(v.last.status, 200) << "the login page loads";
  EXPECT_EQ(v.last.body.rfind("GET /auth?next=", 0), 0u) << v.last.body;

  // That redirect: both clearing Set-Cookie, and nothing of the check's
  // headers that are meant for the proxy.
  CookieJar again;
  again.Set("access_token", "expired.or.forged");
  again.Set("refresh_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  HttpResult redirect = Get("/admin/reports", &again, {}, "second-browser");
  EXPECT_EQ(redirect.status, 302);
  EXPECT_EQ(CookieNames(redirect), kBothCookies)
      << ::testing::PrintToString(redirect.set_cookies);
  ExpectNoCheckHeadersFor(redirect);

  // Stale cookies straight on the login page (an open page, a 2xx check):
  // it loads, no redirect, and the cookies are cleared too.
  CookieJar stale;
  stale.Set("access_token", "expired.or.forged");
  stale.Set("refresh_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  Visit login = Browse("/auth", stale, "stale-browser");
  EXPECT_TRUE(login.locations.empty())
      << ::testing::PrintToString(login.locations);
  EXPECT_EQ(login.last.status, 200);
  EXPECT_EQ(stale.size(), 0u);
}

TEST_F(CaddyTest, WrongRoleGets403) {
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
  CookieJar admin;
  SignInAs(admin, "bea@example.test", "admin");
  HttpResult r = Get("/auth", &admin);
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("Location"), "/admin");
  Visit v = Browse("/auth?next=%2Fadmin", admin);
  EXPECT_EQ(v.locations, std::vector<std::string>{"/admin"});
  EXPECT_EQ(v.last.status, 200);
}

TEST_F(CaddyTest, OpenRedirectAttemptsOnlyEverGiveLocalPaths) {
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

}  // namespace
}  // namespace gatehouse::testing
