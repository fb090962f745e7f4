// GET /metrics: the Prometheus scrape endpoint (SPEC §3), open, or for
// the bearer of GATEHOUSE_METRICS_TOKEN only (SPEC §9).
#ifndef GATEHOUSE_HTTP_HANDLERS_METRICS_HANDLERS_H_
#define GATEHOUSE_HTTP_HANDLERS_METRICS_HANDLERS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "crypto/crypto.h"
#include "http/metrics.h"
#include "http/router.h"
#include "storage/store.h"

namespace gatehouse {

inline constexpr char kRouteMetrics[] = "/metrics";

class MetricsHandlers {
 public:
  // `metrics`, `store`, `clock` and `crypto` must outlive this object.
  // A non-empty `token` must come as "Authorization: Bearer <token>".
  MetricsHandlers(const Metrics& metrics, Store& store, const Clock& clock,
                  const Crypto& crypto, std::string token);

  // Adds GET /metrics to `router` (Work::kStorage: the active-sessions
  // gauge is a database query). `this` must outlive the router.
  void RegisterRoutes(Router& router);

  // 200 with every metric in Prometheus text format 0.0.4. A scrape never
  // fails: when the store cannot be read, the active-sessions gauge is
  // left out and everything else is still rendered. With a token set, a
  // request without a bearer token gets 401 ACCESS_TOKEN_MISSING and one
  // with another token 401 ACCESS_TOKEN_INVALID (compared in constant
  // time), both with WWW-Authenticate: Bearer. Blocks on the store, so
  // it must run off the network threads.
  Response Scrape(const RequestContext& ctx);

  // Sessions active now, or nullopt (logged) if the store failed.
  std::optional<int64_t> ActiveSessions();

 private:
  // The 401 for a request that may not scrape; nullopt if it may.
  std::optional<Response> Refusal(const Request& req) const;

  const Metrics& metrics_;
  Store& store_;
  const Clock& clock_;
  const Crypto& crypto_;
  const std::string token_;  // empty: open
};

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_HANDLERS_METRICS_HANDLERS_H_
