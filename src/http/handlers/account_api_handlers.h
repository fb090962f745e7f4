// Handlers for a signed-in user's own account: devices and password
// (SPEC §3: GET/DELETE /auth/sessions, POST /auth/password).
#ifndef GATEHOUSE_HTTP_HANDLERS_ACCOUNT_API_HANDLERS_H_
#define GATEHOUSE_HTTP_HANDLERS_ACCOUNT_API_HANDLERS_H_

#include "http/handlers/request_auth.h"
#include "http/router.h"
#include "service/account_service.h"

namespace gatehouse {

inline constexpr char kRouteSessions[] = "/api/v1/auth/sessions";
inline constexpr char kRouteSession[] = "/api/v1/auth/sessions/{id}";
inline constexpr char kRoutePassword[] = "/api/v1/auth/password";

class AccountApiHandlers {
 public:
  AccountApiHandlers(const RequestAuth& auth, AccountService& account);

  // Adds the routes to `router`. `this` must outlive it.
  void RegisterRoutes(Router& router);

  // 200 {sessions: [{id, created_at, last_used_at, expires_at,
  // user_agent, ip, current}]}, newest first.
  Response ListSessions(const RequestContext& ctx);
  // 200; 404 for a session that is not the caller's. Revoking the
  // caller's own session signs this browser out: its cookies are cleared.
  Response RevokeSession(const RequestContext& ctx);
  // {current_password, new_password} → 200; every other session revoked.
  Response ChangePassword(const RequestContext& ctx);

 private:
  const RequestAuth& auth_;
  AccountService& account_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_HANDLERS_ACCOUNT_API_HANDLERS_H_
