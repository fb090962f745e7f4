#include "http/dispatcher.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>

#include "http/cookies.h"
#include "http/json_body.h"
#include "http/json_response.h"
#include "http/offload.h"
#include "http/thread_priority.h"

namespace gatehouse {
namespace {

// Preflight answers are cached by the browser this long (seconds);
// Chromium caps it at 7200, 10 minutes keeps config changes visible soon.
constexpr int kPreflightMaxAgeSeconds = 600;
constexpr char kAllowedMethods[] = "GET, POST, PUT, PATCH, DELETE";
constexpr char kAllowedHeaders[] =
    "Content-Type, Authorization, X-Requested-With";

std::string_view PathOf(std::string_view target) {
  return target.substr(0, target.find('?'));
}

std::optional<std::string_view> Header(const Request& req, bhttp::field f) {
  auto it = req.find(f);
  if (it == req.end()) return std::nullopt;
  return it->value();
}

// Runs `handler` and turns any escaped exception into a 500 envelope: a
// bug in one handler must never take the connection loop down with it.
Response Guarded(const Handler& handler, const RequestContext& ctx) {
  try {
    return handler(ctx);
  } catch (const std::exception& e) {
    spdlog::error("handler for {} threw: {}", ctx.path, e.what());
  } catch (...) {
    spdlog::error("handler for {} threw a non-standard exception", ctx.path);
  }
  return JsonError(MakeError(ErrorCode::kInternal, "internal error"));
}

// Guarded for an inline attempt: an exception is a 500 answer too.
std::optional<Response> GuardedAttempt(const InlineAttempt& attempt,
                                       const RequestContext& ctx) {
  try {
    return attempt(ctx);
  } catch (const std::exception& e) {
    spdlog::error("inline handler for {} threw: {}", ctx.path, e.what());
  } catch (...) {
    spdlog::error("inline handler for {} threw a non-standard exception",
                  ctx.path);
  }
  return JsonError(MakeError(ErrorCode::kInternal, "internal error"));
}

}  // namespace

Dispatcher::Dispatcher(const Router& router, const OriginPolicy& origins,
                       const Crypto& crypto, DispatchOptions options,
                       net::thread_pool& storage_pool,
                       net::thread_pool& hash_pool, Metrics* metrics)
    : router_(router),
      origins_(origins),
      crypto_(crypto),
      options_(std::move(options)),
      storage_pool_(storage_pool),
      hash_pool_(hash_pool),
      metrics_(metrics) {}

bool Dispatcher::IsTrustedServerCaller(const Request& req) const {
  if (options_.internal_secret.empty()) return false;
  auto it = req.find(kInternalSecretHeader);
  if (it == req.end()) return false;
  return crypto_.ConstantTimeEquals(it->value(), options_.internal_secret);
}

bool Dispatcher::IsCookieAuthenticated(const Request& req) const {
  for (const std::string& name : options_.auth_cookie_names) {
    if (!RequestCookies(req, name).empty()) return true;
  }
  return false;
}

void Dispatcher::AddCorsHeaders(const Request& req, Response& res) const {
  // The response depends on Origin even when it grants nothing, so caches
  // must key on it.
  res.set(bhttp::field::vary, "Origin");
  auto origin = Header(req, bhttp::field::origin);
  if (!origin || !origins_.IsTrusted(*origin)) return;
  res.set(bhttp::field::access_control_allow_origin, *origin);
  res.set(bhttp::field::access_control_allow_credentials, "true");
}

Response Dispatcher::Preflight(const Request& req) const {
  auto origin = Header(req, bhttp::field::origin);
  if (!origin || !origins_.IsTrusted(*origin)) {
    return JsonError(MakeError(ErrorCode::kForbidden, "origin is not trusted"));
  }
  Response res{bhttp::status::no_content, 11};
  res.set(bhttp::field::access_control_allow_methods, kAllowedMethods);
  res.set(bhttp::field::access_control_allow_headers, kAllowedHeaders);
  res.set(bhttp::field::access_control_max_age,
          std::to_string(kPreflightMaxAgeSeconds));
  return res;
}

net::awaitable<Response> Dispatcher::Handle(const Request& req,
                                            std::string peer_ip) {
  auto started = std::chrono::steady_clock::now();
  std::string_view path = PathOf(req.target());
  Response res;

  bool preflight =
      req.method() == bhttp::verb::options &&
      req.find(bhttp::field::access_control_request_method) != req.end();
  RouteMatch match = router_.Find(req.method(), path);
  // The pattern, never the path, keeps the metric's label set bounded.
  std::string_view route_label = match.route != nullptr
                                     ? std::string_view(match.route->pattern)
                                     : Metrics::kUnmatchedRoute;
  if (preflight) {
    res = Preflight(req);
  } else if (!match.path_exists) {
    res = JsonError(MakeError(ErrorCode::kNotFound, "no such route"));
  } else if (match.route == nullptr) {
    res = JsonError(
        MakeError(ErrorCode::kMethodNotAllowed, "method not allowed"));
    res.set(bhttp::field::allow, match.allow);
  } else if (IsStateChangingMethod(req.method_string()) &&
             IsCookieAuthenticated(req) && !IsTrustedServerCaller(req) &&
             !origins_.AllowsCookieWrite(Header(req, bhttp::field::origin),
                                         Header(req, bhttp::field::referer))) {
    res = JsonError(
        MakeError(ErrorCode::kCsrfRejected,
                  "request origin is not trusted for cookie-authenticated "
                  "writes"));
  } else if ((match.route->flags & kSignsIn) != 0 &&
             !origins_.AllowsSignIn(Header(req, bhttp::field::origin),
                                    Header(req, bhttp::field::referer))) {
    res = JsonError(MakeError(ErrorCode::kCsrfRejected,
                              "request origin is not trusted to sign in"));
  } else if ((match.route->flags & kJsonBody) != 0 &&
             !IsJsonContentType(
                 Header(req, bhttp::field::content_type).value_or(""))) {
    res = JsonError(MakeError(ErrorCode::kUnsupportedMediaType,
                              "Content-Type: must be application/json"));
  } else {
    const Route& route = *match.route;
    RequestContext ctx{req, path, std::move(match.params),
                       ResolveClientIp(req, peer_ip, options_.trusted_proxies)};
    switch (route.work) {
      case Work::kInline:
        res = Guarded(route.handler, ctx);
        break;
      case Work::kStorage:
        if (route.inline_attempt) {
          if (std::optional<Response> answered =
                  GuardedAttempt(route.inline_attempt, ctx)) {
            res = std::move(*answered);
            break;
          }
        }
        res = co_await RunOn(storage_pool_,
                             [&] { return Guarded(route.handler, ctx); });
        break;
      case Work::kPasswordHash:
        if (pending_hashes_.fetch_add(1) >= options_.max_pending_hashes) {
          pending_hashes_.fetch_sub(1);
          Error busy = MakeError(ErrorCode::kUnavailable,
                                 "too many sign-ins at once; retry shortly");
          busy.retry_after_seconds = 1;
          res = JsonError(busy);
          if (metrics_ != nullptr) metrics_->RecordLoginOverload();
          break;
        }
        res = co_await RunOn(hash_pool_, [&] {
          DeprioritizeCurrentThreadOnce();
          return Guarded(route.handler, ctx);
        });
        pending_hashes_.fetch_sub(1);
        break;
    }
  }

  AddCorsHeaders(req, res);
  // Auth responses carry tokens and per-user data: never cache them.
  if (res.find(bhttp::field::cache_control) == res.end()) {
    res.set(bhttp::field::cache_control, "no-store");
  }
  res.set("X-Content-Type-Options", "nosniff");
  auto elapsed = std::chrono::steady_clock::now() - started;
  if (metrics_ != nullptr) {
    metrics_->RecordRequest(route_label, req.method(), res.result_int(),
                            elapsed);
  }
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
  // The path only: query strings may carry anything, and are not logged.
  // One line per request is an access log, which the proxy in front keeps
  // anyway; written synchronously it cost 12% of /auth/me throughput
  // (docs/benchmarks.md), so it is a debug line. Server errors stay
  // visible at the default level.
  spdlog::log(res.result_int() >= 500 ? spdlog::level::warn
                                      : spdlog::level::debug,
              "{} {} {} {}us", std::string_view(req.method_string()), path,
              res.result_int(), micros);
  co_return res;
}

}  // namespace gatehouse
