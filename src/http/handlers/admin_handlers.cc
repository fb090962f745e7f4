#include "http/handlers/admin_handlers.h"

#include <algorithm>
#include <charconv>

#include "http/handlers/json_views.h"
#include "http/json_body.h"
#include "http/json_response.h"
#include "http/query.h"

namespace gatehouse {
namespace {

namespace json = boost::json;

// A non-negative integer query parameter; `fallback` when absent.
Result<int64_t> IntParam(std::string_view target, std::string_view name,
                         int64_t fallback) {
  auto text = QueryParam(target, name);
  if (!text) return fallback;
  int64_t value = 0;
  auto [ptr, ec] =
      std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size() || value < 0) {
    return MakeError(ErrorCode::kValidationFailed,
                     std::string(name) + ": must be a non-negative integer");
  }
  return value;
}

int PageSize(int64_t limit) {
  return static_cast<int>(std::clamp<int64_t>(limit, 1, kMaxPageSize));
}

}  // namespace

AdminHandlers::AdminHandlers(const RequestAuth& auth, AdminService& admin)
    : auth_(auth), admin_(admin) {}

void AdminHandlers::RegisterAdminRoutes(Router& router) {
  using bhttp::verb;
  router.Add({verb::get, kRouteAdminUsers, Work::kStorage,
              [this](const RequestContext& ctx) { return ListUsers(ctx); }});
  router.Add({verb::patch, kRouteAdminUser, Work::kStorage,
              [this](const RequestContext& ctx) { return UpdateUser(ctx); },
              kJsonBody});
  router.Add(
      {verb::delete_, kRouteAdminUserSessions, Work::kStorage,
       [this](const RequestContext& ctx) { return RevokeUserSessions(ctx); }});
  router.Add({verb::get, kRouteAdminAudit, Work::kStorage,
              [this](const RequestContext& ctx) { return ListAudit(ctx); }});
}

Result<Actor> AdminHandlers::ActorOf(const RequestContext& ctx) const {
  GH_ASSIGN_OR_RETURN(Identity who, auth_.Authenticate(ctx.request));
  return Actor{who.user.id, who.user.role};
}

Response AdminHandlers::ListUsers(const RequestContext& ctx) {
  auto actor = ActorOf(ctx);
  if (!actor.ok()) return auth_.Fail(actor.error());
  auto limit = IntParam(ctx.request.target(), "limit", kDefaultPageSize);
  if (!limit.ok()) return auth_.Fail(limit.error());
  std::string after = QueryParam(ctx.request.target(), "after").value_or("");
  int page = PageSize(*limit);
  auto users = admin_.ListUsers(*actor, after, page);
  if (!users.ok()) return auth_.Fail(users.error());
  json::array list;
  for (const User& u : *users) list.push_back(AdminUserJson(u));
  // A full page may have a successor; a short one is the last.
  json::value next = nullptr;
  if (static_cast<int>(users->size()) == page)
    next = json::string(users->back().id);
  return JsonSuccess(
      bhttp::status::ok, "users",
      json::object{{"users", std::move(list)}, {"next_after", next}});
}

Response AdminHandlers::UpdateUser(const RequestContext& ctx) {
  auto actor = ActorOf(ctx);
  if (!actor.ok()) return auth_.Fail(actor.error());
  auto body = ParseJsonObject(ctx.request.body());
  if (!body.ok()) return auth_.Fail(body.error());
  UserChange change;
  auto role = OptionalString(*body, "role");
  if (!role.ok()) return auth_.Fail(role.error());
  change.role = *role;
  if (auto it = body->find("disabled");
      it != body->end() && !it->value().is_null()) {
    if (!it->value().is_bool()) {
      return auth_.Fail(MakeError(ErrorCode::kValidationFailed,
                                  "disabled: must be a boolean"));
    }
    change.disabled = it->value().as_bool();
  }
  auto user = admin_.UpdateUser(*actor, ctx.params.at(0), change,
                                RequestAuth::ClientOf(ctx));
  if (!user.ok()) return auth_.Fail(user.error());
  return JsonSuccess(bhttp::status::ok, "user updated",
                     json::object{{"user", AdminUserJson(*user)}});
}

Response AdminHandlers::RevokeUserSessions(const RequestContext& ctx) {
  auto actor = ActorOf(ctx);
  if (!actor.ok()) return auth_.Fail(actor.error());
  auto count = admin_.RevokeUserSessions(*actor, ctx.params.at(0),
                                         RequestAuth::ClientOf(ctx));
  if (!count.ok()) return auth_.Fail(count.error());
  return JsonSuccess(bhttp::status::ok, "sessions signed out",
                     json::object{{"revoked_sessions", *count}});
}

Response AdminHandlers::ListAudit(const RequestContext& ctx) {
  auto actor = ActorOf(ctx);
  if (!actor.ok()) return auth_.Fail(actor.error());
  auto before = IntParam(ctx.request.target(), "before", 0);
  if (!before.ok()) return auth_.Fail(before.error());
  auto limit = IntParam(ctx.request.target(), "limit", kDefaultPageSize);
  if (!limit.ok()) return auth_.Fail(limit.error());
  std::string user_id =
      QueryParam(ctx.request.target(), "user_id").value_or("");
  int page = PageSize(*limit);
  auto events = admin_.ListAudit(*actor, user_id, *before, page);
  if (!events.ok()) return auth_.Fail(events.error());
  json::array list;
  for (const AuditEvent& e : *events) list.push_back(AuditJson(e));
  json::value next = nullptr;
  if (static_cast<int>(events->size()) == page) next = events->back().id;
  return JsonSuccess(
      bhttp::status::ok, "audit events",
      json::object{{"events", std::move(list)}, {"next_before", next}});
}

}  // namespace gatehouse
