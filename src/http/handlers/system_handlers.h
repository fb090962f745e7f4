// Operational endpoints: liveness, readiness, and the public JWKS.
#ifndef GATEHOUSE_HTTP_HANDLERS_SYSTEM_HANDLERS_H_
#define GATEHOUSE_HTTP_HANDLERS_SYSTEM_HANDLERS_H_

#include "http/router.h"
#include "service/key_manager.h"
#include "storage/store.h"

namespace gatehouse {

inline constexpr char kRouteHealthz[] = "/healthz";
inline constexpr char kRouteReadyz[] = "/readyz";
inline constexpr char kRouteJwks[] = "/.well-known/jwks.json";

class SystemHandlers {
 public:
  SystemHandlers(Store& store, const KeyManager& keys);

  // Adds the routes to `router`. `this` must outlive it.
  void RegisterRoutes(Router& router);

  // 200 while the process serves; touches nothing else, so it stays fast
  // under any load.
  Response Healthz(const RequestContext& ctx);
  // 200 if the database answers now, else 503 UNAVAILABLE.
  Response Readyz(const RequestContext& ctx);
  // The public signing keys, as a standard JWKS document.
  Response Jwks(const RequestContext& ctx);

 private:
  Store& store_;
  const KeyManager& keys_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_HANDLERS_SYSTEM_HANDLERS_H_
