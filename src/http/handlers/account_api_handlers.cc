#include "http/handlers/account_api_handlers.h"

#include "http/handlers/json_views.h"
#include "http/json_body.h"
#include "http/json_response.h"

namespace gatehouse {

AccountApiHandlers::AccountApiHandlers(const RequestAuth& auth,
                                       AccountService& account)
    : auth_(auth), account_(account) {}

void AccountApiHandlers::RegisterRoutes(Router& router) {
  using bhttp::verb;
  router.Add({verb::get, kRouteSessions, Work::kStorage,
              [this](const RequestContext& ctx) { return ListSessions(ctx); }});
  router.Add(
      {verb::delete_, kRouteSession, Work::kStorage,
       [this](const RequestContext& ctx) { return RevokeSession(ctx); }});
  router.Add({verb::post, kRoutePassword, Work::kPasswordHash,
              [this](const RequestContext& ctx) { return ChangePassword(ctx); },
              kJsonBody});
}

Response AccountApiHandlers::ListSessions(const RequestContext& ctx) {
  auto who = auth_.Authenticate(ctx.request);
  if (!who.ok()) return auth_.Fail(who.error());
  auto sessions = account_.ListSessions(*who);
  if (!sessions.ok()) return auth_.Fail(sessions.error());
  boost::json::array list;
  for (const Session& s : *sessions)
    list.push_back(DeviceJson(s, s.id == who->session_id));
  return JsonSuccess(bhttp::status::ok, "sessions",
                     boost::json::object{{"sessions", std::move(list)}});
}

Response AccountApiHandlers::RevokeSession(const RequestContext& ctx) {
  auto who = auth_.Authenticate(ctx.request);
  if (!who.ok()) return auth_.Fail(who.error());
  const std::string& id = ctx.params.at(0);
  Status revoked = account_.RevokeSession(*who, id, RequestAuth::ClientOf(ctx));
  if (!revoked.ok()) return auth_.Fail(revoked.error());
  Response res = JsonSuccess(bhttp::status::ok, "session signed out");
  if (id == who->session_id) auth_.ClearSessionCookies(res);
  return res;
}

Response AccountApiHandlers::ChangePassword(const RequestContext& ctx) {
  auto who = auth_.Authenticate(ctx.request);
  if (!who.ok()) return auth_.Fail(who.error());
  auto body = ParseJsonObject(ctx.request.body());
  if (!body.ok()) return auth_.Fail(body.error());
  auto current = RequiredString(*body, "current_password");
  if (!current.ok()) return auth_.Fail(current.error());
  auto next = RequiredString(*body, "new_password");
  if (!next.ok()) return auth_.Fail(next.error());
  Status changed = account_.ChangePassword(*who, *current, *next,
                                           RequestAuth::ClientOf(ctx));
  if (!changed.ok()) return auth_.Fail(changed.error());
  return JsonSuccess(bhttp::status::ok,
                     "password changed; other sessions signed out");
}

}  // namespace gatehouse
