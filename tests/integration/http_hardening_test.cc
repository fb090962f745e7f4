// Black-box tests of the HTTP surface: bad input never yields a 5xx,
// limits and timeouts hold, CSRF and CORS behave (SPEC §6, §10), and
// production refuses unsafe configs (SPEC §2).
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <boost/asio.hpp>
#include <optional>
#include <thread>

#include "tests/integration/api_fixture.h"

namespace gatehouse::testkit {
namespace {

namespace net = boost::asio;

class HardeningTest : public ApiTest {};

TEST_F(HardeningTest, MalformedJsonAndMissingFieldsNameTheField) {
  HttpResult bad = Call("POST", "/api/v1/auth/login", "{not json");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Code(), "VALIDATION_FAILED");
  EXPECT_NE(bad.Json().at("message").as_string().find("body"),
            std::string::npos);

  HttpResult missing =
      Call("POST", "/api/v1/auth/login", R"({"email":"a@b.test"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.Json().at("message").as_string().find("password"),
            std::string::npos);

  HttpResult wrong_type =
      Call("POST", "/api/v1/auth/register", R"({"email":42,"password":"x"})");
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_NE(wrong_type.Json().at("message").as_string().find("email"),
            std::string::npos);

  HttpResult short_password =
      Call("POST", "/api/v1/auth/register",
           R"({"email":"a@b.test","password":"short"})");
  EXPECT_EQ(short_password.status, 400);
  EXPECT_NE(short_password.Json().at("message").as_string().find("password"),
            std::string::npos);

  HttpResult array = Call("POST", "/api/v1/auth/login", "[1,2]");
  EXPECT_EQ(array.Code(), "VALIDATION_FAILED");
}

TEST_F(HardeningTest, DuplicateEmailIsAConflict) {
  Register("pat@example.test");
  HttpResult again =
      Call("POST", "/api/v1/auth/register",
           R"({"email":"PAT@example.test","password":"another password"})");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.Code(), "EMAIL_TAKEN");
}

TEST_F(HardeningTest, OversizedBodyIs413) {
  std::string body = R"({"email":")" + std::string(100 * 1024, 'a') + R"("})";
  HttpResult r = Call("POST", "/api/v1/auth/login", body);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.Code(), "PAYLOAD_TOO_LARGE");

  // Without a Content-Length (chunked), the limit holds while reading.
  net::io_context ioc;
  net::ip::tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), port()});
  std::string chunk(32 * 1024, 'a');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  std::string request =
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
      "chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) request += size_line + chunk + "\r\n";
  request += "0\r\n\r\n";
  boost::system::error_code ec;
  net::write(s, net::buffer(request), ec);
  std::string response(256, '\0');
  size_t n = s.read_some(net::buffer(response), ec);
  EXPECT_EQ(response.substr(0, n).rfind("HTTP/1.1 413", 0), 0u)
      << response.substr(0, n);
}

TEST_F(HardeningTest, OversizedHeadersAre431) {
  HttpResult r = Call("GET", "/api/v1/auth/me", "", nullptr,
                      {{"X-Padding", std::string(32 * 1024, 'p')}});
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.Code(), "PAYLOAD_TOO_LARGE");
}

TEST_F(HardeningTest, UnknownRouteAndWrongMethodAreJsonErrors) {
  HttpResult missing = Call("GET", "/api/v1/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Code(), "NOT_FOUND");
  HttpResult wrong = Call("GET", "/api/v1/auth/login");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.Code(), "METHOD_NOT_ALLOWED");
  EXPECT_EQ(wrong.Header("Allow"), "POST");
}

TEST_F(HardeningTest, GarbageCookiesNeverCauseA5xx) {
  const std::vector<std::string> cookies = {
      "access_token=; refresh_token=",
      "access_token=a.b.c; refresh_token=%%%%",
      "access_token=eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.; refresh_token=" +
          std::string(500, 'x'),
      "refresh_token=" + std::string(43, '/'),
      std::string(4000, ';'),
      "access_token=\"unterminated; refresh_token==",
      "access_token=" + std::string(9000, 'A'),
  };
  for (const std::string& cookie : cookies) {
    for (const char* target :
         {"/api/v1/auth/me", "/api/v1/auth/refresh", "/api/v1/auth/logout",
          "/api/v1/auth/logout-all"}) {
      std::string method =
          std::string(target) == "/api/v1/auth/me" ? "GET" : "POST";
      HttpResult r = Call(method, target, "", nullptr, {{"Cookie", cookie}});
      EXPECT_GT(r.status, 0) << target;
      EXPECT_LT(r.status, 500) << target << " with " << cookie.substr(0, 60);
      ASSERT_TRUE(r.Json().is_object()) << r.body;
      EXPECT_TRUE(r.Json().as_object().contains("success")) << r.body;
      if (r.status >= 400) {
        EXPECT_FALSE(r.Code().empty()) << r.body;
      }
    }
  }
  EXPECT_EQ(Call("GET", "/healthz").status, 200);
}

TEST_F(HardeningTest, CookieWriteFromUntrustedOriginIsCsrfRejected) {
  Register("quinn@example.test");
  CookieJar jar;
  ASSERT_EQ(Login(jar, "quinn@example.test").status, 200);
  HttpResult evil = Call(
      "POST", "/api/v1/auth/logout-all", "", nullptr,
      {{"Origin", "https://evil.example"}, {"Cookie", jar.CookieHeader()}});
  EXPECT_EQ(evil.status, 403);
  EXPECT_EQ(evil.Code(), "CSRF_REJECTED");
  EXPECT_TRUE(evil.set_cookies.empty());
  EXPECT_EQ(Me(jar).status, 200) << "nothing was revoked";
  EXPECT_EQ(Refresh(jar).status, 200) << "the trusted app origin may write";
}

using Headers = std::vector<std::pair<std::string, std::string>>;

std::string LoginJson(const std::string& email) {
  return R"({"email":")" + email + R"(","password":")" + kPassword + "\"}";
}

// Sends `request`, a whole HTTP/1.1 message with `Connection: close`, on
// a new connection and returns everything the server answers.
std::string SendRaw(uint16_t port, const std::string& request) {
  net::io_context ioc;
  net::ip::tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), port});
  net::write(s, net::buffer(request));
  std::string received;
  boost::system::error_code ec;
  while (!ec) {
    char buf[4096];
    size_t n = s.read_some(net::buffer(buf), ec);
    received.append(buf, n);
  }
  return received;
}

// Login CSRF (SPEC §6): another site's page must not sign its visitor
// into an account of the attacker's choosing. An HTML form posts
// cross-site with the browser's Origin and a text/plain body; the visitor
// has no auth cookies yet, so the cookie-write check alone let it in.
TEST_F(HardeningTest, LoginCsrfFromAnUntrustedOriginIsRejected) {
  Register("vera@example.test");
  const std::string login = LoginJson("vera@example.test");
  for (const Headers& from : std::vector<Headers>{
           {{"Origin", "http://evil.example"}, {"Content-Type", "text/plain"}},
           {{"Origin", "http://evil.example"}},
           {{"Origin", "null"}},
       }) {
    HttpResult r = Call("POST", "/api/v1/auth/login", login, nullptr, from);
    EXPECT_EQ(r.status, 403) << from[0].second << ": " << r.body;
    EXPECT_EQ(r.Code(), "CSRF_REJECTED");
    EXPECT_TRUE(r.set_cookies.empty()) << "nobody was signed in";
  }
  // Lacking an Origin, the Referer is judged.
  HttpResult by_referer =
      Send(port(), {"POST",
                    "/api/v1/auth/login",
                    login,
                    {{"Referer", "http://evil.example/cute-cats.html"}}});
  EXPECT_EQ(by_referer.status, 403) << by_referer.body;
  EXPECT_EQ(by_referer.Code(), "CSRF_REJECTED");

  // Registering starts an account flow: refused too, and nothing is made.
  HttpResult evil_signup =
      Call("POST", "/api/v1/auth/register",
           R"({"email":"mal@example.test","password":"long enough password"})",
           nullptr, {{"Origin", "http://evil.example"}});
  EXPECT_EQ(evil_signup.status, 403) << evil_signup.body;
  EXPECT_EQ(evil_signup.Code(), "CSRF_REJECTED");
  Register("mal@example.test");  // 201: the address was never taken

  // The trusted app, the API's own origin, and a client that sends
  // neither header (curl, a server) sign in.
  CookieJar app;
  EXPECT_EQ(Login(app, "vera@example.test").status, 200);
  // --dev's GATEHOUSE_PUBLIC_URL.
  HttpResult own = Call("POST", "/api/v1/auth/login", login, nullptr,
                        {{"Origin", "http://localhost:8080"}});
  EXPECT_EQ(own.status, 200) << own.body;
  HttpResult bare = Send(port(), {"POST", "/api/v1/auth/login", login, {}});
  EXPECT_EQ(bare.status, 200) << bare.body;
  EXPECT_FALSE(bare.set_cookies.empty());
}

// SPEC §6: a JSON endpoint takes only application/json, so no HTML form
// (text/plain, urlencoded, multipart), from any origin, reaches one.
// Routes that read no body do not look at Content-Type.
TEST_F(HardeningTest, JsonEndpointsRequireJsonContentType) {
  Register("wren@example.test");
  CookieJar jar;
  ASSERT_EQ(Login(jar, "wren@example.test").status, 200);
  struct Case {
    const char* method;
    const char* target;
    std::string body;
  };
  const std::vector<Case> cases = {
      {"POST", "/api/v1/auth/register",
       R"({"email":"xan@example.test","password":"long enough password"})"},
      {"POST", "/api/v1/auth/login", LoginJson("wren@example.test")},
      {"POST", "/api/v1/auth/password",
       std::string(R"({"current_password":")") + kPassword +
           R"(","new_password":"a brand new password"})"},
      {"PATCH", "/api/v1/admin/users/u1", R"({"role":"admin"})"},
  };
  for (const Case& c : cases) {
    for (const char* type :
         {"text/plain", "text/plain; charset=utf-8",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x", "text/json", "application/jsonp",
          "application/json-patch+json"}) {
      HttpResult r =
          Call(c.method, c.target, c.body, &jar, {{"Content-Type", type}});
      EXPECT_EQ(r.status, 415) << c.target << " as " << type << ": " << r.body;
      EXPECT_EQ(r.Code(), "UNSUPPORTED_MEDIA_TYPE") << c.target;
    }
    // No Content-Type at all (a Blob body from fetch sends none).
    std::string raw = std::string(c.method) + " " + c.target +
                      " HTTP/1.1\r\nHost: x\r\nOrigin: " + kAppOrigin +
                      "\r\nCookie: " + jar.CookieHeader() +
                      "\r\nConnection: close\r\nContent-Length: " +
                      std::to_string(c.body.size()) + "\r\n\r\n" + c.body;
    std::string answer = SendRaw(port(), raw);
    EXPECT_EQ(answer.rfind("HTTP/1.1 415", 0), 0u) << c.target << answer;
    EXPECT_NE(answer.find("UNSUPPORTED_MEDIA_TYPE"), std::string::npos);
  }
  EXPECT_EQ(Me(jar).status, 200) << "the password was not changed";

  // The media type's case and parameters do not matter.
  HttpResult with_charset =
      Call("POST", "/api/v1/auth/login", LoginJson("wren@example.test"),
           nullptr, {{"Content-Type", "Application/JSON ; charset=UTF-8"}});
  EXPECT_EQ(with_charset.status, 200) << with_charset.body;

  // Refresh and logout read no body: an empty POST without a
  // Content-Type, as curl sends it, works (README's first session).
  HttpResult refreshed = Refresh(jar);
  EXPECT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_EQ(Call("POST", "/api/v1/auth/logout", "", &jar).status, 200);
}

// SPEC §10: JSON with a repeated key is 400 naming the field, never read
// as its last value ({"role":"user","role":"admin"}).
TEST_F(HardeningTest, DuplicateJsonKeyIsRejected) {
  Register("yan@example.test");
  CookieJar yan;
  HttpResult login =
      Call("POST", "/api/v1/auth/login",
           std::string(R"({"email":"yan@example.test","password":"a guess",)") +
               R"("password":")" + kPassword + "\"}",
           &yan);
  EXPECT_EQ(login.status, 400) << login.body;
  EXPECT_EQ(login.Code(), "VALIDATION_FAILED");
  EXPECT_NE(login.Json().at("message").as_string().find("password"),
            std::string::npos)
      << login.body;
  EXPECT_TRUE(login.set_cookies.empty());

  SetRole("yan@example.test", "admin");
  ASSERT_EQ(Login(yan, "yan@example.test").status, 200);
  Register("zoe@example.test");
  CookieJar zoe;
  ASSERT_EQ(Login(zoe, "zoe@example.test").status, 200);
  std::string zoe_id(Me(zoe).Json().at("data").at("user").at("id").as_string());
  HttpResult patch = Call("PATCH", "/api/v1/admin/users/" + zoe_id,
                          R"({"role":"user","role":"admin"})", &yan);
  EXPECT_EQ(patch.status, 400) << patch.body;
  EXPECT_EQ(patch.Code(), "VALIDATION_FAILED");
  EXPECT_NE(patch.Json().at("message").as_string().find("role"),
            std::string::npos)
      << patch.body;
  EXPECT_EQ(Me(zoe).Json().at("data").at("user").at("role"), "user");
}

TEST_F(HardeningTest, CredentialedCorsPreflightForTrustedOriginsOnly) {
  HttpResult ok = Call("OPTIONS", "/api/v1/auth/refresh", "", nullptr,
                       {{"Access-Control-Request-Method", "POST"},
                        {"Access-Control-Request-Headers", "content-type"}});
  EXPECT_EQ(ok.status, 204);
  EXPECT_EQ(ok.Header("Access-Control-Allow-Origin"), kAppOrigin);
  EXPECT_EQ(ok.Header("Access-Control-Allow-Credentials"), "true");
  EXPECT_EQ(ok.Header("Vary"), "Origin");
  EXPECT_NE(ok.Header("Access-Control-Allow-Headers").find("Content-Type"),
            std::string::npos);

  HttpResult evil = Call("OPTIONS", "/api/v1/auth/refresh", "", nullptr,
                         {{"Origin", "https://evil.example"},
                          {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(evil.Header("Access-Control-Allow-Origin"), "");
  HttpResult get = Call("GET", "/api/v1/auth/me");
  EXPECT_EQ(get.Header("Access-Control-Allow-Origin"), kAppOrigin);
}

// A connection that sends half a header and stalls is cut off, and
// others are served meanwhile.
class TimeoutTest : public ApiTest {
 protected:
  ServerOptions Options() override {
    ServerOptions options = ApiTest::Options();
    options.env["GATEHOUSE_HEADER_TIMEOUT"] = "1s";
    return options;
  }
};

TEST_F(TimeoutTest, StalledClientIsCutOffAndStarvesNoOne) {
  net::io_context ioc;
  std::vector<net::ip::tcp::socket> stalled;
  for (int i = 0; i < 50; ++i) {
    net::ip::tcp::socket s(ioc);
    s.connect({net::ip::make_address("127.0.0.1"), port()});
    net::write(s, net::buffer(std::string(
                      "GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\n")));
    stalled.push_back(std::move(s));
  }
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(Call("GET", "/healthz").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1))
      << "liveness bound, not a benchmark";
  // The server closes each stalled connection after the 1 s header timeout.
  for (auto& s : stalled) {
    char byte;
    boost::system::error_code ec;
    s.read_some(net::buffer(&byte, 1), ec);  // blocks until the server closes
    EXPECT_TRUE(ec == net::error::eof || ec == net::error::connection_reset)
        << ec.message();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started,
            std::chrono::seconds(5));
}

TEST_F(HardeningTest, SigtermFinishesInFlightRequestsAndExitsCleanly) {
  Register("ray@example.test");
  // An idle keep-alive connection must not hold shutdown up.
  net::io_context ioc;
  net::ip::tcp::socket idle(ioc);
  idle.connect({net::ip::make_address("127.0.0.1"), port()});
  // A sign-in (argon2id: tens of ms) is in flight when SIGTERM arrives.
  HttpResult in_flight;
  std::thread client([&] {
    CookieJar jar;
    in_flight = Login(jar, "ray@example.test");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(15));
  auto started = std::chrono::steady_clock::now();
  int exit_code = server_->Stop();
  client.join();
  EXPECT_EQ(exit_code, 0) << server_->Output();
  EXPECT_LT(std::chrono::steady_clock::now() - started,
            std::chrono::seconds(5));
  EXPECT_EQ(in_flight.status, 200) << "the in-flight request was answered";
}

TEST(ProductionConfigTest, RefusesToStartOnUnsafeConfigNamingTheSetting) {
  TempDir dir;
  std::map<std::string, std::string> env = {
      {"GATEHOUSE_DATABASE_URL", "sqlite://" + (dir.path() / "g.db").string()},
      {"GATEHOUSE_LISTEN", "127.0.0.1:0"},
      {"GATEHOUSE_PUBLIC_URL", "https://api.example.com"},
      {"GATEHOUSE_MASTER_KEY", std::string(64, 'a')},
  };
  struct Case {
    std::string setting, value;
  };
  for (const Case& c : std::vector<Case>{
           {"GATEHOUSE_COOKIE_SECURE", "false"},
           {"GATEHOUSE_COOKIE_DOMAIN", ".vercel.app"},
           {"GATEHOUSE_MASTER_KEY", "not-hex"},
           {"GATEHOUSE_PUBLIC_URL", "http://api.example.com"},
           {"GATEHOUSE_ACCESS_COOKIE", "__Host-access"},
       }) {
    auto broken = env;
    broken[c.setting] = c.value;
    if (c.setting == "GATEHOUSE_ACCESS_COOKIE")
      broken["GATEHOUSE_COOKIE_DOMAIN"] = ".example.com";
    CommandResult r = RunGatehouse({"serve"}, broken);
    EXPECT_EQ(r.exit_code, 2) << c.setting << ": " << r.output;
    EXPECT_NE(r.output.find(c.setting), std::string::npos) << r.output;
  }
  auto no_key = env;
  no_key.erase("GATEHOUSE_MASTER_KEY");
  CommandResult r = RunGatehouse({"serve"}, no_key);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("GATEHOUSE_MASTER_KEY"), std::string::npos)
      << r.output;
}

// The app of ProductionTest: on the API's own loopback host (another
// port), a deployment production accepts. kAppOrigin's
// http://app.example.test would be another site over plain http, which
// serve refuses (F6).
constexpr char kProductionAppOrigin[] = "http://127.0.0.1:3000";

class ProductionTest : public ApiTest {
 protected:
  ServerOptions Options() override {
    ServerOptions options;
    options.args = {"serve"};
    options.env["GATEHOUSE_PUBLIC_URL"] = "http://127.0.0.1:8080";
    options.env["GATEHOUSE_MASTER_KEY"] = std::string(64, 'b');
    options.env["GATEHOUSE_TRUSTED_ORIGINS"] = kProductionAppOrigin;
    return options;
  }
};

TEST_F(ProductionTest, SignupIsClosedAndCookiesAreSecure) {
  // From the trusted app: sign-in routes refuse other origins (CSRF).
  const Headers from_app = {{"Origin", kProductionAppOrigin}};
  HttpResult r =
      Call("POST", "/api/v1/auth/register",
           R"({"email":"sam@example.test","password":"long enough password"})",
           nullptr, from_app);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.Code(), "FORBIDDEN");
  // A user created by the operator can sign in, and gets Secure cookies.
  std::map<std::string, std::string> env = {
      {"GATEHOUSE_DATABASE_URL",
       "sqlite://" + (dir_.path() / "gatehouse.db").string()},
      {"GATEHOUSE_PUBLIC_URL", "http://127.0.0.1:8080"},
      {"GATEHOUSE_MASTER_KEY", std::string(64, 'b')}};
  CommandResult add = RunGatehouse(
      {"user", "add", "--email", "sam@example.test", "--password-stdin"}, env,
      "long enough password\n");
  ASSERT_EQ(add.exit_code, 0) << add.output;
  CookieJar jar;
  HttpResult login =
      Call("POST", "/api/v1/auth/login",
           R"({"email":"sam@example.test","password":"long enough password"})",
           &jar, from_app);
  ASSERT_EQ(login.status, 200) << login.body;
  for (const auto& line : login.set_cookies) {
    std::optional<ParsedSetCookie> cookie = ParseSetCookie(line);
    ASSERT_TRUE(cookie) << line;
    EXPECT_TRUE(cookie->secure) << line;
  }
}

TEST_F(ProductionTest, SigningKeysAreSealedUnderTheMasterKey) {
  server_->Stop();
  std::map<std::string, std::string> env = {
      {"GATEHOUSE_DATABASE_URL",
       "sqlite://" + (dir_.path() / "gatehouse.db").string()},
      {"GATEHOUSE_LISTEN", "127.0.0.1:0"},
      {"GATEHOUSE_PUBLIC_URL", "http://127.0.0.1:8080"},
      {"GATEHOUSE_MASTER_KEY", std::string(64, 'c')}};
  CommandResult r = RunGatehouse({"serve"}, env);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("GATEHOUSE_MASTER_KEY"), std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace gatehouse::testkit

namespace gatehouse::testkit {
namespace {

TEST_F(HardeningTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  net::io_context ioc;
  net::ip::tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), port()});
  std::string two =
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n";
  net::write(s, net::buffer(two));
  std::string received;
  boost::system::error_code ec;
  while (received.find("\"ready\"") == std::string::npos && !ec) {
    char buf[1024];
    size_t n = s.read_some(net::buffer(buf), ec);
    received.append(buf, n);
  }
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_NE(received.find("\"ok\""), std::string::npos) << received;
  EXPECT_NE(received.find("\"ready\""), std::string::npos) << received;
}

// A database that cannot take writes answers 503 with Retry-After, keeps
// the user's cookies (the outage is not their fault), and recovers by
// itself once the database is back.
TEST_F(HardeningTest, LockedDatabaseGives503AndRecovers) {
  Register("una@example.test");
  CookieJar jar;
  ASSERT_EQ(Login(jar, "una@example.test").status, 200);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "gatehouse.db").c_str(), &db),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr),
            SQLITE_OK);
  HttpResult locked = Refresh(jar);
  EXPECT_EQ(locked.status, 503);
  EXPECT_EQ(locked.Code(), "UNAVAILABLE");
  EXPECT_FALSE(locked.Header("Retry-After").empty());
  EXPECT_TRUE(locked.set_cookies.empty()) << "cookies survive an outage";
  EXPECT_EQ(Call("GET", "/healthz").status, 200);
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  EXPECT_EQ(Refresh(jar).status, 200);
}

// SPEC §10: a 5xx tells the client nothing of the storage behind it (no
// SQL, file or host names, library messages); the log gets that.
TEST_F(HardeningTest, StorageErrorTextNeverReachesTheClient) {
  Register("uri@example.test");
  CookieJar jar;
  ASSERT_EQ(Login(jar, "uri@example.test").status, 200);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "gatehouse.db").c_str(), &db),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr),
            SQLITE_OK);
  std::vector<HttpResult> answers = {
      Refresh(jar), Call("POST", "/api/v1/auth/logout-all", "", &jar)};
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  for (const HttpResult& r : answers) {
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_EQ(r.Code(), "UNAVAILABLE");
    for (const char* leak : {"sqlite", "BEGIN", "locked", "busy", ".db"}) {
      EXPECT_EQ(r.body.find(leak), std::string::npos)
          << leak << " in " << r.body;
    }
  }
  EXPECT_NE(server_->Output().find("database is locked"), std::string::npos)
      << "the detail is logged";
}

}  // namespace
}  // namespace gatehouse::testkit
