#include "http/handlers/auth_handlers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/handler_fixture.h"

namespace gatehouse {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class AuthHandlersTest : public testkit::HandlerTest {
 protected:
  AuthHandlersTest() { handlers_.RegisterPublicRoutes(router_); }

  // POSTs `body` to the route at `path` with `headers`, through the
  // route's handler as the dispatcher would call it.
  Response Post(std::string_view path, std::string body,
                const Headers& headers = {}) {
    Request req = MakeRequest(bhttp::verb::post, path, headers, body);
    RouteMatch match = router_.Find(bhttp::verb::post, path);
    EXPECT_NE(match.route, nullptr) << path;
    if (match.route == nullptr) return Response{bhttp::status::not_found, 11};
    return match.route->handler(ContextOf(req));
  }

  Response Login(const std::string& email,
                 const std::string& password = testkit::kTestPassword) {
    return Post(kRouteLogin, R"({"email":")" + email + R"(","password":")" +
                                 password + R"("})");
  }

  // The cookies of `res`, which must set both, as "access_token=...;
  // refresh_token=..." for the browser's next request.
  std::string CookiesSetBy(const Response& res) {
    std::vector<ParsedSetCookie> set = SetCookies(res);
    EXPECT_GE(set.size(), 2u);
    if (set.size() < 2) return "";
    return CookieHeader(set[0].value, set[1].value);
  }

  AuthHandlers handlers_{request_auth_};
  Router router_;
};

// F3 and F4: login sets both cookies, each with the token just issued,
// from the one policy (and clears them on the Domains used before).
TEST_F(AuthHandlersTest, LoginSetsBothCookiesFromOnePolicy) {
  User user = NewUser("ada@example.test", "admin");
  Response res = Login("ada@example.test");
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  EXPECT_EQ(Field(res, {"data", "user", "email"}), "ada@example.test");
  EXPECT_EQ(Field(res, {"data", "user", "role"}), "admin");
  const std::string session_id = Field(res, {"data", "session", "id"});
  EXPECT_FALSE(session_id.empty());

  std::vector<ParsedSetCookie> set = SetCookies(res);
  ASSERT_EQ(set.size(), 4u) << "both cookies, then both host-only clears";
  EXPECT_EQ(set[0].name, "access_token");
  EXPECT_EQ(set[1].name, "refresh_token");
  EXPECT_TRUE(ScopeMismatches(set[0], set[1]).empty())
      << "both under the same attributes";
  EXPECT_EQ(set[0].domain, "example.test");
  EXPECT_EQ(set[0].same_site, SameSite::kStrict);
  EXPECT_TRUE(set[0].secure && set[0].http_only);
  EXPECT_EQ(set[0].max_age_seconds, 15 * 60);
  EXPECT_EQ(SetCookieLines(res),
            cookies_.SetAuthCookies(set[0].value, minutes(15), set[1].value,
                                    auth_->settings().refresh_ttl))
      << "exactly what the policy builds for these tokens";

  // The tokens are this new session's.
  auto identity = auth_->Authenticate({set[0].value});
  ASSERT_TRUE(identity.ok()) << identity.error().message;
  EXPECT_EQ(identity->user.id, user.id);
  EXPECT_EQ(identity->session_id, session_id);
  auto rotated = auth_->Refresh({set[1].value}, client_);
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  EXPECT_EQ(rotated->session.id, session_id);
}

// The device list shows where each session signed in from: the address
// the dispatcher found and the browser's User-Agent.
TEST_F(AuthHandlersTest, LoginRecordsThePeerAndItsAgent) {
  NewUser("bo@example.test");
  Response res = Post(kRouteLogin,
                      R"({"email":"bo@example.test","password":")" +
                          std::string(testkit::kTestPassword) + R"("})",
                      {{"User-Agent", "Safari/18"}});
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  const std::string id = Field(res, {"data", "session", "id"});
  Session session;
  ASSERT_TRUE(store_
                  ->Run(TxMode::kRead,
                        [&](Tx& tx) -> Status {
                          GH_ASSIGN_OR_RETURN(session, tx.GetSession(id));
                          return Ok();
                        })
                  .ok());
  EXPECT_EQ(session.ip, testkit::kHandlerClientIp);
  EXPECT_EQ(session.user_agent, "Safari/18");
}

TEST_F(AuthHandlersTest, WrongPasswordSetsNoCookie) {
  NewUser("cal@example.test");
  Response res = Login("cal@example.test", "not the password");
  EXPECT_EQ(res.result(), bhttp::status::unauthorized);
  EXPECT_EQ(Code(res), "INVALID_CREDENTIALS");
  EXPECT_TRUE(SetCookieLines(res).empty());
}

TEST_F(AuthHandlersTest, BadJsonIsValidationFailedNamingTheField) {
  struct Case {
    std::string_view path;
    std::string body;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {kRouteLogin, "{not json", "body: must be valid JSON"},
           {kRouteLogin, R"(["a@example.test"])",
            "body: must be a JSON object"},
           {kRouteLogin, R"({"password":"x"})", "email: required"},
           {kRouteLogin, R"({"email":null,"password":"x"})", "email: required"},
           {kRouteLogin, R"({"email":7,"password":"x"})",
            "email: must be a string"},
           {kRouteLogin, R"({"email":"a@example.test"})", "password: required"},
           {kRouteRegister, R"({"email":"a@example.test","password":["x"]})",
            "password: must be a string"},
           {kRouteRegister,
            R"({"email":"a@example.test","password":"long enough","name":1})",
            "name: must be a string"},
       }) {
    Response res = Post(c.path, c.body);
    EXPECT_EQ(res.result(), bhttp::status::bad_request) << c.body;
    EXPECT_EQ(Code(res), "VALIDATION_FAILED") << c.body;
    EXPECT_EQ(Message(res), c.message) << c.body;
    EXPECT_TRUE(SetCookieLines(res).empty()) << c.body;
  }
}

TEST_F(AuthHandlersTest, RegisterCreatesTheAccount) {
  Response res = Post(
      kRouteRegister,
      R"({"email":"dan@example.test","password":"long enough","name":"Dan"})");
  ASSERT_EQ(res.result(), bhttp::status::created) << res.body();
  EXPECT_EQ(Field(res, {"data", "user", "name"}), "Dan");
  EXPECT_TRUE(SetCookieLines(res).empty()) << "signing up is not signing in";
  EXPECT_EQ(Login("dan@example.test", "long enough").result(),
            bhttp::status::ok);
}

// Rotation: new tokens for the same session, in new cookies; the old
// refresh token is spent (reuse past the grace window ends the session).
TEST_F(AuthHandlersTest, RefreshRotatesBothCookies) {
  NewUser("eve@example.test");
  Response login = Login("eve@example.test");
  std::vector<ParsedSetCookie> old_pair = SetCookies(login);
  ASSERT_GE(old_pair.size(), 2u);

  Response res = Post(kRouteRefresh, "", {{"Cookie", CookiesSetBy(login)}});
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  std::vector<ParsedSetCookie> new_pair = SetCookies(res);
  ASSERT_EQ(new_pair.size(), 4u);
  EXPECT_NE(new_pair[0].value, old_pair[0].value);
  EXPECT_NE(new_pair[1].value, old_pair[1].value);
  EXPECT_EQ(
      SetCookieLines(res),
      cookies_.SetAuthCookies(new_pair[0].value, minutes(15), new_pair[1].value,
                              auth_->settings().refresh_ttl));
  auto identity = auth_->Authenticate({new_pair[0].value});
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(Field(res, {"data", "session", "id"}), identity->session_id);

  clock_.Advance(auth_->settings().refresh_grace + seconds(1));
  Response reused = Post(kRouteRefresh, "", {{"Cookie", CookiesSetBy(login)}});
  EXPECT_EQ(reused.result(), bhttp::status::unauthorized);
  EXPECT_EQ(Code(reused), "REFRESH_TOKEN_REUSED");
  EXPECT_EQ(SetCookieLines(reused), cookies_.ClearAuthCookies());
}

// F8: an unusable refresh token clears both cookies in the same answer.
TEST_F(AuthHandlersTest, F8_InvalidRefreshClearsBothCookies) {
  Response res = Post(
      kRouteRefresh, "",
      {{"Cookie", CookieHeader("garbage.jwt.value", std::string(43, 'A'))}});
  EXPECT_EQ(res.result(), bhttp::status::unauthorized);
  EXPECT_EQ(Code(res), "INVALID_REFRESH_TOKEN");
  EXPECT_EQ(SetCookieLines(res), cookies_.ClearAuthCookies());
  for (const ParsedSetCookie& c : SetCookies(res))
    EXPECT_TRUE(IsDeletion(c, clock_.Now())) << c.name;

  Response none = Post(kRouteRefresh, "");
  EXPECT_EQ(Code(none), "INVALID_REFRESH_TOKEN");
}

// F5: logout clears each cookie with exactly the attributes that set it,
// and ends the session.
TEST_F(AuthHandlersTest, F5_LogoutClearsWithTheAttributesOfSetting) {
  NewUser("fin@example.test");
  Response login = Login("fin@example.test");
  std::vector<ParsedSetCookie> setting = SetCookies(login);
  Response res = Post(kRouteLogout, "", {{"Cookie", CookiesSetBy(login)}});
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();

  std::vector<ParsedSetCookie> clearing = SetCookies(res);
  ASSERT_EQ(clearing.size(), setting.size());
  for (size_t i = 0; i < setting.size(); ++i) {
    EXPECT_EQ(clearing[i].name, setting[i].name);
    std::vector<AttributeMismatch> mismatches =
        ClearingMismatches(setting[i], clearing[i], clock_.Now());
    EXPECT_TRUE(mismatches.empty())
        << SetCookieLines(res)[i] << ": "
        << (mismatches.empty() ? "" : mismatches[0].attribute);
  }
  ASSERT_GE(setting.size(), 1u);
  auto after = auth_->Authenticate({setting[0].value});
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, ErrorCode::kSessionRevoked);

  // Logging out again, or with nothing, still clears and succeeds.
  Response again = Post(kRouteLogout, "", {{"Cookie", CookiesSetBy(login)}});
  EXPECT_EQ(again.result(), bhttp::status::ok);
  EXPECT_EQ(SetCookieLines(again), cookies_.ClearAuthCookies());
}

TEST_F(AuthHandlersTest, LogoutAllEndsEverySessionOfTheUser) {
  NewUser("gus@example.test");
  IssuedSession phone = Issue("gus@example.test");
  Response laptop = Login("gus@example.test");
  Response res = Post(kRouteLogoutAll, "", {{"Cookie", CookiesSetBy(laptop)}});
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  EXPECT_EQ(Field(res, {"data", "revoked_sessions"}), "2");
  EXPECT_EQ(SetCookieLines(res), cookies_.ClearAuthCookies());
  EXPECT_EQ(auth_->Authenticate({phone.access_token}).error().code,
            ErrorCode::kSessionRevoked);
}

TEST_F(AuthHandlersTest, MeAnswersWhoIsSignedInOrWhyNot) {
  User user = NewUser("hal@example.test");
  IssuedSession issued = Issue("hal@example.test");
  Request req =
      MakeRequest(bhttp::verb::get, kRouteMe,
                  {{"Cookie", CookieHeader(issued.access_token, "")}});
  Response me = handlers_.Me(ContextOf(req));
  ASSERT_EQ(me.result(), bhttp::status::ok) << me.body();
  EXPECT_EQ(Field(me, {"data", "user", "id"}), user.id);
  EXPECT_EQ(Field(me, {"data", "session_id"}), issued.session.id);
  EXPECT_TRUE(SetCookieLines(me).empty());

  Request anonymous = MakeRequest(bhttp::verb::get, kRouteMe);
  Response nobody = handlers_.Me(ContextOf(anonymous));
  EXPECT_EQ(nobody.result(), bhttp::status::unauthorized);
  EXPECT_EQ(Code(nobody), "ACCESS_TOKEN_MISSING");

  clock_.Advance(minutes(15));
  Response expired = handlers_.Me(ContextOf(req));
  EXPECT_EQ(Code(expired), "ACCESS_TOKEN_EXPIRED");
  EXPECT_TRUE(SetCookieLines(expired).empty())
      << "an expired access token is the client's to refresh";
}

}  // namespace
}  // namespace gatehouse
