#include "tests/integration/api_fixture.h"

namespace gatehouse::testkit {

std::filesystem::path SpecGuardToml() {
  return std::filesystem::path(GATEHOUSE_TESTDATA_DIR) / "guard.toml";
}

ServerOptions ApiTest::Options() {
  ServerOptions options;
  options.env["GATEHOUSE_TRUSTED_ORIGINS"] = kAppOrigin;
  return options;
}

void ApiTest::SetUp() { StartServer(); }

void ApiTest::StartServer() {
  server_.reset();  // stops the previous one first
  server_ = std::make_unique<ServerProcess>(dir_, Options());
  ASSERT_TRUE(server_->started());
}

HttpResult ApiTest::Call(
    const std::string& method, const std::string& target,
    const std::string& body, CookieJar* jar,
    std::vector<std::pair<std::string, std::string>> headers) {
  HttpRequest req;
  req.method = method;
  req.target = target;
  req.body = body;
  req.headers = std::move(headers);
  bool has_origin = false;
  for (const auto& [k, v] : req.headers) has_origin |= k == "Origin";
  if (!has_origin) req.headers.emplace_back("Origin", kAppOrigin);
  if (jar && jar->size() > 0)
    req.headers.emplace_back("Cookie", jar->CookieHeader());
  HttpResult result = Send(port(), req);
  if (jar) jar->Absorb(result);
  return result;
}

void ApiTest::Register(const std::string& email, const std::string& password) {
  HttpResult r =
      Call("POST", "/api/v1/auth/register",
           R"({"email":")" + email + R"(","password":")" + password + "\"}");
  ASSERT_EQ(r.status, 201) << r.body;
}

void ApiTest::SetRole(const std::string& email, const std::string& role) {
  CommandResult r =
      RunGatehouse({"user", "set-role", email, role},
                   {{"GATEHOUSE_DATABASE_URL",
                     "sqlite://" + (dir_.path() / "gatehouse.db").string()}});
  ASSERT_EQ(r.exit_code, 0) << r.output;
}

HttpResult ApiTest::Login(CookieJar& jar, const std::string& email,
                          const std::string& password) {
  return Call("POST", "/api/v1/auth/login",
              R"({"email":")" + email + R"(","password":")" + password + "\"}",
              &jar);
}

}  // namespace gatehouse::testkit
