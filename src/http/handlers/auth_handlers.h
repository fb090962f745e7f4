// Handlers of the auth API (SPEC §3): request in, response out, no I/O of
// their own beyond the services they are given.
#ifndef GATEHOUSE_HTTP_HANDLERS_AUTH_HANDLERS_H_
#define GATEHOUSE_HTTP_HANDLERS_AUTH_HANDLERS_H_

#include "http/handlers/request_auth.h"
#include "http/router.h"
#include "service/auth_service.h"

namespace gatehouse {

inline constexpr char kRouteRegister[] = "/api/v1/auth/register";
inline constexpr char kRouteLogin[] = "/api/v1/auth/login";
inline constexpr char kRouteRefresh[] = "/api/v1/auth/refresh";
inline constexpr char kRouteLogout[] = "/api/v1/auth/logout";
inline constexpr char kRouteLogoutAll[] = "/api/v1/auth/logout-all";
inline constexpr char kRouteMe[] = "/api/v1/auth/me";

class AuthHandlers {
 public:
  explicit AuthHandlers(const RequestAuth& auth);

  // Adds the public auth routes to `router`. `this` must outlive it.
  void RegisterPublicRoutes(Router& router);

  Response Register(const RequestContext& ctx);
  Response Login(const RequestContext& ctx);
  Response Refresh(const RequestContext& ctx);
  Response Logout(const RequestContext& ctx);
  Response LogoutAll(const RequestContext& ctx);
  Response Me(const RequestContext& ctx);

 private:
  // /auth/me's answer for who authenticated, or why not.
  Response MeAnswer(const Result<Identity>& identity) const;

  const RequestAuth& auth_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_HANDLERS_AUTH_HANDLERS_H_
