#include "http/handlers/check_handlers.h"

#include <spdlog/spdlog.h>

#include <optional>

#include "core/path_normalizer.h"
#include "http/json_response.h"
#include "http/query.h"

namespace gatehouse {
namespace {

// The first non-empty header of `names`: an empty one counts as absent,
// as nginx's `proxy_set_header X-Forwarded-Uri ""` means.
std::string_view FirstHeader(const Request& req,
                             std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    auto it = req.find(name);
    if (it != req.end() && !it->value().empty()) return it->value();
  }
  return {};
}

// True for the codes of SPEC §3 that mean "not signed in" (401), the only
// ones a check's sign-in answer may carry: another code would change its
// status, and proxies act on the status.
bool IsSignedOutCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::kAccessTokenMissing:
    case ErrorCode::kAccessTokenExpired:
    case ErrorCode::kAccessTokenInvalid:
    case ErrorCode::kSessionRevoked:
    case ErrorCode::kInvalidRefreshToken:
    case ErrorCode::kRefreshTokenReused:
      return true;
    default:
      return false;
  }
}

// Why a request is not signed in, for the 401's code (SPEC §7: the real
// reason). An ended session says most (its refresh token fails for that
// very reason); then a refresh token that failed, which is why the
// cookies are being cleared; else what was wrong with the access token.
Error SignedOutReason(const Error& access,
                      const std::optional<Error>& refresh) {
  if (access.code != ErrorCode::kSessionRevoked && refresh &&
      IsSignedOutCode(refresh->code)) {
    return *refresh;
  }
  if (IsSignedOutCode(access.code)) return access;
  return MakeError(ErrorCode::kAccessTokenMissing, "sign-in required");
}

// nginx hands an auth subrequest's headers to its config through
// $upstream_http_<name>, which holds only the first header of a name: a
// second Set-Cookie would be lost. So each Set-Cookie is also sent as
// X-Auth-Set-Cookie-1, -2, ... for the shipped nginx config to pass on
// (deploy/nginx/). Traefik v3 and the shipped Caddyfile copy every
// Set-Cookie themselves.
void NumberSetCookies(Response& res) {
  int n = 0;
  std::vector<std::string> lines;
  for (auto it = res.find(bhttp::field::set_cookie);
       it != res.end() && it->name() == bhttp::field::set_cookie; ++it) {
    lines.emplace_back(it->value());
  }
  for (const std::string& line : lines) {
    if (++n > kMaxNumberedSetCookies) break;
    res.set(std::string(kNumberedSetCookiePrefix) + std::to_string(n), line);
  }
}

}  // namespace

CheckHandlers::CheckHandlers(const RequestAuth& auth, const GuardPolicy* policy,
                             RedirectLoopBreaker& breaker, const Clock& clock)
    : auth_(auth), policy_(policy), breaker_(breaker), clock_(clock) {}

void CheckHandlers::RegisterRoutes(Router& router) {
  router.Add(
      {bhttp::verb::get, kRouteCheck, Work::kStorage,
       [this](const RequestContext& ctx) { return Check(ctx); }, kNoFlags,
       [this](const RequestContext& ctx) { return TryCheckInline(ctx); }});
}

// What a check judges: the original request's path, normalised.
struct CheckHandlers::Target {
  bool real_redirects = false;
  // A proxy named the original request (X-Forwarded-Uri or
  // X-Original-URI). Without one there is nothing to judge: `path` is
  // then an error and the check is refused (SPEC §7, fail closed).
  bool from_proxy = false;
  std::string_view original_uri;
  Result<NormalizedPath> path = NormalizedPath();
};

CheckHandlers::Target CheckHandlers::TargetOf(const Request& req) {
  Target t;
  t.real_redirects = QueryParam(req.target(), "redirect") == "1";
  t.original_uri = FirstHeader(req, {"X-Forwarded-Uri", "X-Original-URI"});
  t.from_proxy = !t.original_uri.empty();
  if (!t.from_proxy) {
    // Never "/": a proxy that forwards the URI under another name would
    // have every page judged as the home page, and opened.
    t.path = MakeError(ErrorCode::kForbidden,
                       "the proxy did not forward the original URI "
                       "(X-Original-URI or X-Forwarded-Uri)");
    return t;
  }
  t.path = NormalizePath(t.original_uri);
  return t;
}

// The loop breaker's key for the browser that sent `req`: its auth tokens
// (core/redirect_loop_breaker.h), "" when it sends none.
std::string CheckHandlers::BrowserKey(const Request& req) const {
  return LoopBreakerKey(auth_.AccessTokens(req), auth_.RefreshTokens(req));
}

// SPEC §7: only a proxy's check rotates. A browser that navigates to the
// check itself (a link on another site) sends no original-URI header, and
// it may drop the answer (an aborted navigation): the rotated-away token it
// keeps would be replayed past the grace window and revoke the session as
// reused. Such a check is refused before this is asked; the rule stands
// here too, so that no later change to that refusal can bring the rotation
// back. Page views from other sites come through the proxy and rotate.
bool CheckHandlers::MayRotate(const Target& target) {
  return target.from_proxy;
}

std::optional<Response> CheckHandlers::TryCheckInline(
    const RequestContext& ctx) {
  Target target = TargetOf(ctx.request);
  if (!target.path.ok()) return Answer(ctx, target, std::nullopt, {}, false);
  auto who = auth_.AuthenticateWithoutBlocking(ctx.request);
  if (!who) return std::nullopt;
  if (who->ok()) {
    return Answer(ctx, target, std::move(*who).value(), {}, false);
  }
  // Not signed in by the access token: a refresh cookie means rotating,
  // which needs the database.
  if (MayRotate(target) && !auth_.RefreshTokens(ctx.request).empty()) {
    return std::nullopt;
  }
  return Answer(ctx, target, std::nullopt, {}, false,
                SignedOutReason(who->error(), std::nullopt));
}

Response CheckHandlers::Check(const RequestContext& ctx) {
  const Request& req = ctx.request;
  Target target = TargetOf(req);
  if (!target.path.ok()) return Answer(ctx, target, std::nullopt, {}, false);

  std::optional<Identity> identity;
  std::optional<IssuedSession> refreshed;
  std::optional<Error> refresh_failure;
  bool end_session = false;
  auto who = auth_.Authenticate(req);
  if (who.ok()) {
    identity = std::move(who).value();
  } else if (who.error().code == ErrorCode::kUnavailable) {
    return auth_.Fail(who.error());
  } else if (auto refresh_tokens = auth_.RefreshTokens(req);
             MayRotate(target) && !refresh_tokens.empty()) {
    // Access expired (or missing) but a refresh cookie exists: rotate at
    // the edge and pass the new cookies on.
    auto issued =
        auth_.auth().Refresh(refresh_tokens, RequestAuth::ClientOf(ctx));
    if (issued.ok()) {
      identity = Identity{issued->user, issued->session.id};
      identity->user.password_hash.clear();
      refreshed = std::move(issued).value();
    } else if (issued.error().code == ErrorCode::kUnavailable ||
               issued.error().code == ErrorCode::kInternal) {
      return auth_.Fail(issued.error());
    } else {
      end_session = true;  // F8: an unusable refresh token is cleared now
      refresh_failure = issued.error();
    }
  }
  std::optional<Error> why;
  if (!identity) why = SignedOutReason(who.error(), refresh_failure);
  return Answer(ctx, target, std::move(identity), std::move(refreshed),
                end_session, std::move(why));
}

Response CheckHandlers::Answer(const RequestContext& ctx, const Target& target,
                               std::optional<Identity> identity,
                               std::optional<IssuedSession> refreshed,
                               bool end_session,
                               std::optional<Error> signed_out_reason) {
  if (!target.path.ok()) {
    if (!target.from_proxy && missing_uri_warnings_.ShouldWarn(clock_.Now())) {
      spdlog::warn(
          "auth check from {} refused: it carries neither X-Original-URI nor "
          "X-Forwarded-Uri, so the proxy in front of gatehouse does not "
          "forward the original request and every guarded page is refused "
          "(403) until its config does (see deploy/); logged at most once a "
          "minute",
          ctx.client_ip);
    }
    // Never judged public: a path we cannot read is a path we deny.
    return auth_.Fail(
        MakeError(ErrorCode::kForbidden, target.path.error().message));
  }
  const NormalizedPath& path = *target.path;
  const bool real_redirects = target.real_redirects;
  const std::string_view original_uri = target.original_uri;

  std::optional<std::string_view> role;
  if (identity) role = identity->user.role;
  GuardDecision decision = policy_ != nullptr ? policy_->Decide(path, role)
                           : identity         ? GuardDecision::kAllow
                                              : GuardDecision::kLoginRequired;

  Response res;
  switch (decision) {
    case GuardDecision::kAllow:
      res = JsonSuccess(bhttp::status::ok, "allowed");
      if (identity) {
        res.set("X-Auth-User-Id", identity->user.id);
        res.set("X-Auth-Email", identity->user.email);
        res.set("X-Auth-Role", identity->user.role);
        res.set("X-Auth-Session-Id", identity->session_id);
        if (std::string key = BrowserKey(ctx.request); !key.empty()) {
          breaker_.Forget(key);
        }
      }
      break;
    case GuardDecision::kForbidden:
      res = JsonError(
          MakeError(ErrorCode::kForbidden, "this page needs another role"));
      break;
    case GuardDecision::kSendToLanding: {
      std::string landing = policy_->landing_path();
      res = real_redirects ? Response{bhttp::status::found, 11}
                           : JsonError(MakeError(ErrorCode::kForbidden,
                                                 "already signed in"));
      res.set(real_redirects ? "Location" : kAuthRedirectHeader, landing);
      break;
    }
    case GuardDecision::kLoginRequired: {
      std::string login =
          policy_ != nullptr ? policy_->LoginRedirect(original_uri) : "";
      const std::string key = BrowserKey(ctx.request);
      if (!key.empty() && breaker_.RecordRedirect(key, clock_.Now())) {
        // The same browser keeps coming back to sign-in: something outside
        // gatehouse loops (a stale cookie on a forgotten Domain, a page
        // that bounces on mere cookie presence). Stop sending it round:
        // clear every auth cookie everywhere and let the login page say so.
        end_session = true;
        if (policy_ != nullptr)
          login = policy_->login_path() + "?reason=redirect-loop";
      }
      res = real_redirects && !login.empty()
                ? Response{bhttp::status::found, 11}
                : JsonError(signed_out_reason
                                ? *signed_out_reason
                                : MakeError(ErrorCode::kAccessTokenMissing,
                                            "sign-in required"));
      if (!login.empty())
        res.set(real_redirects ? "Location" : kAuthRedirectHeader, login);
      break;
    }
  }
  if (refreshed) auth_.SetSessionCookies(res, *refreshed);
  if (end_session) auth_.ClearSessionCookies(res);
  NumberSetCookies(res);
  return res;
}

}  // namespace gatehouse
