// Black-box tests of `gatehouse doctor --live`: the real binary signs in,
// refreshes and signs out against a real gatehouse, and judges the
// Set-Cookie headers that server really sent (F4, F5, F10), in text and
// JSON, with its exit codes.
//
// The deployment under test is the cross-subdomain one of the field: the
// API at api.example.test, the app at app.example.test:3000. The tests
// may only speak to 127.0.0.1, so doctor reaches the API through
// --resolve api.example.test:<port>:127.0.0.1, as it would reach a staging
// box. The servers run with --dev: production refuses an http:// public
// URL that is not loopback, and its Secure cookies would never be stored
// from http://api.example.test anyway, while the tests have no TLS in
// front of gatehouse. --dev changes only Secure (off) and the defaults;
// the cookie Domain and the trusted origins come from the same settings
// as in production. https:// itself is tested against a one-shot TLS
// server (openssl s_server) with a test certificate for api.example.test.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "testing/http_client.h"
#include "testing/server_process.h"
#include "testing/temp_dir.h"
#include "tests/integration/doctor_json.h"

extern char** environ;

namespace gatehouse::testkit {
namespace {

using Env = std::map<std::string, std::string>;

constexpr char kEmail[] = "doctor@example.test";
constexpr char kPassword[] = "doctor's correct horse battery";
constexpr char kApiHost[] = "api.example.test";
constexpr char kAppUrl[] = "http://app.example.test:3000";

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A port nothing listens on right now, for a server whose public URL must
// name its port before it starts.
uint16_t FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof addr;
  uint16_t port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), size) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// A --dev gatehouse for the cross-subdomain deployment, with `env` on top,
// and a registered test account. Its public URL is the one doctor uses,
// http://api.example.test:<port>, as in a real deployment.
class LiveServer {
 public:
  LiveServer(const TempDir& dir, Env env) : env_(std::move(env)) {
    const std::string port = std::to_string(FreeLoopbackPort());
    env_["GATEHOUSE_LISTEN"] = "127.0.0.1:" + port;
    env_["GATEHOUSE_PUBLIC_URL"] =
        std::string("http://") + kApiHost + ":" + port;
    env_.try_emplace("GATEHOUSE_TRUSTED_ORIGINS", kAppUrl);
    ServerOptions options;
    options.env = env_;
    server_ = std::make_unique<ServerProcess>(dir, options);
    if (!server_->started()) return;
    HttpRequest reg;
    reg.method = "POST";
    reg.target = "/api/v1/auth/register";
    reg.body = boost::json::serialize(
        boost::json::object{{"email", kEmail}, {"password", kPassword}});
    HttpResult r = Send(server_->port(), reg);
    EXPECT_EQ(r.status, 201) << r.body;
  }

  bool started() const { return server_->started(); }
  uint16_t port() const { return server_->port(); }
  ServerProcess& process() { return *server_; }

  std::string ApiUrl() const {
    return std::string("http://") + kApiHost + ":" + std::to_string(port());
  }

  // The environment doctor runs with: the server's own config, as an
  // operator runs doctor beside the server.
  Env DoctorEnv() const {
    Env env = env_;
    env["GATEHOUSE_DOCTOR_PASSWORD"] = kPassword;
    return env;
  }

  // `gatehouse doctor --dev --live` against this server, the app at
  // kAppUrl, with `extra` arguments and `env` (DoctorEnv() by default).
  CommandResult Doctor(std::vector<std::string> extra = {},
                       std::optional<Env> env = std::nullopt) const {
    std::vector<std::string> args = {
        "doctor",
        "--dev",
        "--live",
        "--api-url",
        ApiUrl(),
        "--app-url",
        kAppUrl,
        "--resolve",
        std::string(kApiHost) + ":" + std::to_string(port()) + ":127.0.0.1",
        "--email",
        kEmail};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunGatehouse(args, env ? *env : DoctorEnv());
  }

 private:
  Env env_;
  std::unique_ptr<ServerProcess> server_;
};

// Signs the test account in and expects its new session to be the only
// active one: every session doctor opened has ended.
void ExpectOnlyANewSessionAfterSigningIn(uint16_t port) {
  CookieJar jar;
  HttpRequest login;
  login.method = "POST";
  login.target = "/api/v1/auth/login";
  login.body = boost::json::serialize(
      boost::json::object{{"email", kEmail}, {"password", kPassword}});
  jar.Absorb(Send(port, login));
  HttpRequest list;
  list.target = "/api/v1/auth/sessions";
  list.headers = {{"Cookie", jar.CookieHeader()}};
  HttpResult sessions = Send(port, list);
  ASSERT_EQ(sessions.status, 200) << sessions.body;
  EXPECT_EQ(sessions.Json().at("data").at("sessions").as_array().size(), 1u)
      << sessions.body;
}

boost::json::object ParseDoc(const CommandResult& r) {
  return ParseDoctorJson(r.output);
}

std::set<std::string> LiveIds(const boost::json::object& doc,
                              const char* severity = nullptr) {
  std::set<std::string> live;
  for (const std::string& id : FindingIds(doc, severity)) {
    if (id.starts_with("live-")) live.insert(id);
  }
  return live;
}

const boost::json::object* FindingById(const boost::json::object& doc,
                                       const std::string& id) {
  for (const auto& f : doc.at("findings").as_array()) {
    if (f.at("id").as_string() == id) return &f.as_object();
  }
  return nullptr;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// (a) The cookie Domain unset (host-only) while the app is on a sibling
// subdomain: F4, computed from the cookies the server really set.
TEST(DoctorLiveTest, F4_HostOnlyCookiesAcrossSubdomainsFromTheLiveCookies) {
  TempDir dir;
  LiveServer server(dir, {});
  ASSERT_TRUE(server.started());

  CommandResult r = server.Doctor();
  EXPECT_EQ(r.exit_code, 1) << r.output;
  for (const char* text :
       {"  live: login 200, refresh 200, logout 200 as doctor@example.test\n",
        "error: The app host app.example.test never receives the "
        "access_token and refresh_token cookies login set\n",
        "  id:      live-cookies-miss-app\n",
        "  setting: GATEHOUSE_COOKIE_DOMAIN\n", "(host-only)",
        "GATEHOUSE_COOKIE_DOMAIN=.example.test on the server",
        "GATEHOUSE_COOKIE_OLD_DOMAINS=host-only", "FAIL "}) {
    EXPECT_TRUE(Contains(r.output, text)) << "missing: " << text << "\nin:\n"
                                          << r.output;
  }
  EXPECT_FALSE(Contains(r.output, kPassword));

  // The live stage sees what the server does, not what doctor's config
  // says: with a config that claims .example.test, the static checks find
  // nothing wrong, and the live stage still does.
  Env claims = server.DoctorEnv();
  claims["GATEHOUSE_COOKIE_DOMAIN"] = ".example.test";
  boost::json::object doc = ParseDoc(server.Doctor({"--json"}, claims));
  EXPECT_EQ(doc.at("ok"), false);
  EXPECT_EQ(FindingIds(doc).count("cookie-domain-misses-app"), 0u);
  EXPECT_EQ(LiveIds(doc, "error"),
            std::set<std::string>{"live-cookies-miss-app"})
      << boost::json::serialize(doc);
}

// (b) The sound deployment: Domain=.example.test, the app origin trusted.
TEST(DoctorLiveTest, SoundCrossSubdomainDeploymentPasses) {
  TempDir dir;
  LiveServer server(dir, {{"GATEHOUSE_COOKIE_DOMAIN", ".example.test"}});
  ASSERT_TRUE(server.started());
  CommandResult r = server.Doctor();
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(Contains(r.output, "  live: login 200, refresh 200, logout 200"))
      << r.output;
  EXPECT_TRUE(Contains(r.output, "OK 0 errors")) << r.output;
  EXPECT_FALSE(Contains(r.output, "error:")) << r.output;
  EXPECT_FALSE(Contains(r.output, "live-")) << r.output;
}

// (c) The JSON document of a live run has the static report's shape.
TEST(DoctorLiveTest, JsonHasTheShapeOfTheStaticReport) {
  TempDir dir;
  LiveServer server(dir, {});
  ASSERT_TRUE(server.started());
  CommandResult r = server.Doctor({"--json"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  boost::json::object doc = ParseDoc(r);
  std::vector<std::string> keys;
  for (const auto& member : doc) keys.emplace_back(member.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"ok", "errors", "warnings", "notes",
                                            "mode", "api_url", "app_urls",
                                            "findings"}));
  EXPECT_EQ(doc.at("ok"), false);
  EXPECT_EQ(doc.at("mode"), "dev");
  EXPECT_EQ(doc.at("api_url").as_string(), server.ApiUrl());
  EXPECT_EQ(doc.at("app_urls"), boost::json::array{kAppUrl});
  const auto* f4 = FindingById(doc, "live-cookies-miss-app");
  ASSERT_NE(f4, nullptr) << r.output;
  std::vector<std::string> finding_keys;
  for (const auto& member : *f4) finding_keys.emplace_back(member.key());
  EXPECT_EQ(finding_keys, (std::vector<std::string>{"id", "severity", "setting",
                                                    "title", "why", "fix"}));
  EXPECT_EQ(f4->at("severity"), "error");
  EXPECT_EQ(f4->at("setting"), "GATEHOUSE_COOKIE_DOMAIN");
  // Errors first: the counts and the order agree.
  int errors = 0;
  bool past_errors = false;
  for (const auto& f : doc.at("findings").as_array()) {
    bool error = f.at("severity") == "error";
    errors += error ? 1 : 0;
    EXPECT_FALSE(error && past_errors) << r.output;
    past_errors = past_errors || !error;
  }
  EXPECT_EQ(doc.at("errors"), errors);
}

// (d) F10: two cookies of one name in what a browser sent, and the pair a
// server leaves when it does not clear the old host-only cookies.
TEST(DoctorLiveTest, F10_DuplicateCookiesFromTheBrowsersCookieHeader) {
  const std::string pasted =
      "access_token=pasted-access-VALUE; refresh_token=pasted-refresh-ONE; "
      "refresh_token=pasted-refresh-TWO";
  {
    TempDir dir;
    LiveServer server(dir, {{"GATEHOUSE_COOKIE_DOMAIN", ".example.test"}});
    ASSERT_TRUE(server.started());
    CommandResult r = server.Doctor({"--json", "--cookie-header", pasted});
    EXPECT_EQ(r.exit_code, 1) << r.output;
    boost::json::object doc = ParseDoc(r);
    EXPECT_EQ(LiveIds(doc, "error"),
              std::set<std::string>{"live-duplicate-cookies"})
        << r.output;
    EXPECT_EQ(LiveIds(doc, "warning"),
              std::set<std::string>{"live-cookie-header-duplicates"});
    const auto* dup = FindingById(doc, "live-duplicate-cookies");
    ASSERT_NE(dup, nullptr);
    EXPECT_EQ(dup->at("title"),
              "A browser would send two access_token and two refresh_token "
              "cookies to api.example.test");
    EXPECT_TRUE(Contains(std::string(dup->at("fix").as_string()),
                         "GATEHOUSE_COOKIE_OLD_DOMAINS=host-only"));
    const auto* header = FindingById(doc, "live-cookie-header-duplicates");
    ASSERT_NE(header, nullptr);
    EXPECT_EQ(header->at("title"),
              "The browser's Cookie header carries two refresh_token cookies");
    for (const char* value :
         {"pasted-access-VALUE", "pasted-refresh-ONE", "pasted-refresh-TWO"}) {
      EXPECT_FALSE(Contains(r.output, value)) << value;
    }
  }
  {
    // The server clears the old host-only cookies: only what the browser
    // holds today is reported, as a warning.
    TempDir dir;
    LiveServer server(dir, {{"GATEHOUSE_COOKIE_DOMAIN", ".example.test"},
                            {"GATEHOUSE_COOKIE_OLD_DOMAINS", "host-only"}});
    ASSERT_TRUE(server.started());
    CommandResult r = server.Doctor({"--json", "--cookie-header", pasted});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(LiveIds(ParseDoc(r)),
              std::set<std::string>{"live-cookie-header-duplicates"})
        << r.output;
  }
}

// (e) A wrong password is a clear finding, and is never printed.
TEST(DoctorLiveTest, WrongPasswordIsAClearFinding) {
  TempDir dir;
  LiveServer server(dir, {{"GATEHOUSE_COOKIE_DOMAIN", ".example.test"}});
  ASSERT_TRUE(server.started());
  Env env = server.DoctorEnv();
  env["GATEHOUSE_DOCTOR_PASSWORD"] = "not-the-PASSWORD-at-all";
  CommandResult r = server.Doctor({}, env);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(Contains(r.output, "  live: login 401 as doctor@example.test\n"))
      << r.output;
  EXPECT_TRUE(Contains(r.output,
                       "error: Signing in as doctor@example.test failed: wrong "
                       "email or password\n  id:      live-login-rejected\n"))
      << r.output;
  EXPECT_FALSE(Contains(r.output, "not-the-PASSWORD-at-all"));
  // --password works too, and is not printed either.
  CommandResult flag =
      server.Doctor({"--password", "flag-PASSWORD-wrong"},
                    Env{{"GATEHOUSE_COOKIE_DOMAIN", ".example.test"}});
  EXPECT_EQ(flag.exit_code, 1) << flag.output;
  EXPECT_TRUE(Contains(flag.output, "live-login-rejected")) << flag.output;
  EXPECT_FALSE(Contains(flag.output, "flag-PASSWORD-wrong"));
}

TEST(DoctorLiveTest, AnUntrustedAppOriginIsRefusedAndTheSessionStillEnds) {
  TempDir dir;
  LiveServer server(
      dir, {{"GATEHOUSE_COOKIE_DOMAIN", ".example.test"},
            {"GATEHOUSE_TRUSTED_ORIGINS", "http://admin.example.test:3000"}});
  ASSERT_TRUE(server.started());
  CommandResult r = server.Doctor({"--json"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  boost::json::object doc = ParseDoc(r);
  // Sign-in from an untrusted origin is refused already (login CSRF), so
  // doctor opens no session and judges no login answer's CORS headers.
  EXPECT_EQ(LiveIds(doc, "error"),
            (std::set<std::string>{"live-csrf-rejected"}))
      << r.output;
  const auto* csrf = FindingById(doc, "live-csrf-rejected");
  ASSERT_NE(csrf, nullptr);
  EXPECT_EQ(csrf->at("setting"), "GATEHOUSE_TRUSTED_ORIGINS");
  EXPECT_TRUE(Contains(std::string(csrf->at("title").as_string()),
                       "The login request from http://app.example.test:3000"))
      << r.output;
  EXPECT_TRUE(Contains(std::string(csrf->at("fix").as_string()),
                       "GATEHOUSE_TRUSTED_ORIGINS=http://admin.example.test:"
                       "3000,http://app.example.test:3000"))
      << r.output;

  // doctor left no session behind: signing in again, the only active
  // session is the new one.
  ExpectOnlyANewSessionAfterSigningIn(server.port());
}

TEST(DoctorLiveTest, DoctorsOwnSessionIsSignedOut) {
  TempDir dir;
  LiveServer server(dir, {{"GATEHOUSE_COOKIE_DOMAIN", ".example.test"}});
  ASSERT_TRUE(server.started());
  for (int run = 0; run < 2; ++run) {
    ASSERT_EQ(server.Doctor().exit_code, 0);
  }
  ExpectOnlyANewSessionAfterSigningIn(server.port());
}

TEST(DoctorLiveTest, AnUnreachableApiIsAFinding) {
  TempDir dir;
  LiveServer server(dir, {{"GATEHOUSE_COOKIE_DOMAIN", ".example.test"}});
  ASSERT_TRUE(server.started());
  ASSERT_EQ(server.process().Stop(), 0);  // the port is closed now
  CommandResult r = server.Doctor();
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(Contains(r.output, "  live: login (no answer) as "));
  EXPECT_TRUE(Contains(r.output, "error: gatehouse at " + server.ApiUrl() +
                                     " cannot be reached\n"
                                     "  id:      live-api-unreachable\n"))
      << r.output;
  EXPECT_TRUE(Contains(r.output, "(127.0.0.1)")) << r.output;
}

TEST(DoctorLiveTest, UsageErrorsExitTwo) {
  Env env = {{"GATEHOUSE_DOCTOR_PASSWORD", kPassword}};
  auto doctor = [&](std::vector<std::string> args, Env e) {
    args.insert(args.begin(), {"doctor", "--dev"});
    return RunGatehouse(args, e);
  };
  // --live without an account, or without its password.
  EXPECT_EQ(doctor({"--live"}, env).exit_code, 2);
  CommandResult no_password = doctor({"--live", "--email", kEmail}, Env{});
  EXPECT_EQ(no_password.exit_code, 2);
  EXPECT_TRUE(Contains(no_password.output, "GATEHOUSE_DOCTOR_PASSWORD"))
      << no_password.output;
  // The live options need --live.
  EXPECT_EQ(doctor({"--email", kEmail}, env).exit_code, 2);
  // A --resolve that is not HOST:PORT:ADDRESS.
  CommandResult bad_resolve = doctor(
      {"--live", "--email", kEmail, "--resolve", "api.example.test:80"}, env);
  EXPECT_EQ(bad_resolve.exit_code, 2);
  EXPECT_TRUE(Contains(bad_resolve.output, "HOST:PORT:ADDRESS"))
      << bad_resolve.output;
  // --cacert must name a file.
  EXPECT_EQ(
      doctor({"--live", "--email", kEmail, "--cacert", "/nonexistent"}, env)
          .exit_code,
      2);
}

TEST(DoctorLiveTest, HelpDocumentsTheLiveStage) {
  CommandResult help = RunGatehouse({"doctor", "--help"}, {});
  EXPECT_EQ(help.exit_code, 0) << help.output;
  for (const char* text :
       {"--live", "--email", "--password", "GATEHOUSE_DOCTOR_PASSWORD",
        "--resolve", "HOST:PORT:ADDRESS", "--cookie-header", "--cacert",
        "never prints the password", "Exit status"}) {
    EXPECT_TRUE(Contains(help.output, text)) << text << "\n" << help.output;
  }
}

// Runs `args` (a program on PATH and its arguments) to completion with
// stdout and stderr in `log`; its exit status.
int RunTool(const std::vector<std::string>& args,
            const std::filesystem::path& log) {
  pid_t pid = 0;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> argv;
  std::vector<std::string> store = args;
  for (auto& a : store) argv.push_back(a.data());
  argv.push_back(nullptr);
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A TLS server for one connection (openssl s_server) that answers it with
// a fixed, non-gatehouse page, under a test certificate for
// api.example.test: enough to tell whether doctor's TLS handshake, its
// certificate check and --resolve work.
class OneShotTlsServer {
 public:
  explicit OneShotTlsServer(const TempDir& dir) {
    cert_ = dir.path() / "cert.pem";
    auto key = dir.path() / "key.pem";
    int made = RunTool({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
                        "-subj", "/CN=api.example.test", "-addext",
                        "subjectAltName=DNS:api.example.test", "-keyout",
                        key.string(), "-out", cert_.string()},
                       dir.path() / "openssl-req.log");
    if (made != 0) {
      ADD_FAILURE() << "openssl req failed:\n"
                    << ReadFile(dir.path() / "openssl-req.log");
      return;
    }
    auto page = dir.path() / "page.http";
    std::ofstream(page) << "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                           "Content-Length: 14\r\nConnection: close\r\n\r\n"
                           "<html>hi</html";
    auto log = dir.path() / "s_server.log";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, page.c_str(),
                                     O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    // -ign_eof: keep the connection open after sending the page, until
    // the client has read it and closes.
    std::vector<std::string> args = {
        "openssl",      "s_server", "-accept",    "127.0.0.1:0", "-cert",
        cert_.string(), "-key",     key.string(), "-naccept",    "1",
        "-ign_eof"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int rc =
        posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      pid_ = -1;
      ADD_FAILURE() << "cannot start openssl s_server";
      return;
    }
    static const std::regex kAccept("ACCEPT 127\\.0\\.0\\.1:(\\d+)");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      std::smatch m;
      std::string out = ReadFile(log);
      if (std::regex_search(out, m, kAccept)) {
        port_ = static_cast<uint16_t>(std::stoi(m[1]));
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "openssl s_server did not listen:\n" << ReadFile(log);
  }

  ~OneShotTlsServer() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }

  uint16_t port() const { return port_; }
  const std::filesystem::path& cert() const { return cert_; }

 private:
  std::filesystem::path cert_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

std::vector<std::string> TlsDoctorArgs(uint16_t port) {
  std::string api = "https://api.example.test:" + std::to_string(port);
  return {
      "doctor",
      "--dev",
      "--live",
      "--api-url",
      api,
      "--resolve",
      std::string("api.example.test:") + std::to_string(port) + ":127.0.0.1",
      "--email",
      kEmail,
      "--json"};
}

// https://: the certificate is checked against the URL's host (not the
// --resolve address), and a private CA is trusted only when given.
TEST(DoctorLiveTest, HttpsChecksTheCertificateAgainstTheUrlsHost) {
  Env env = {{"GATEHOUSE_DOCTOR_PASSWORD", kPassword}};
  {
    TempDir dir;
    OneShotTlsServer tls(dir);
    ASSERT_NE(tls.port(), 0);
    CommandResult r = RunGatehouse(TlsDoctorArgs(tls.port()), env);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    boost::json::object doc = ParseDoc(r);
    const auto* refused = FindingById(doc, "live-api-unreachable");
    ASSERT_NE(refused, nullptr) << r.output;
    EXPECT_TRUE(Contains(std::string(refused->at("why").as_string()),
                         "the certificate is refused (self-signed "
                         "certificate)"))
        << r.output;
  }
  {
    TempDir dir;
    OneShotTlsServer tls(dir);
    ASSERT_NE(tls.port(), 0);
    std::vector<std::string> args = TlsDoctorArgs(tls.port());
    args.insert(args.end(), {"--cacert", tls.cert().string()});
    CommandResult r = RunGatehouse(args, env);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    // The handshake and the request went through; the answer is the
    // test server's page, not gatehouse's.
    boost::json::object doc = ParseDoc(r);
    const auto* page = FindingById(doc, "live-not-gatehouse");
    ASSERT_NE(page, nullptr) << r.output;
    EXPECT_TRUE(Contains(std::string(page->at("why").as_string()),
                         "Content-Type text/html"));
  }
}

}  // namespace
}  // namespace gatehouse::testkit
