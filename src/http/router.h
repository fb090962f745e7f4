// Router: the table of routes. Handlers are pure functions from a request
// to a response, tested without sockets; the route says on which pool its
// handler runs, because network threads must never block (argon2id,
// storage).
#ifndef GATEHOUSE_HTTP_ROUTER_H_
#define GATEHOUSE_HTTP_ROUTER_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/beast.h"

namespace gatehouse {

// Where a handler runs.
enum class Work {
  kInline,        // cheap and non-blocking: on the network thread
  kStorage,       // touches the database: on the storage pool
  kPasswordHash,  // runs argon2id: on the bounded hashing pool
};

struct RequestContext {
  const Request& request;
  std::string_view path;            // target without the query
  std::vector<std::string> params;  // values of {placeholders}, in order
  std::string client_ip;
};

using Handler = std::function<Response(const RequestContext&)>;

// What a route reads and does, for the checks the dispatcher makes before
// its handler runs (SPEC §6). Combine with |.
using RouteFlags = unsigned;
inline constexpr RouteFlags kNoFlags = 0;
// The handler reads a JSON body (ParseJsonObject): the request must say
// `Content-Type: application/json`, else 415 UNSUPPORTED_MEDIA_TYPE. No
// HTML form can send that type, and a cross-site script can only with a
// CORS preflight, which untrusted origins fail. Routes that read no body
// do not look at Content-Type at all.
inline constexpr RouteFlags kJsonBody = 1u << 0;
// The route signs someone in or starts an account flow (register, login;
// also second-factor verify, passkey login, password forgot and reset,
// email verify): an Origin (or, lacking it, a Referer) that is neither
// trusted nor the API's own gets 403 CSRF_REJECTED, cookies or not, so
// no other site can sign its visitor into an account of its choosing.
// A request with neither header (a non-browser client) passes.
inline constexpr RouteFlags kSignsIn = 1u << 1;

// Answers a request on the network thread if it can do so without
// blocking; nullopt means "this one needs the route's pool after all".
using InlineAttempt =
    std::function<std::optional<Response>(const RequestContext&)>;

struct Route {
  bhttp::verb method;
  std::string pattern;  // "/api/v1/auth/sessions/{id}": {x} is one segment
  Work work;
  Handler handler;
  RouteFlags flags = kNoFlags;
  // Optional, for kStorage routes whose common case needs no storage
  // (/auth/me and /auth/check with a token the in-memory revocation view
  // can judge): tried first on the network thread, sparing the hop to the
  // pool and back; the handler runs only when it declines.
  InlineAttempt inline_attempt = nullptr;
};

struct RouteMatch {
  const Route* route = nullptr;  // null: no route for this method
  std::vector<std::string> params;
  bool path_exists = false;  // some route has this path (→ 405, not 404)
  std::string allow;         // methods of the path, for the Allow header
};

class Router {
 public:
  void Add(Route route);
  // Thread-safe once all routes are added.
  RouteMatch Find(bhttp::verb method, std::string_view path) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_ROUTER_H_
