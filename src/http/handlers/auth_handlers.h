// Handlers of the auth API (SPEC §3): request in, response out, no I/O of
// their own beyond the services they are given.
#ifndef GATEHOUSE_HTTP_HANDLERS_AUTH_HANDLERS_H_
#define GATEHOUSE_HTTP_HANDLERS_AUTH_HANDLERS_H_

#include "core/routes.h"
#include "http/handlers/request_auth.h"
#include "http/router.h"
#include "service/auth_service.h"

namespace gatehouse {

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
