// Black-box tests of devices, password change, the admin API, the audit
// log and client addresses behind proxies (SPEC §3, F2).
#include <gtest/gtest.h>

#include <set>

#include "tests/integration/api_fixture.h"

namespace gatehouse::testkit {
namespace {

class AccountAdminTest : public ApiTest {
 protected:
  ServerOptions Options() override {
    ServerOptions options = ApiTest::Options();
    options.env["GATEHOUSE_TRUSTED_PROXIES"] = "127.0.0.1/32";
    return options;
  }

  boost::json::array Sessions(CookieJar& jar) {
    HttpResult r = Call("GET", "/api/v1/auth/sessions", "", &jar);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return {};
    return r.Json().at("data").at("sessions").as_array();
  }
};

// F2: every browser is a session of its own, listed and revoked alone.
TEST_F(AccountAdminTest, F2_DevicesAreListedWithThisOneMarkedAndRevokedAlone) {
  Register("amy@example.test");
  CookieJar laptop, phone;
  ASSERT_EQ(
      Call(
          "POST", "/api/v1/auth/login",
          R"({"email":"amy@example.test","password":"correct horse battery staple"})",
          &laptop, {{"User-Agent", "Laptop Browser"}})
          .status,
      200);
  ASSERT_EQ(
      Call(
          "POST", "/api/v1/auth/login",
          R"({"email":"amy@example.test","password":"correct horse battery staple"})",
          &phone,
          {{"User-Agent", "Phone Browser"},
           {"X-Forwarded-For", "203.0.113.50"}})
          .status,
      200);
  auto devices = Sessions(laptop);
  ASSERT_EQ(devices.size(), 2u);
  std::string phone_id;
  int current = 0;
  for (const auto& d : devices) {
    if (d.at("current").as_bool()) {
      ++current;
      EXPECT_EQ(d.at("user_agent"), "Laptop Browser");
      EXPECT_EQ(d.at("ip"), "127.0.0.1");
    } else {
      phone_id = std::string(d.at("id").as_string());
      EXPECT_EQ(d.at("ip"), "203.0.113.50")
          << "X-Forwarded-For from a trusted proxy";
    }
    for (const char* field : {"created_at", "last_used_at", "expires_at"}) {
      EXPECT_TRUE(d.as_object().contains(field)) << field;
    }
  }
  EXPECT_EQ(current, 1);

  HttpResult revoke =
      Call("DELETE", "/api/v1/auth/sessions/" + phone_id, "", &laptop);
  EXPECT_EQ(revoke.status, 200) << revoke.body;
  EXPECT_TRUE(revoke.set_cookies.empty()) << "this device stays signed in";
  EXPECT_EQ(Me(phone).Code(), "SESSION_REVOKED");
  EXPECT_EQ(Me(laptop).status, 200);
  EXPECT_EQ(Sessions(laptop).size(), 1u);
}

TEST_F(AccountAdminTest, NobodyCanSeeOrRevokeAnotherUsersSession) {
  Register("ben@example.test");
  Register("cat@example.test");
  CookieJar ben, cat;
  ASSERT_EQ(Login(ben, "ben@example.test").status, 200);
  ASSERT_EQ(Login(cat, "cat@example.test").status, 200);
  std::string cats = std::string(Sessions(cat)[0].at("id").as_string());
  EXPECT_EQ(Sessions(ben).size(), 1u);
  HttpResult r = Call("DELETE", "/api/v1/auth/sessions/" + cats, "", &ben);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Code(), "NOT_FOUND");
  EXPECT_EQ(Me(cat).status, 200);
  EXPECT_EQ(
      Call("DELETE", "/api/v1/auth/sessions/not-a-session", "", &ben).status,
      404);
}

TEST_F(AccountAdminTest, RevokingThisDeviceClearsItsCookies) {
  Register("dot@example.test");
  CookieJar jar;
  ASSERT_EQ(Login(jar, "dot@example.test").status, 200);
  std::string mine = std::string(Sessions(jar)[0].at("id").as_string());
  HttpResult r = Call("DELETE", "/api/v1/auth/sessions/" + mine, "", &jar);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(jar.size(), 0u);
}

TEST_F(AccountAdminTest, PasswordChangeSignsOutEveryOtherSession) {
  Register("eli@example.test");
  CookieJar here, there;
  ASSERT_EQ(Login(here, "eli@example.test").status, 200);
  ASSERT_EQ(Login(there, "eli@example.test").status, 200);
  HttpResult wrong = Call(
      "POST", "/api/v1/auth/password",
      R"({"current_password":"nope nope","new_password":"a new passphrase"})",
      &here);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.Code(), "INVALID_CREDENTIALS");
  HttpResult missing = Call("POST", "/api/v1/auth/password",
                            R"({"current_password":"x"})", &here);
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.Json().at("message").as_string().find("new_password"),
            std::string::npos);
  HttpResult ok = Call(
      "POST", "/api/v1/auth/password",
      R"({"current_password":"correct horse battery staple","new_password":"a new passphrase"})",
      &here);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Me(here).status, 200);
  EXPECT_EQ(Me(there).Code(), "SESSION_REVOKED");
  CookieJar again;
  EXPECT_EQ(Login(again, "eli@example.test").status, 401);
  EXPECT_EQ(Login(again, "eli@example.test", "a new passphrase").status, 200);
}

TEST_F(AccountAdminTest, ForwardedForIsIgnoredFromUntrustedPeers) {
  server_.reset();
  ServerOptions options = ApiTest::Options();  // no trusted proxies
  server_ = std::make_unique<ServerProcess>(dir_, options);
  ASSERT_TRUE(server_->started());
  Register("fox@example.test");
  CookieJar jar;
  ASSERT_EQ(
      Call(
          "POST", "/api/v1/auth/login",
          R"({"email":"fox@example.test","password":"correct horse battery staple"})",
          &jar, {{"X-Forwarded-For", "198.51.100.66"}})
          .status,
      200);
  EXPECT_EQ(Sessions(jar)[0].at("ip"), "127.0.0.1");
}

TEST_F(AccountAdminTest, AdminApiIsForAdminsOnly) {
  Register("gil@example.test");
  CookieJar user;
  ASSERT_EQ(Login(user, "gil@example.test").status, 200);
  for (auto [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/api/v1/admin/users"},
           {"PATCH", "/api/v1/admin/users/x"},
           {"DELETE", "/api/v1/admin/users/x/sessions"},
           {"GET", "/api/v1/admin/audit"}}) {
    HttpResult r = Call(method, target,
                        method == "PATCH" ? R"({"role":"admin"})" : "", &user);
    EXPECT_EQ(r.status, 403) << method << " " << target;
    EXPECT_EQ(r.Code(), "FORBIDDEN");
  }
  CookieJar anonymous;
  EXPECT_EQ(Call("GET", "/api/v1/admin/users", "", &anonymous).status, 401);
}

TEST_F(AccountAdminTest, AdminsListUsersSetRolesDisableAndRevoke) {
  Register("hal@example.test");
  for (const char* who :
       {"ida@example.test", "jon@example.test", "kay@example.test"}) {
    Register(who);
  }
  SetRole("hal@example.test", "admin");
  CookieJar admin, ida;
  ASSERT_EQ(Login(admin, "hal@example.test").status, 200);
  ASSERT_EQ(Login(ida, "ida@example.test").status, 200);

  HttpResult page1 = Call("GET", "/api/v1/admin/users?limit=2", "", &admin);
  ASSERT_EQ(page1.status, 200) << page1.body;
  auto users1 = page1.Json().at("data").at("users").as_array();
  ASSERT_EQ(users1.size(), 2u);
  std::string after =
      std::string(page1.Json().at("data").at("next_after").as_string());
  HttpResult page2 =
      Call("GET", "/api/v1/admin/users?limit=2&after=" + after, "", &admin);
  auto users2 = page2.Json().at("data").at("users").as_array();
  ASSERT_EQ(users2.size(), 2u);
  EXPECT_NE(users2[0].at("id"), users1[1].at("id"));
  EXPECT_FALSE(users2[0].as_object().contains("password_hash"));

  std::string ida_id =
      std::string(Me(ida).Json().at("data").at("user").at("id").as_string());
  HttpResult role = Call("PATCH", "/api/v1/admin/users/" + ida_id,
                         R"({"role":"teacher"})", &admin);
  ASSERT_EQ(role.status, 200) << role.body;
  EXPECT_EQ(role.Json().at("data").at("user").at("role"), "teacher");
  EXPECT_EQ(Call("PATCH", "/api/v1/admin/users/" + ida_id,
                 R"({"disabled":"yes"})", &admin)
                .Code(),
            "VALIDATION_FAILED");

  // Disabling takes effect at once: the still-unexpired access token fails.
  HttpResult disable = Call("PATCH", "/api/v1/admin/users/" + ida_id,
                            R"({"disabled":true})", &admin);
  ASSERT_EQ(disable.status, 200) << disable.body;
  EXPECT_EQ(Me(ida).Code(), "SESSION_REVOKED");
  CookieJar again;
  HttpResult refused = Login(again, "ida@example.test");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.Code(), "ACCOUNT_DISABLED");

  ASSERT_EQ(Call("PATCH", "/api/v1/admin/users/" + ida_id,
                 R"({"disabled":false})", &admin)
                .status,
            200);
  CookieJar one, two;
  ASSERT_EQ(Login(one, "ida@example.test").status, 200);
  ASSERT_EQ(Login(two, "ida@example.test").status, 200);
  HttpResult revoke =
      Call("DELETE", "/api/v1/admin/users/" + ida_id + "/sessions", "", &admin);
  ASSERT_EQ(revoke.status, 200) << revoke.body;
  EXPECT_EQ(revoke.Json().at("data").at("revoked_sessions"), 2);
  EXPECT_EQ(Me(one).Code(), "SESSION_REVOKED");
  EXPECT_EQ(
      Call("PATCH", "/api/v1/admin/users/missing", R"({"role":"x"})", &admin)
          .status,
      404);
}

TEST_F(AccountAdminTest, AuditLogRecordsEventsAndNeverSecrets) {
  Register("lou@example.test");
  SetRole("lou@example.test", "admin");
  CookieJar admin, other;
  ASSERT_EQ(Login(admin, "lou@example.test").status, 200);
  EXPECT_EQ(Login(other, "lou@example.test", "wrong password!").status, 401);
  ASSERT_EQ(Login(other, "lou@example.test").status, 200);
  std::string refresh = other.Get("refresh_token");
  std::string access = other.Get("access_token");
  ASSERT_EQ(Call("POST", "/api/v1/auth/logout", "", &other).status, 200);

  HttpResult audit = Call("GET", "/api/v1/admin/audit?limit=50", "", &admin);
  ASSERT_EQ(audit.status, 200) << audit.body;
  std::set<std::string> types;
  boost::json::value body = audit.Json();
  for (const auto& e : body.at("data").at("events").as_array()) {
    types.insert(std::string(e.at("type").as_string()));
    EXPECT_FALSE(e.at("at").as_string().empty());
  }
  for (const char* expected :
       {"login.succeeded", "login.failed", "logout", "user.role_changed"}) {
    EXPECT_TRUE(types.count(expected)) << expected << " in " << audit.body;
  }
  EXPECT_EQ(audit.body.find("correct horse"), std::string::npos);
  EXPECT_EQ(audit.body.find("wrong password"), std::string::npos);
  EXPECT_EQ(audit.body.find(refresh), std::string::npos);
  EXPECT_EQ(audit.body.find(access), std::string::npos);
  // The server log never carries them either.
  std::string log = server_->Output();
  EXPECT_EQ(log.find(refresh), std::string::npos);
  EXPECT_EQ(log.find("correct horse"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::testkit
