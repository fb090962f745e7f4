// ApiTest: a real gatehouse on a free loopback port with a fresh database,
// and helpers that speak its API the way a browser on the app origin does.
#ifndef GATEHOUSE_TESTS_INTEGRATION_API_FIXTURE_H_
#define GATEHOUSE_TESTS_INTEGRATION_API_FIXTURE_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "testing/http_client.h"
#include "testing/server_process.h"

namespace gatehouse::testkit {

inline constexpr char kAppOrigin[] = "http://app.example.test";
inline constexpr char kPassword[] = "correct horse battery staple";

// testing/testdata/guard.toml: the edge-guard rules of SPEC §7's example,
// as a config file holds them (for GATEHOUSE_CONFIG).
std::filesystem::path SpecGuardToml();

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  // Override to change how the server is started.
  virtual ServerOptions Options();

  // Starts (or restarts) the server on the same database.
  void StartServer();

  // A request from the app origin, carrying `jar`'s cookies if given and
  // absorbing the answer's Set-Cookie into it.
  HttpResult Call(
      const std::string& method, const std::string& target,
      const std::string& body = "", CookieJar* jar = nullptr,
      std::vector<std::pair<std::string, std::string>> headers = {});

  void Register(const std::string& email,
                const std::string& password = kPassword);
  // Gives `email` a role through the operations CLI, as an operator would
  // (on the SQLite database of this test).
  void SetRole(const std::string& email, const std::string& role);
  HttpResult Login(CookieJar& jar, const std::string& email,
                   const std::string& password = kPassword);
  HttpResult Refresh(CookieJar& jar) {
    return Call("POST", "/api/v1/auth/refresh", "", &jar);
  }
  HttpResult Me(CookieJar& jar) {
    return Call("GET", "/api/v1/auth/me", "", &jar);
  }

  uint16_t port() const { return server_->port(); }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace gatehouse::testkit

#endif  // GATEHOUSE_TESTS_INTEGRATION_API_FIXTURE_H_
