#include "http/handlers/auth_handlers.h"

#include "http/handlers/json_views.h"
#include "http/json_body.h"
#include "http/json_response.h"

namespace gatehouse {
namespace {

namespace json = boost::json;

}  // namespace

AuthHandlers::AuthHandlers(const RequestAuth& auth) : auth_(auth) {}

void AuthHandlers::RegisterPublicRoutes(Router& router) {
  using bhttp::verb;
  auto bind = [this](Response (AuthHandlers::*fn)(const RequestContext&)) {
    return [this, fn](const RequestContext& ctx) { return (this->*fn)(ctx); };
  };
  router.Add({verb::post, kRouteRegister, Work::kPasswordHash,
              bind(&AuthHandlers::Register), kJsonBody | kSignsIn});
  router.Add({verb::post, kRouteLogin, Work::kPasswordHash,
              bind(&AuthHandlers::Login), kJsonBody | kSignsIn});
  router.Add({verb::post, kRouteRefresh, Work::kStorage,
              bind(&AuthHandlers::Refresh)});
  router.Add(
      {verb::post, kRouteLogout, Work::kStorage, bind(&AuthHandlers::Logout)});
  router.Add({verb::post, kRouteLogoutAll, Work::kStorage,
              bind(&AuthHandlers::LogoutAll)});
  router.Add({verb::get, kRouteMe, Work::kStorage, bind(&AuthHandlers::Me),
              kNoFlags,
              [this](const RequestContext& ctx) -> std::optional<Response> {
                auto identity = auth_.AuthenticateWithoutBlocking(ctx.request);
                if (!identity) return std::nullopt;
                return MeAnswer(*identity);
              }});
}

Response AuthHandlers::Register(const RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request.body());
  if (!body.ok()) return auth_.Fail(body.error());
  auto email = RequiredString(*body, "email");
  if (!email.ok()) return auth_.Fail(email.error());
  auto password = RequiredString(*body, "password");
  if (!password.ok()) return auth_.Fail(password.error());
  auto name = OptionalString(*body, "name");
  if (!name.ok()) return auth_.Fail(name.error());
  auto user = auth_.auth().Register(*email, *password, name->value_or(""));
  if (!user.ok()) return auth_.Fail(user.error());
  return JsonSuccess(bhttp::status::created, "account created",
                     json::object{{"user", UserJson(*user)}});
}

Response AuthHandlers::Login(const RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request.body());
  if (!body.ok()) return auth_.Fail(body.error());
  auto email = RequiredString(*body, "email");
  if (!email.ok()) return auth_.Fail(email.error());
  auto password = RequiredString(*body, "password");
  if (!password.ok()) return auth_.Fail(password.error());
  auto issued =
      auth_.auth().Login(*email, *password, RequestAuth::ClientOf(ctx),
                         auth_.RefreshTokens(ctx.request));
  if (!issued.ok()) return auth_.Fail(issued.error());
  Response res =
      JsonSuccess(bhttp::status::ok, "signed in",
                  json::object{{"user", UserJson(issued->user)},
                               {"session", SessionJson(issued->session)}});
  auth_.SetSessionCookies(res, *issued);
  return res;
}

Response AuthHandlers::Refresh(const RequestContext& ctx) {
  auto issued = auth_.auth().Refresh(auth_.RefreshTokens(ctx.request),
                                     RequestAuth::ClientOf(ctx));
  if (!issued.ok()) {
    // F8: an unusable refresh token clears both cookies in this response,
    // so no page or proxy can bounce on a cookie that merely exists. A
    // database outage is not the user's fault and keeps them.
    ErrorCode code = issued.error().code;
    bool end_session =
        code != ErrorCode::kUnavailable && code != ErrorCode::kInternal;
    return auth_.Fail(issued.error(), end_session);
  }
  Response res =
      JsonSuccess(bhttp::status::ok, "refreshed",
                  json::object{{"session", SessionJson(issued->session)}});
  auth_.SetSessionCookies(res, *issued);
  return res;
}

Response AuthHandlers::Logout(const RequestContext& ctx) {
  Status status = auth_.auth().Logout(auth_.AccessTokens(ctx.request),
                                      auth_.RefreshTokens(ctx.request),
                                      RequestAuth::ClientOf(ctx));
  if (!status.ok()) return auth_.Fail(status.error());
  Response res = JsonSuccess(bhttp::status::ok, "signed out");
  auth_.ClearSessionCookies(res);
  return res;
}

Response AuthHandlers::LogoutAll(const RequestContext& ctx) {
  auto count = auth_.auth().LogoutAll(auth_.AccessTokens(ctx.request),
                                      auth_.RefreshTokens(ctx.request),
                                      RequestAuth::ClientOf(ctx));
  if (!count.ok()) return auth_.Fail(count.error());
  Response res = JsonSuccess(bhttp::status::ok, "signed out everywhere",
                             json::object{{"revoked_sessions", *count}});
  auth_.ClearSessionCookies(res);
  return res;
}

Response AuthHandlers::Me(const RequestContext& ctx) {
  return MeAnswer(auth_.Authenticate(ctx.request));
}

Response AuthHandlers::MeAnswer(const Result<Identity>& identity) const {
  if (!identity.ok()) return auth_.Fail(identity.error());
  return JsonSuccess(bhttp::status::ok, "signed in",
                     json::object{{"user", UserJson(identity->user)},
                                  {"session_id", identity->session_id}});
}

}  // namespace gatehouse
