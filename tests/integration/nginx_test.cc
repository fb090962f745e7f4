// The shipped nginx config (deploy/nginx/gatehouse.conf) against real
// nginx: the real gatehouse behind it for auth_request, and a small
// upstream "app" that echoes the request headers it received (SPEC §7, F8).
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "tests/integration/api_fixture.h"
#include "tests/integration/echo_app.h"

namespace gatehouse::testing {
namespace {

namespace fs = std::filesystem;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr char kNginx[] = "/usr/sbin/nginx";

// The config as shipped; the test only fills in addresses.
fs::path ShippedConfig() {
  return fs::path(__FILE__).parent_path().parent_path().parent_path() /
         "deploy" / "nginx" / "gatehouse.conf";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Replaces the one occurrence of `from`; false if there is not exactly one.
bool ReplaceOnce(std::string& text, const std::string& from,
                 const std::string& to) {
  size_t at = text.find(from);
  if (at == std::string::npos || text.find(from, at + 1) != std::string::npos)
    return false;
  text.replace(at, from.size(), to);
  return true;
}

uint16_t FreePort() {
  net::io_context ioc;
  tcp::acceptor acceptor(ioc, {net::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

// Real nginx with the shipped config, on a free loopback port, its prefix,
// logs and temp files in `dir`. Stopped by PID.
class NginxProcess {
 public:
  NginxProcess(const fs::path& dir, uint16_t gatehouse_port, uint16_t app_port)
      : dir_(dir), port_(FreePort()) {
    std::string site = ReadFile(ShippedConfig());
    bool ok =
        ReplaceOnce(
            site, "server 127.0.0.1:8080;",
            "server 127.0.0.1:" + std::to_string(gatehouse_port) + ";") &&
        ReplaceOnce(site, "server 127.0.0.1:3000;",
                    "server 127.0.0.1:" + std::to_string(app_port) + ";") &&
        ReplaceOnce(site, "listen 80;",
                    "listen 127.0.0.1:" + std::to_string(port_) + ";");
    if (!ok) {
      ADD_FAILURE() << ShippedConfig()
                    << " no longer has exactly one `server 127.0.0.1:8080;`, "
                       "`server 127.0.0.1:3000;` and `listen 80;`";
      return;
    }
    std::ofstream(dir_ / "gatehouse.conf") << site;
    std::string d = dir_.string();
    std::ofstream(dir_ / "nginx.conf")
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

    std::vector<std::string> args = {
        kNginx,
        "-p",
        d + "/",
        "-e",
        d + "/error.log",
        "-c",
        d + "/nginx.conf",
        "-g",
        "daemon off; master_process on; pid " + d + "/nginx.pid;"};
    pid_t parent = getpid();
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (getppid() != parent) _exit(127);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(kNginx, argv.data());
      _exit(127);
    }
    // Ready when it answers on its port.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        ADD_FAILURE() << "nginx exited:\n" << ReadFile(dir_ / "error.log");
        return;
      }
      try {
        net::io_context ioc;
        tcp::socket s(ioc);
        s.connect({net::ip::make_address("127.0.0.1"), port_});
        started_ = true;
        return;
      } catch (...) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    ADD_FAILURE() << "nginx did not listen:\n" << ReadFile(dir_ / "error.log");
  }

  ~NginxProcess() {
    if (pid_ <= 0) return;
    kill(pid_, SIGQUIT);  // graceful
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }

  bool started() const { return started_; }
  uint16_t port() const { return port_; }
  std::string ErrorLog() const { return ReadFile(dir_ / "error.log"); }

 private:
  fs::path dir_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
  bool started_ = false;
};

class NginxTest : public ApiTest {
 protected:
  ServerOptions Options() override {
    std::ofstream(dir_.path() / "gatehouse.toml") << kSpecGuardToml;
    ServerOptions options = ApiTest::Options();
    options.env["GATEHOUSE_CONFIG"] = (dir_.path() / "gatehouse.toml").string();
    options.env["GATEHOUSE_TRUSTED_PROXIES"] = "127.0.0.1";
    return options;
  }

  void SetUp() override {
    ASSERT_TRUE(fs::exists(kNginx))
        << kNginx << " is missing: run scripts/install-deps.sh";
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    fs::create_directories(dir_.path() / "nginx");
    nginx_ = std::make_unique<NginxProcess>(dir_.path() / "nginx", port(),
                                            app_.port());
    ASSERT_TRUE(nginx_->started());
  }

  void TearDown() override {
    if (HasFailure() && nginx_) {
      std::cerr << "nginx error log:\n" << nginx_->ErrorLog();
    }
  }

  // One request through nginx as a browser sends it: the jar's cookies
  // go out and the answer's Set-Cookie come back into it.
  HttpResult Get(const std::string& target, CookieJar* jar,
                 std::vector<std::pair<std::string, std::string>> headers = {},
                 const std::string& agent = "browser") {
    HttpRequest req;
    req.target = target;
    req.headers = std::move(headers);
    req.headers.emplace_back("User-Agent", agent);
    if (jar && jar->size() > 0)
      req.headers.emplace_back("Cookie", jar->CookieHeader());
    HttpResult r = Send(nginx_->port(), req);
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

  // Registers and signs in through nginx (gatehouse's /api/ is proxied).
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
    HttpResult r = Send(nginx_->port(), req);
    ASSERT_EQ(r.status, 200) << r.body;
    jar.Absorb(r);
    ASSERT_FALSE(jar.Get("access_token").empty());
    ASSERT_FALSE(jar.Get("refresh_token").empty());
  }

  EchoApp app_;
  std::unique_ptr<NginxProcess> nginx_;
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

TEST_F(NginxTest, AnonymousIsRedirectedOnceToLoginWithNext) {
  CookieJar none;
  HttpResult r = Get("/admin/reports?year=2026", &none);
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

  // gatehouse reads X-Forwarded-Uri before X-Original-URI: the config must
  // not let a client choose what is judged.
  HttpResult forged = Get("/admin", &none,
                          {{"X-Forwarded-Uri", "/about"},
                           {"X-Forwarded-Method", "GET"},
                           {"X-Original-URI", "/about"}},
                          "forging-browser");
  EXPECT_EQ(forged.status, 302);
  EXPECT_EQ(forged.Header("Location"), "/auth?next=%2Fadmin");

  EXPECT_EQ(Get("/_gatehouse/check", &none).status, 404) << "internal only";
}

TEST_F(NginxTest, SignedInPageIsServedWithIdentityAndNoForgedHeaders) {
  CookieJar admin;
  SignInAs(admin, "ada@example.test", "admin");
  HttpResult r = Get("/admin/users", &admin,
                     {{"X-Auth-Role", "forged"},
                      {"X-Auth-Email", "mallory@evil.example"},
                      {"X-Auth-User-Id", "0"},
                      {"X-Auth-Session-Id", "forged"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.set_cookies.empty())
      << "no refresh, so no Set-Cookie (empty add_header adds nothing)";
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

  // Anonymous on an open page: no identity at all, forged ones dropped.
  CookieJar none;
  HttpResult anon =
      Get("/about", &none,
          {{"X-Auth-Role", "admin"}, {"X-Auth-Email", "mallory@evil.example"}});
  ASSERT_EQ(anon.status, 200);
  for (const auto& [name, value] : UpstreamHeaders(anon.body))
    EXPECT_NE(name.rfind("x-auth-", 0), 0u) << name << ": " << value;
}

TEST_F(NginxTest, AccessExpiredIsRefreshedAndTheBrowserGetsBothCookies) {
  CookieJar signed_in;
  SignInAs(signed_in, "cid@example.test", "admin");
  CookieJar browser;  // the access cookie expired and the browser dropped it
  browser.Set("refresh_token", signed_in.Get("refresh_token"));

  HttpResult r = Get("/admin", &browser);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Values(UpstreamHeaders(r.body), "x-auth-email"),
            std::vector<std::string>{"cid@example.test"});
  // The proof of the cookie fix: BOTH Set-Cookie reach the browser
  // (nginx's $upstream_http_set_cookie alone would carry only the first).
  std::set<std::string> names;
  for (const std::string& line : r.set_cookies)
    names.insert(ParseSetCookie(line).name);
  EXPECT_EQ(names, (std::set<std::string>{"access_token", "refresh_token"}))
      << ::testing::PrintToString(r.set_cookies);
  EXPECT_EQ(r.set_cookies.size(), 2u);
  EXPECT_FALSE(browser.Get("access_token").empty());
  EXPECT_NE(browser.Get("refresh_token"), signed_in.Get("refresh_token"))
      << "rotated";

  // The new cookies work: through nginx without another refresh, and at
  // gatehouse's own API.
  HttpResult again = Get("/admin/x", &browser);
  ASSERT_EQ(again.status, 200);
  EXPECT_TRUE(again.set_cookies.empty());
  HttpResult me = Get("/api/v1/auth/me", &browser);
  EXPECT_EQ(me.status, 200) << me.body;
  // And the new refresh cookie refreshes again.
  CookieJar later;
  later.Set("refresh_token", browser.Get("refresh_token"));
  HttpResult refreshed_again = Get("/admin", &later);
  EXPECT_EQ(refreshed_again.status, 200);
  EXPECT_EQ(refreshed_again.set_cookies.size(), 2u);
}

// F8: an unusable refresh token sends the browser to sign-in exactly once,
// clears both cookies, and the login page loads; no loop.
TEST_F(NginxTest, F8_InvalidRefreshRedirectsOnceClearsCookiesNoLoop) {
  CookieJar browser;
  browser.Set("access_token", "expired.or.forged");
  browser.Set("refresh_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  Visit v = Browse("/admin/reports", browser);
  ASSERT_EQ(v.locations.size(), 1u) << ::testing::PrintToString(v.locations);
  EXPECT_EQ(v.locations[0], "/auth?next=%2Fadmin%2Freports");
  EXPECT_EQ(browser.size(), 0u) << "both cookies cleared with the redirect";
  EXPECT_EQ(v.last.status, 200) << "the login page loads";
  EXPECT_EQ(v.last.body.rfind("GET /auth?next=", 0), 0u) << v.last.body;

  // Stale cookies straight on the login page: it loads, no redirect, and
  // the cookies are cleared too.
  CookieJar stale;
  stale.Set("access_token", "expired.or.forged");
  stale.Set("refresh_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  Visit login = Browse("/auth", stale, "stale-browser");
  EXPECT_TRUE(login.locations.empty())
      << ::testing::PrintToString(login.locations);
  EXPECT_EQ(login.last.status, 200);
  EXPECT_EQ(stale.size(), 0u);
}

TEST_F(NginxTest, WrongRoleGets403) {
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

TEST_F(NginxTest, SignedInOnLoginPathGoesToLanding) {
  CookieJar admin;
  SignInAs(admin, "bea@example.test", "admin");
  HttpResult r = Get("/auth", &admin);
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("Location"), "/admin");
  Visit v = Browse("/auth?next=%2Fadmin", admin);
  EXPECT_EQ(v.locations, std::vector<std::string>{"/admin"});
  EXPECT_EQ(v.last.status, 200);
}

TEST_F(NginxTest, OpenRedirectAttemptsOnlyEverGiveLocalPaths) {
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
    } else {
      EXPECT_TRUE(location.empty()) << target << " -> " << location;
      EXPECT_TRUE(r.status == 200 || r.status == 400 || r.status == 403)
          << target << ": " << r.status;
    }
    if (r.status == 302) {
      // `next` decoded is a local path too.
      std::string next = NextParam(location);
      EXPECT_TRUE(next.empty() || IsLocalPath(next))
          << target << " -> next " << next;
    }
  }
}

}  // namespace
}  // namespace gatehouse::testing
