// GET /metrics: the Prometheus scrape endpoint (SPEC §3).
#ifndef GATEHOUSE_HTTP_HANDLERS_METRICS_HANDLERS_H_
#define GATEHOUSE_HTTP_HANDLERS_METRICS_HANDLERS_H_

#include <cstdint>
#include <optional>

#include "core/clock.h"
#include "http/metrics.h"
#include "http/router.h"
#include "storage/store.h"

namespace gatehouse {

inline constexpr char kRouteMetrics[] = "/metrics";

class MetricsHandlers {
 public:
  // `metrics`, `store` and `clock` must outlive this object.
  MetricsHandlers(const Metrics& metrics, Store& store, const Clock& clock);

  // Adds GET /metrics to `router` (Work::kStorage: the active-sessions
  // gauge is a database query). `this` must outlive the router.
  void RegisterRoutes(Router& router);

  // 200 with every metric in Prometheus text format 0.0.4. A scrape never
  // fails: when the store cannot be read, the active-sessions gauge is
  // left out and everything else is still rendered. Blocks on the store,
  // so it must run off the network threads.
  Response Scrape(const RequestContext& ctx);

  // Sessions active now, or nullopt (logged) if the store failed.
  std::optional<int64_t> ActiveSessions();

 private:
  const Metrics& metrics_;
  Store& store_;
  const Clock& clock_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_HANDLERS_METRICS_HANDLERS_H_
