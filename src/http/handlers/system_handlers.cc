#include "http/handlers/system_handlers.h"

#include "http/json_response.h"

namespace gatehouse {
namespace {

// Verifiers may cache the key set this long; a rotated-in key is published
// ahead of use by at least this much only if rotation waits for it, so it
// is kept short (docs/token-format.md).
constexpr char kJwksCacheControl[] = "public, max-age=300";

}  // namespace

SystemHandlers::SystemHandlers(Store& store, const KeyManager& keys)
    : store_(store), keys_(keys) {}

void SystemHandlers::RegisterRoutes(Router& router) {
  using bhttp::verb;
  router.Add({verb::get, kRouteHealthz, Work::kInline,
              [this](const RequestContext& ctx) { return Healthz(ctx); }});
  router.Add({verb::get, kRouteReadyz, Work::kStorage,
              [this](const RequestContext& ctx) { return Readyz(ctx); }});
  router.Add({verb::get, kRouteJwks, Work::kInline,
              [this](const RequestContext& ctx) { return Jwks(ctx); }});
}

Response SystemHandlers::Healthz(const RequestContext&) {
  return JsonSuccess(bhttp::status::ok, "ok");
}

Response SystemHandlers::Readyz(const RequestContext&) {
  Status ping = store_.Ping();
  if (!ping.ok()) {
    Error error = MakeError(ErrorCode::kUnavailable, "database unreachable");
    error.retry_after_seconds = 1;
    return JsonError(error);
  }
  return JsonSuccess(bhttp::status::ok, "ready");
}

Response SystemHandlers::Jwks(const RequestContext&) {
  Response res =
      JsonDocument(bhttp::status::ok, RenderJwks(keys_.published_keys()));
  res.set(bhttp::field::cache_control, kJwksCacheControl);
  return res;
}

}  // namespace gatehouse
