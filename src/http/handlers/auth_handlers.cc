#include "http/handlers/auth_handlers.h"

#include "http/cookies.h"
#include "http/json_body.h"
#include "http/json_response.h"

namespace gatehouse {
namespace {

namespace json = boost::json;

json::object UserJson(const User& u) {
  return {{"id", u.id}, {"email", u.email}, {"name", u.name}, {"role", u.role}};
}

json::object SessionJson(const Session& s) {
  return {{"id", s.id},
          {"created_at", FormatIso8601(s.created_at)},
          {"expires_at", FormatIso8601(s.expires_at)}};
}

ClientInfo ClientOf(const RequestContext& ctx) {
  ClientInfo client;
  client.ip = ctx.client_ip;
  auto it = ctx.request.find(bhttp::field::user_agent);
  if (it != ctx.request.end()) client.user_agent = std::string(it->value());
  return client;
}

}  // namespace

AuthHandlers::AuthHandlers(AuthService& auth, const CookiePolicy& cookies)
    : auth_(auth), cookies_(cookies) {}

void AuthHandlers::RegisterPublicRoutes(Router& router) {
  using bhttp::verb;
  auto bind = [this](Response (AuthHandlers::*fn)(const RequestContext&)) {
    return [this, fn](const RequestContext& ctx) { return (this->*fn)(ctx); };
  };
  router.Add({verb::post, kRouteRegister, Work::kPasswordHash,
              bind(&AuthHandlers::Register)});
  router.Add({verb::post, kRouteLogin, Work::kPasswordHash,
              bind(&AuthHandlers::Login)});
  router.Add({verb::post, kRouteRefresh, Work::kStorage,
              bind(&AuthHandlers::Refresh)});
  router.Add(
      {verb::post, kRouteLogout, Work::kStorage, bind(&AuthHandlers::Logout)});
  router.Add({verb::post, kRouteLogoutAll, Work::kStorage,
              bind(&AuthHandlers::LogoutAll)});
  router.Add({verb::get, kRouteMe, Work::kStorage, bind(&AuthHandlers::Me)});
}

std::vector<std::string_view> AuthHandlers::AccessTokensOf(
    const Request& req) const {
  std::vector<std::string_view> tokens = BearerTokens(req);
  auto cookies = RequestCookies(req, cookies_.settings().access_name);
  tokens.insert(tokens.end(), cookies.begin(), cookies.end());
  return tokens;
}

std::vector<std::string_view> AuthHandlers::RefreshTokensOf(
    const Request& req) const {
  return RequestCookies(req, cookies_.settings().refresh_name);
}

void AuthHandlers::SetSessionCookies(Response& res,
                                     const IssuedSession& issued) const {
  // F3: the cookies are built from the tokens this call just issued, and
  // from nothing else.
  for (const std::string& line :
       cookies_.SetAuthCookies(issued.access_token, issued.access_max_age,
                               issued.refresh_token, issued.refresh_max_age)) {
    res.insert(bhttp::field::set_cookie, line);
  }
}

void AuthHandlers::ClearSessionCookies(Response& res) const {
  for (const std::string& line : cookies_.ClearAuthCookies()) {
    res.insert(bhttp::field::set_cookie, line);
  }
}

Response AuthHandlers::Fail(const Error& error, bool end_session) const {
  Response res = JsonError(error);
  if (end_session) ClearSessionCookies(res);
  return res;
}

Response AuthHandlers::Register(const RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request.body());
  if (!body.ok()) return Fail(body.error(), false);
  auto email = RequiredString(*body, "email");
  if (!email.ok()) return Fail(email.error(), false);
  auto password = RequiredString(*body, "password");
  if (!password.ok()) return Fail(password.error(), false);
  auto name = OptionalString(*body, "name");
  if (!name.ok()) return Fail(name.error(), false);
  auto user = auth_.Register(*email, *password, name->value_or(""));
  if (!user.ok()) return Fail(user.error(), false);
  return JsonSuccess(bhttp::status::created, "account created",
                     json::object{{"user", UserJson(*user)}});
}

Response AuthHandlers::Login(const RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request.body());
  if (!body.ok()) return Fail(body.error(), false);
  auto email = RequiredString(*body, "email");
  if (!email.ok()) return Fail(email.error(), false);
  auto password = RequiredString(*body, "password");
  if (!password.ok()) return Fail(password.error(), false);
  auto issued = auth_.Login(*email, *password, ClientOf(ctx),
                            RefreshTokensOf(ctx.request));
  if (!issued.ok()) return Fail(issued.error(), false);
  Response res =
      JsonSuccess(bhttp::status::ok, "signed in",
                  json::object{{"user", UserJson(issued->user)},
                               {"session", SessionJson(issued->session)}});
  SetSessionCookies(res, *issued);
  return res;
}

Response AuthHandlers::Refresh(const RequestContext& ctx) {
  auto issued = auth_.Refresh(RefreshTokensOf(ctx.request), ClientOf(ctx));
  if (!issued.ok()) {
    // F8: an unusable refresh token clears both cookies in this response,
    // so no page or proxy can bounce on a cookie that merely exists. A
    // database outage is not the user's fault and keeps them.
    bool end_session = issued.error().code != ErrorCode::kUnavailable &&
                       issued.error().code != ErrorCode::kInternal;
    return Fail(issued.error(), end_session);
  }
  Response res =
      JsonSuccess(bhttp::status::ok, "refreshed",
                  json::object{{"session", SessionJson(issued->session)}});
  SetSessionCookies(res, *issued);
  return res;
}

Response AuthHandlers::Logout(const RequestContext& ctx) {
  Status status =
      auth_.Logout(AccessTokensOf(ctx.request), RefreshTokensOf(ctx.request));
  if (!status.ok()) return Fail(status.error(), false);
  Response res = JsonSuccess(bhttp::status::ok, "signed out");
  ClearSessionCookies(res);
  return res;
}

Response AuthHandlers::LogoutAll(const RequestContext& ctx) {
  auto count = auth_.LogoutAll(AccessTokensOf(ctx.request),
                               RefreshTokensOf(ctx.request));
  if (!count.ok()) return Fail(count.error(), false);
  Response res = JsonSuccess(bhttp::status::ok, "signed out everywhere",
                             json::object{{"revoked_sessions", *count}});
  ClearSessionCookies(res);
  return res;
}

Response AuthHandlers::Me(const RequestContext& ctx) {
  auto identity = auth_.Authenticate(AccessTokensOf(ctx.request));
  if (!identity.ok()) return Fail(identity.error(), false);
  return JsonSuccess(bhttp::status::ok, "signed in",
                     json::object{{"user", UserJson(identity->user)},
                                  {"session_id", identity->session.id}});
}

}  // namespace gatehouse
