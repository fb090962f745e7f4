// Dispatcher: what happens to every request between reading and writing.
//
// In order: CORS preflight; route lookup (404/405); the CSRF checks
// (SPEC §6): cookie-authenticated writes, then sign-in routes
// (kSignsIn); the Content-Type of routes that read JSON (kJsonBody, 415);
// the handler, on the pool its route names; CORS and cache headers on the way
// out; every answer counted in Metrics. The connection loop (http_server.cc)
// only reads, calls Handle, and writes.
#ifndef GATEHOUSE_HTTP_DISPATCHER_H_
#define GATEHOUSE_HTTP_DISPATCHER_H_

#include <atomic>
#include <string>
#include <vector>

#include "core/origin_policy.h"
#include "crypto/crypto.h"
#include "http/beast.h"
#include "http/client_ip.h"
#include "http/metrics.h"
#include "http/router.h"

namespace gatehouse {

inline constexpr char kInternalSecretHeader[] = "X-Internal-Secret";

struct DispatchOptions {
  // Cookies whose presence makes a request cookie-authenticated.
  std::vector<std::string> auth_cookie_names;
  // Shared secret of trusted server callers (F7); empty: none.
  std::string internal_secret;
  // Password hashes waiting or running at once. Each costs ~19 MiB and
  // tens of ms; past this, sign-in answers 503 at once instead of queueing
  // for seconds (64 × 19 MiB ≈ 1.2 GiB worst case).
  int max_pending_hashes = 64;
  // Proxies whose X-Forwarded-For is believed (GATEHOUSE_TRUSTED_PROXIES);
  // default: none, so the TCP peer is the client.
  TrustedProxies trusted_proxies;
};

class Dispatcher {
 public:
  // Every reference, and `metrics` unless null (nothing is counted), must
  // outlive this object.
  Dispatcher(const Router& router, const OriginPolicy& origins,
             const Crypto& crypto, DispatchOptions options,
             net::thread_pool& storage_pool, net::thread_pool& hash_pool,
             Metrics* metrics = nullptr);

  // Thread-safe. `req` must outlive the returned awaitable. `peer_ip` is
  // the TCP peer's address; handlers see the client's address resolved
  // through options.trusted_proxies (http/client_ip.h) in
  // RequestContext::client_ip.
  net::awaitable<Response> Handle(const Request& req, std::string peer_ip);

  // True iff `req` carries the internal-secret header with the right
  // value, compared in constant time.
  bool IsTrustedServerCaller(const Request& req) const;

 private:
  Response Preflight(const Request& req) const;
  bool IsCookieAuthenticated(const Request& req) const;
  void AddCorsHeaders(const Request& req, Response& res) const;

  // Set in constructor.
  const Router& router_;
  const OriginPolicy& origins_;
  const Crypto& crypto_;
  const DispatchOptions options_;
  net::thread_pool& storage_pool_;
  net::thread_pool& hash_pool_;
  Metrics* const metrics_;  // null: not counted

  std::atomic<int> pending_hashes_{0};
};

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_DISPATCHER_H_
