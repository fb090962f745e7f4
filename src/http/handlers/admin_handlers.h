// The admin API (SPEC §3), role "admin" only: 403 FORBIDDEN for others.
#ifndef GATEHOUSE_HTTP_HANDLERS_ADMIN_HANDLERS_H_
#define GATEHOUSE_HTTP_HANDLERS_ADMIN_HANDLERS_H_

#include "http/handlers/request_auth.h"
#include "http/router.h"
#include "service/admin_service.h"

namespace gatehouse {

inline constexpr char kRouteAdminUsers[] = "/api/v1/admin/users";
inline constexpr char kRouteAdminUser[] = "/api/v1/admin/users/{id}";
inline constexpr char kRouteAdminUserSessions[] =
    "/api/v1/admin/users/{id}/sessions";
inline constexpr char kRouteAdminAudit[] = "/api/v1/admin/audit";

class AdminHandlers {
 public:
  AdminHandlers(const RequestAuth& auth, AdminService& admin);

  // Adds the admin routes to `router`. `this` must outlive it.
  void RegisterAdminRoutes(Router& router);

  // ?after=<user id>&limit=<n> → {users: [...], next_after: id|null}
  Response ListUsers(const RequestContext& ctx);
  // {role?, disabled?} → {user}
  Response UpdateUser(const RequestContext& ctx);
  // → {revoked_sessions: n}
  Response RevokeUserSessions(const RequestContext& ctx);
  // ?user_id=&before=<event id>&limit= → {events: [...], next_before: id|null}
  Response ListAudit(const RequestContext& ctx);

 private:
  // The caller as an Actor, or the error response to send.
  Result<Actor> ActorOf(const RequestContext& ctx) const;

  const RequestAuth& auth_;
  AdminService& admin_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_HANDLERS_ADMIN_HANDLERS_H_
