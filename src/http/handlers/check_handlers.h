// GET /api/v1/auth/check: forward-auth for nginx (auth_request), Traefik
// (forwardAuth) and Caddy (reverse_proxy with handle_response) (SPEC §7).
//
// The proxy forwards the original method and URI (X-Forwarded-Method /
// X-Forwarded-Uri, or X-Original-Method / X-Original-URI) and the
// browser's cookies. Without either URI header the proxy is misconfigured
// (or no proxy is calling): 403 FORBIDDEN, whoever asks, and a warning in
// the log at most once a minute (fail closed). Otherwise the answer:
//   200  allowed; X-Auth-User-Id, X-Auth-Email, X-Auth-Role and
//        X-Auth-Session-Id for the upstream when signed in, and the new
//        cookies when an expired access token was refreshed on the way
//        (only ever for a proxy's check: a navigation straight to this
//        route never rotates a refresh token);
//   401  not signed in, the envelope's code saying why (SESSION_REVOKED,
//        ACCESS_TOKEN_EXPIRED, ACCESS_TOKEN_INVALID, ACCESS_TOKEN_MISSING,
//        INVALID_REFRESH_TOKEN, REFRESH_TOKEN_REUSED); X-Auth-Redirect
//        names the login path with a local `next`; both cookies cleared
//        when the refresh token is invalid (F8);
//   403  signed in without the role;
//   403 with X-Auth-Redirect: signed in on the login path, go to landing.
// With `?redirect=1` (Traefik, Caddy: they hand a non-2xx answer to the
// browser as it is), the redirects are real: 302 with Location.
#ifndef GATEHOUSE_HTTP_HANDLERS_CHECK_HANDLERS_H_
#define GATEHOUSE_HTTP_HANDLERS_CHECK_HANDLERS_H_

#include "core/clock.h"
#include "core/guard_policy.h"
#include "core/redirect_loop_breaker.h"
#include "core/warning_throttle.h"
#include "http/handlers/request_auth.h"
#include "http/router.h"

namespace gatehouse {

inline constexpr char kRouteCheck[] = "/api/v1/auth/check";
inline constexpr char kAuthRedirectHeader[] = "X-Auth-Redirect";
// Every Set-Cookie of a check answer is repeated as X-Auth-Set-Cookie-<n>,
// n = 1.., for proxies that keep only the first header of a name (nginx).
// Two tokens plus two clears for each of three old Domains fit.
inline constexpr char kNumberedSetCookiePrefix[] = "X-Auth-Set-Cookie-";
inline constexpr int kMaxNumberedSetCookies = 8;

class CheckHandlers {
 public:
  // `policy` may be null: without [guard] rules every path needs a valid
  // session. `breaker` counts login redirects per browser, a browser being
  // the auth cookies it sends (none: not counted).
  CheckHandlers(const RequestAuth& auth, const GuardPolicy* policy,
                RedirectLoopBreaker& breaker, const Clock& clock);

  // Adds GET /api/v1/auth/check to `router`. `this` must outlive it.
  void RegisterRoutes(Router& router);

  // The check, on the storage pool: may rotate a refresh token.
  Response Check(const RequestContext& ctx);
  // The check on the network thread, when it needs no database: the
  // access token decides alone (no refresh cookie to rotate) and the
  // revocation view is fresh. Otherwise nullopt, and Check runs.
  std::optional<Response> TryCheckInline(const RequestContext& ctx);

 private:
  struct Target;
  static Target TargetOf(const Request& req);
  // Whether a check for `target` may rotate a refresh token: only when a
  // proxy named the original request.
  static bool MayRotate(const Target& target);
  // The loop breaker's key for the browser that sent `req`.
  std::string BrowserKey(const Request& req) const;
  // The answer for `target` given who the request turned out to be.
  // `signed_out_reason`: why a request without `identity` is not signed
  // in, the code of a 401 (ACCESS_TOKEN_MISSING when not given).
  Response Answer(const RequestContext& ctx, const Target& target,
                  std::optional<Identity> identity,
                  std::optional<IssuedSession> refreshed, bool end_session,
                  std::optional<Error> signed_out_reason = std::nullopt);

  const RequestAuth& auth_;
  const GuardPolicy* policy_;
  RedirectLoopBreaker& breaker_;
  const Clock& clock_;
  // One warning a minute about checks that name no original URI.
  WarningThrottle missing_uri_warnings_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_HANDLERS_CHECK_HANDLERS_H_
