// HttpServer: accepts connections and runs one coroutine per connection
// that reads a request, hands it to the Dispatcher and writes the answer,
// with HTTP/1.1 keep-alive, size limits and read timeouts.
//
// Shutdown is graceful and bounded: Shutdown() stops accepting, closes
// idle connections at once, lets in-flight requests finish (their
// responses go out with Connection: close), and calls `done` when the last
// connection has ended.
//
// Connections are capped in total and per client (SPEC §10): one over a
// cap gets a 503 UNAVAILABLE envelope with Retry-After if the socket takes
// it without waiting (a fresh socket's send buffer holds far more than its
// few hundred bytes), and is closed at once. When accept fails for want of
// descriptors or memory the server keeps serving the connections it has and
// tries again when one closes, logging the failure at most once per interval.
#ifndef GATEHOUSE_HTTP_HTTP_SERVER_H_
#define GATEHOUSE_HTTP_HTTP_SERVER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/result.h"
#include "core/thread_annotations.h"
#include "http/beast.h"
#include "http/client_ip.h"
#include "http/connection_limits.h"
#include "http/dispatcher.h"

namespace gatehouse {

struct ServerLimits {
  // Beast's default is 8 KiB; auth cookies (a JWT plus a refresh token,
  // twice during a Domain migration, F10) beside an app's own cookies
  // need more. Past this: 431.
  size_t header_limit = 16 * 1024;
  // SPEC §10: bodies over 64 KiB get 413.
  size_t body_limit = 64 * 1024;
  // A client has this long to send a whole request header, and an idle
  // keep-alive connection is closed after it: a stalled or slow client
  // cannot hold a connection for longer.
  Duration header_timeout{std::chrono::seconds(10)};
  // ... and this long for the body once the header is in.
  Duration body_timeout{std::chrono::seconds(15)};
  Duration write_timeout{std::chrono::seconds(15)};
  // SPEC §10, GATEHOUSE_MAX_CONNECTIONS: connections open at once. Each
  // holds a descriptor and its buffers. The server lowers it to the
  // descriptor limit less kReservedDescriptors (connection_limits.h), so
  // its own connections cannot starve the database of descriptors.
  size_t max_connections = 10000;
  // GATEHOUSE_MAX_CONNECTIONS_PER_IP: connections from one client
  // (core/limiter_key.h: an IPv6 client by its /64), so that one client
  // cannot take every slot. A browser opens at most 6 per host, so 256
  // leaves room for ~40 browsers behind one NAT address.
  size_t max_connections_per_ip = 256;
  // Peers the per-IP cap does not apply to: GATEHOUSE_TRUSTED_PROXIES. A
  // reverse proxy carries many clients' requests over its own connections
  // (its own limits apply to each client); they still count in the total.
  TrustedProxies uncapped_peers;
  // After accept fails for a reason that does not go away by itself
  // (EMFILE, ENFILE, ENOBUFS, ENOMEM), accepting waits for a connection to
  // close, or this long if none does (the shortage may be outside this
  // server: ENFILE is system-wide). Retrying at once spun a core (3.9 s of
  // CPU in 3 s); 100 ms costs at most ten failed accept calls a second,
  // and a descriptor freed by a closing connection is used at once.
  Duration accept_backoff{std::chrono::milliseconds(100)};
};

class HttpServer {
 public:
  HttpServer(net::io_context& ioc, Dispatcher& dispatcher, ServerLimits limits);
  ~HttpServer();

  // Binds and listens on host:port (port 0 picks a free one). Returns the
  // bound endpoint; kUnavailable naming the address if it cannot bind.
  Result<net::ip::tcp::endpoint> Listen(const std::string& host, uint16_t port);

  // Starts accepting on the io_context. REQUIRES: Listen succeeded.
  void Start();

  // Begins the graceful shutdown described above; `done` runs once, on
  // some io_context thread, when no connection is left. Thread-safe.
  void Shutdown(std::function<void()> done);

  // Connections currently open.
  size_t open_connections() const;

 private:
  struct Connection;
  struct ThrottledLog;
  net::awaitable<void> AcceptLoop();
  // Counts and starts a connection, or refuses it when over a cap or
  // stopping. On the acceptor's strand.
  void Admit(net::ip::tcp::socket socket, ThrottledLog& refusals);
  // Sends refusal_ without waiting and closes the socket.
  void Refuse(net::ip::tcp::socket& socket) const;
  // Waits for a connection to close or limits_.accept_backoff, whichever
  // comes first. On the acceptor's strand.
  net::awaitable<void> WaitToAcceptAgain();
  net::awaitable<void> Serve(std::shared_ptr<Connection> conn);
  void Unregister(const Connection& conn);

  // Set in constructor.
  net::io_context& ioc_;
  Dispatcher& dispatcher_;
  const ServerLimits limits_;
  // limits_.max_connections, lowered to fit the descriptor limit the
  // process had at construction.
  const size_t max_connections_;
  // What a connection over a cap is sent: a whole HTTP response.
  const std::string refusal_;

  // Owned by the acceptor's strand, where the accept loop runs.
  net::ip::tcp::acceptor acceptor_;
  net::steady_timer accept_timer_;  // see WaitToAcceptAgain

  mutable Mutex mu_;
  // State below is guarded by mu_.
  std::map<uint64_t, std::weak_ptr<Connection>> connections_ GUARDED_BY(mu_);
  uint64_t next_id_ GUARDED_BY(mu_) = 0;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::function<void()> on_drained_ GUARDED_BY(mu_);
  ConnectionCounter counter_ GUARDED_BY(mu_);
  // True while the accept loop waits in WaitToAcceptAgain: the next
  // connection to close wakes it.
  bool accept_waiting_ GUARDED_BY(mu_) = false;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_HTTP_SERVER_H_
