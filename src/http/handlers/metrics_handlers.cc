#include "http/handlers/metrics_handlers.h"

#include <spdlog/spdlog.h>

#include "http/cookies.h"
#include "http/json_response.h"

namespace gatehouse {

MetricsHandlers::MetricsHandlers(const Metrics& metrics, Store& store,
                                 const Clock& clock, const Crypto& crypto,
                                 std::string token)
    : metrics_(metrics),
      store_(store),
      clock_(clock),
      crypto_(crypto),
      token_(std::move(token)) {}

void MetricsHandlers::RegisterRoutes(Router& router) {
  router.Add({bhttp::verb::get, kRouteMetrics, Work::kStorage,
              [this](const RequestContext& ctx) { return Scrape(ctx); }});
}

std::optional<int64_t> MetricsHandlers::ActiveSessions() {
  Time now = clock_.Now();
  int64_t count = 0;
  Status status = store_.Run(TxMode::kRead, [&](Tx& tx) -> Status {
    GH_ASSIGN_OR_RETURN(count, tx.CountActiveSessions(now));
    return Ok();
  });
  if (!status.ok()) {
    // /readyz reports the outage; this only explains the missing gauge.
    spdlog::warn("metrics: active sessions not counted: {}",
                 status.error().message);
    return std::nullopt;
  }
  return count;
}

std::optional<Response> MetricsHandlers::Refusal(const Request& req) const {
  if (token_.empty()) return std::nullopt;
  std::vector<std::string_view> bearer = BearerTokens(req);
  std::optional<Error> error;
  if (bearer.empty()) {
    error = MakeError(ErrorCode::kAccessTokenMissing,
                      "Authorization: a bearer token is required");
  } else if (!crypto_.ConstantTimeEquals(bearer.front(), token_)) {
    error = MakeError(ErrorCode::kAccessTokenInvalid,
                      "Authorization: not the metrics token");
  } else {
    return std::nullopt;
  }
  Response res = JsonError(*error);
  res.set(bhttp::field::www_authenticate, "Bearer");
  return res;
}

Response MetricsHandlers::Scrape(const RequestContext& ctx) {
  if (std::optional<Response> refused = Refusal(ctx.request)) {
    return std::move(*refused);
  }
  Response res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, kPrometheusContentType);
  res.body() = metrics_.Render(ActiveSessions());
  return res;
}

}  // namespace gatehouse
