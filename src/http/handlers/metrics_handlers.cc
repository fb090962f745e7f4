#include "http/handlers/metrics_handlers.h"

#include <spdlog/spdlog.h>

namespace gatehouse {

MetricsHandlers::MetricsHandlers(const Metrics& metrics, Store& store,
                                 const Clock& clock)
    : metrics_(metrics), store_(store), clock_(clock) {}

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

Response MetricsHandlers::Scrape(const RequestContext&) {
  Response res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, kPrometheusContentType);
  res.body() = metrics_.Render(ActiveSessions());
  return res;
}

}  // namespace gatehouse
