#include "http/handlers/check_handlers.h"

#include <optional>

#include "core/path_normalizer.h"
#include "http/json_response.h"
#include "http/query.h"

namespace gatehouse {
namespace {

std::string_view FirstHeader(const Request& req,
                             std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    auto it = req.find(name);
    if (it != req.end()) return it->value();
  }
  return {};
}

// A key for one browser, for the loop breaker: its address and agent.
std::string BrowserKey(const RequestContext& ctx) {
  auto ua = ctx.request.find(bhttp::field::user_agent);
  std::string key = ctx.client_ip;
  key += '\n';
  if (ua != ctx.request.end()) key += std::string(ua->value()).substr(0, 256);
  return key;
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
  std::string_view original_uri;
  Result<NormalizedPath> path = NormalizedPath();
};

CheckHandlers::Target CheckHandlers::TargetOf(const Request& req) {
  Target t;
  t.real_redirects = QueryParam(req.target(), "redirect") == "1";
  t.original_uri = FirstHeader(req, {"X-Forwarded-Uri", "X-Original-URI"});
  if (t.original_uri.empty()) t.original_uri = "/";
  t.path = NormalizePath(t.original_uri);
  return t;
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
  if (!auth_.RefreshTokens(ctx.request).empty()) return std::nullopt;
  return Answer(ctx, target, std::nullopt, {}, false);
}

Response CheckHandlers::Check(const RequestContext& ctx) {
  const Request& req = ctx.request;
  Target target = TargetOf(req);
  if (!target.path.ok()) return Answer(ctx, target, std::nullopt, {}, false);

  std::optional<Identity> identity;
  std::optional<IssuedSession> refreshed;
  bool end_session = false;
  auto who = auth_.Authenticate(req);
  if (who.ok()) {
    identity = std::move(who).value();
  } else if (who.error().code == ErrorCode::kUnavailable) {
    return auth_.Fail(who.error());
  } else if (auto refresh_tokens = auth_.RefreshTokens(req);
             !refresh_tokens.empty()) {
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
    }
  }
  return Answer(ctx, target, std::move(identity), std::move(refreshed),
                end_session);
}

Response CheckHandlers::Answer(const RequestContext& ctx, const Target& target,
                               std::optional<Identity> identity,
                               std::optional<IssuedSession> refreshed,
                               bool end_session) {
  if (!target.path.ok()) {
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
        breaker_.Forget(BrowserKey(ctx));
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
      if (breaker_.RecordRedirect(BrowserKey(ctx), clock_.Now())) {
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
                : JsonError(MakeError(ErrorCode::kAccessTokenMissing,
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
