// HttpServer: accepts connections and runs one coroutine per connection
// that reads a request, hands it to the Dispatcher and writes the answer,
// with HTTP/1.1 keep-alive, size limits and read timeouts.
//
// Shutdown is graceful and bounded: Shutdown() stops accepting, closes
// idle connections at once, lets in-flight requests finish (their
// responses go out with Connection: close), and calls `done` when the last
// connection has ended.
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
  net::awaitable<void> AcceptLoop();
  net::awaitable<void> Serve(std::shared_ptr<Connection> conn);
  // Gives `conn` its id and tracks it; false (and untracked) once
  // shutdown has begun, in which case the caller drops it.
  bool Register(const std::shared_ptr<Connection>& conn);
  void Unregister(uint64_t id);

  // Set in constructor.
  net::io_context& ioc_;
  Dispatcher& dispatcher_;
  const ServerLimits limits_;
  net::ip::tcp::acceptor acceptor_;

  mutable Mutex mu_;
  // State below is guarded by mu_.
  std::map<uint64_t, std::weak_ptr<Connection>> connections_ GUARDED_BY(mu_);
  uint64_t next_id_ GUARDED_BY(mu_) = 0;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::function<void()> on_drained_ GUARDED_BY(mu_);
};

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_HTTP_SERVER_H_
