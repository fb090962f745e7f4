#include "http/handlers/request_auth.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "testing/handler_fixture.h"

namespace gatehouse {
namespace {

using std::chrono::minutes;
using Tokens = std::vector<std::string_view>;

class RequestAuthTest : public testkit::HandlerTest {
 protected:
  Request Get(const Headers& headers) {
    return MakeRequest(bhttp::verb::get, "/api/v1/auth/me", headers);
  }
};

TEST_F(RequestAuthTest, BearerTokenComesBeforeEveryAccessCookie) {
  Request req = Get({{"Authorization", "Bearer from-header"},
                     {"Cookie", "access_token=first; other=x"},
                     {"Cookie", "access_token=second"}});
  EXPECT_EQ(request_auth_.AccessTokens(req),
            (Tokens{"from-header", "first", "second"}));
  EXPECT_TRUE(request_auth_.RefreshTokens(req).empty());
}

TEST_F(RequestAuthTest, OnlyABearerAuthorizationCarriesAToken) {
  EXPECT_EQ(request_auth_.AccessTokens(Get({{"Authorization", "bearer  tok"}})),
            Tokens{"tok"})
      << "the scheme is case-insensitive";
  EXPECT_TRUE(request_auth_.AccessTokens(Get({{"Authorization", "Basic dTpw"}}))
                  .empty());
  EXPECT_TRUE(
      request_auth_.AccessTokens(Get({{"Authorization", "Bearer "}})).empty());
}

// F10: after a Domain change a browser sends a cookie once per Domain it
// holds it for, in one Cookie header or several; every copy is read, in
// order, under the policy's names only.
TEST_F(RequestAuthTest, F10_EverySameNameCookieIsRead) {
  Request req =
      Get({{"Cookie",
            "access_token=stale-a; refresh_token=stale-r; access_token=new-a"},
           {"Cookie", "refresh_token=new-r; access_token_x=not-it"}});
  EXPECT_EQ(request_auth_.AccessTokens(req), (Tokens{"stale-a", "new-a"}));
  EXPECT_EQ(request_auth_.RefreshTokens(req), (Tokens{"stale-r", "new-r"}));
}

TEST_F(RequestAuthTest, F10_AStaleCookieListedFirstDoesNotSignTheUserOut) {
  NewUser("ana@example.test");
  IssuedSession ended = Issue("ana@example.test");
  ASSERT_TRUE(auth_->Logout({ended.access_token}, {}, client_).ok());
  IssuedSession live = Issue("ana@example.test");

  Request req = Get({{"Cookie", "access_token=" + ended.access_token +
                                    "; access_token=" + live.access_token}});
  auto identity = request_auth_.Authenticate(req);
  ASSERT_TRUE(identity.ok()) << identity.error().message;
  EXPECT_EQ(identity->session_id, live.session.id);
}

TEST_F(RequestAuthTest, AuthenticatesByBearerOrByCookie) {
  NewUser("ben@example.test", "teacher");
  IssuedSession issued = Issue("ben@example.test");
  for (const Request& req :
       {Get({{"Authorization", "Bearer " + issued.access_token}}),
        Get({{"Cookie", CookieHeader(issued.access_token, "")}})}) {
    auto identity = request_auth_.Authenticate(req);
    ASSERT_TRUE(identity.ok()) << identity.error().message;
    EXPECT_EQ(identity->user.email, "ben@example.test");
    EXPECT_EQ(identity->user.role, "teacher");
    EXPECT_EQ(identity->session_id, issued.session.id);
    EXPECT_TRUE(identity->user.password_hash.empty());
  }
}

TEST_F(RequestAuthTest, MissingExpiredInvalidAndRevokedAreToldApart) {
  NewUser("cy@example.test");
  IssuedSession issued = Issue("cy@example.test");
  IssuedSession revoked = Issue("cy@example.test");
  ASSERT_TRUE(auth_->Logout({revoked.access_token}, {}, client_).ok());
  auto code = [&](const Request& req) {
    auto identity = request_auth_.Authenticate(req);
    return identity.ok() ? std::string("OK")
                         : std::string(ErrorCodeName(identity.error().code));
  };

  EXPECT_EQ(code(Get({})), "ACCESS_TOKEN_MISSING");
  EXPECT_EQ(code(Get({{"Cookie", "refresh_token=" + issued.refresh_token}})),
            "ACCESS_TOKEN_MISSING")
      << "a refresh cookie is no access token";
  EXPECT_EQ(code(Get({{"Cookie", "access_token=not.a.jwt"}})),
            "ACCESS_TOKEN_INVALID");
  EXPECT_EQ(code(Get({{"Authorization", "Bearer " + revoked.access_token}})),
            "SESSION_REVOKED");
  EXPECT_EQ(code(Get({{"Cookie", CookieHeader(issued.access_token, "")}})),
            "OK");

  clock_.Advance(minutes(15));
  EXPECT_EQ(code(Get({{"Cookie", CookieHeader(issued.access_token, "")}})),
            "ACCESS_TOKEN_EXPIRED");
  EXPECT_EQ(code(Get({{"Cookie", "access_token=not.a.jwt; access_token=" +
                                     issued.access_token}})),
            "ACCESS_TOKEN_EXPIRED")
      << "the most telling error: expired over invalid";
}

// Without a revocation view, only what the tokens alone decide is answered
// on the network thread; a valid token needs the database.
TEST_F(RequestAuthTest, WithoutBlockingAnswersOnlyWhatTheTokensDecide) {
  NewUser("dee@example.test");
  IssuedSession issued = Issue("dee@example.test");
  auto missing = request_auth_.AuthenticateWithoutBlocking(Get({}));
  ASSERT_TRUE(missing.has_value());
  ASSERT_FALSE(missing->ok());
  EXPECT_EQ(missing->error().code, ErrorCode::kAccessTokenMissing);
  auto invalid = request_auth_.AuthenticateWithoutBlocking(
      Get({{"Cookie", "access_token=not.a.jwt"}}));
  ASSERT_TRUE(invalid.has_value());
  ASSERT_FALSE(invalid->ok());
  EXPECT_EQ(invalid->error().code, ErrorCode::kAccessTokenInvalid);
  EXPECT_FALSE(request_auth_
                   .AuthenticateWithoutBlocking(
                       Get({{"Cookie", CookieHeader(issued.access_token, "")}}))
                   .has_value());
}

TEST_F(RequestAuthTest, ClientIsThePeerAddressAndTheUserAgent) {
  Request req = Get({{"User-Agent", "Firefox/140"}});
  ClientInfo client = RequestAuth::ClientOf(ContextOf(req));
  EXPECT_EQ(client.ip, testkit::kHandlerClientIp);
  EXPECT_EQ(client.user_agent, "Firefox/140");
  EXPECT_EQ(RequestAuth::ClientOf(ContextOf(Get({}))).user_agent, "");
}

// F3 and F4: both cookies carry the tokens just issued and come from the
// one policy, which also clears the names on the Domains used before.
TEST_F(RequestAuthTest, F3_SessionCookiesCarryTheIssuedTokensUnderThePolicy) {
  NewUser("eli@example.test");
  IssuedSession issued = Issue("eli@example.test");
  Response res{bhttp::status::ok, 11};
  request_auth_.SetSessionCookies(res, issued);

  EXPECT_EQ(
      SetCookieLines(res),
      cookies_.SetAuthCookies(issued.access_token, issued.access_max_age,
                              issued.refresh_token, issued.refresh_max_age));
  std::vector<ParsedSetCookie> set = SetCookies(res);
  ASSERT_EQ(set.size(), 4u) << "two cookies, two host-only clears";
  EXPECT_EQ(set[0].name, "access_token");
  EXPECT_EQ(set[0].value, issued.access_token);
  EXPECT_EQ(set[0].max_age_seconds, 15 * 60);
  EXPECT_EQ(set[1].name, "refresh_token");
  EXPECT_EQ(set[1].value, issued.refresh_token);
  EXPECT_EQ(
      set[1].max_age_seconds,
      std::chrono::duration_cast<std::chrono::seconds>(issued.refresh_max_age)
          .count());
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(set[i].domain, "example.test");
    EXPECT_EQ(set[i].path, "/");
    EXPECT_TRUE(set[i].secure);
    EXPECT_TRUE(set[i].http_only);
    EXPECT_EQ(set[i].same_site, SameSite::kStrict);
  }
  for (size_t i = 2; i < 4; ++i) {
    EXPECT_EQ(set[i].name, set[i - 2].name);
    EXPECT_FALSE(set[i].domain.has_value()) << "host-only";
    EXPECT_TRUE(IsDeletion(set[i], clock_.Now()));
  }
}

// F5: a clear repeats every attribute of the set, or browsers keep the
// cookie.
TEST_F(RequestAuthTest, F5_ClearingRepeatsTheAttributesOfSetting) {
  NewUser("fay@example.test");
  IssuedSession issued = Issue("fay@example.test");
  Response set{bhttp::status::ok, 11};
  request_auth_.SetSessionCookies(set, issued);
  Response clear{bhttp::status::ok, 11};
  request_auth_.ClearSessionCookies(clear);

  std::vector<ParsedSetCookie> setting = SetCookies(set);
  std::vector<ParsedSetCookie> clearing = SetCookies(clear);
  ASSERT_EQ(clearing.size(), setting.size());
  for (size_t i = 0; i < setting.size(); ++i) {
    EXPECT_EQ(clearing[i].name, setting[i].name);
    EXPECT_TRUE(
        ClearingMismatches(setting[i], clearing[i], clock_.Now()).empty())
        << SetCookieLines(clear)[i];
  }
}

TEST_F(RequestAuthTest, FailIsTheEnvelopeAndClearsCookiesOnlyWhenAsked) {
  Error error = MakeError(ErrorCode::kInvalidRefreshToken, "no such token");
  Response kept = request_auth_.Fail(error);
  EXPECT_EQ(kept.result(), bhttp::status::unauthorized);
  EXPECT_EQ(Code(kept), "INVALID_REFRESH_TOKEN");
  EXPECT_EQ(Message(kept), "no such token");
  EXPECT_TRUE(SetCookieLines(kept).empty());

  Response ended = request_auth_.Fail(error, /*end_session=*/true);
  EXPECT_EQ(ended.result(), bhttp::status::unauthorized);
  EXPECT_EQ(Code(ended), "INVALID_REFRESH_TOKEN");
  EXPECT_EQ(SetCookieLines(ended), cookies_.ClearAuthCookies());
}

}  // namespace
}  // namespace gatehouse
