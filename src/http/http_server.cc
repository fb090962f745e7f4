#include "http/http_server.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <array>
#include <cerrno>
#include <sstream>
#include <utility>

#include "core/limiter_key.h"
#include "core/setting_names.h"
#include "core/warning_throttle.h"
#include "http/json_response.h"

namespace gatehouse {
namespace {

// At most one line per interval for each kind of accept trouble: when
// descriptors run out, accept fails for every waiting client, and a line
// each wrote 782,802 lines in 3 s. Six lines a minute still tell an
// operator watching the log that the trouble goes on.
constexpr Duration kAcceptLogInterval = std::chrono::seconds(10);

// A refused client may try again this soon: a slot frees as soon as any
// connection closes.
constexpr int kRefusalRetryAfterSeconds = 1;

// The soft descriptor limit (ulimit -n); 0 when unlimited or unknown.
uint64_t DescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return 0;
  return static_cast<uint64_t>(limit.rlim_cur);
}

std::string RefusalText() {
  // Built once at construction, for every refusal: an empty message, so
  // JsonError logs nothing now (each refusal is logged where it happens).
  Error error = MakeError(ErrorCode::kUnavailable, "");
  error.retry_after_seconds = kRefusalRetryAfterSeconds;
  Response res = JsonError(error);
  res.keep_alive(false);
  res.prepare_payload();
  std::ostringstream text;
  text << res;
  return text.str();
}

// True when accept failed for the one pending connection only (Linux
// passes that connection's network errors on from accept(2)), so the next
// may be accepted at once. Anything else (EMFILE, ENFILE, ENOBUFS, ENOMEM,
// or an error we do not know) may last, and retrying at once would spin.
bool OnlyThatConnectionFailed(const beast::error_code& ec) {
  if (ec.category() != boost::system::system_category()) return false;
  switch (ec.value()) {
    case ECONNABORTED:
    case EPROTO:
    case EPERM:  // a firewall rule refused this connection
    case ENETDOWN:
    case ENOPROTOOPT:
    case EHOSTDOWN:
    case ENONET:
    case EHOSTUNREACH:
    case EOPNOTSUPP:
    case ENETUNREACH:
    case EINTR:
      return true;
    default:
      return false;
  }
}

// " (N more <what> since the last such line)", or "" when N is 0.
std::string Skipped(uint64_t n, std::string_view what) {
  if (n == 0) return "";
  return " (" + std::to_string(n) + " more " + std::string(what) +
         " since the last such line)";
}

Time Now() {
  return std::chrono::floor<Duration>(std::chrono::system_clock::now());
}

}  // namespace

// A warning that may repeat many times a second, logged at most once per
// kAcceptLogInterval with the number of occurrences left out since the
// last line. Used by the accept loop only, so not thread-safe.
struct HttpServer::ThrottledLog {
  WarningThrottle throttle{kAcceptLogInterval};
  uint64_t unlogged = 0;

  // True if this occurrence may be logged; then *skipped says how many
  // were not since the last logged one.
  bool Allow(uint64_t* skipped) {
    if (!throttle.ShouldWarn(Now())) {
      ++unlogged;
      return false;
    }
    *skipped = std::exchange(unlogged, 0);
    return true;
  }
};

// One accepted socket. Everything in it is touched only on its strand.
struct HttpServer::Connection {
  explicit Connection(net::ip::tcp::socket socket)
      : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  uint64_t id = 0;
  // The peer's address, and the key it is counted by (LimiterKey). Set
  // before Serve starts.
  std::string client_ip;
  std::string client_key;
  // True while waiting for the next request header: the only moment at
  // which shutdown may close the connection without losing a request.
  bool idle = true;
  bool closing =
      false;  // shutdown asked: answer the current request, then close
};

HttpServer::HttpServer(net::io_context& ioc, Dispatcher& dispatcher,
                       ServerLimits limits)
    : ioc_(ioc),
      dispatcher_(dispatcher),
      limits_(limits),
      max_connections_(
          ConnectionCapFor(limits.max_connections, DescriptorLimit())),
      refusal_(RefusalText()),
      acceptor_(net::make_strand(ioc)),
      accept_timer_(acceptor_.get_executor()),
      counter_(max_connections_, limits.max_connections_per_ip) {}

HttpServer::~HttpServer() = default;

Result<net::ip::tcp::endpoint> HttpServer::Listen(const std::string& host,
                                                  uint16_t port) {
  beast::error_code ec;
  auto address = net::ip::make_address(host, ec);
  if (ec) {
    return MakeError(ErrorCode::kValidationFailed,
                     "GATEHOUSE_LISTEN: '" + host + "' is not an IP address");
  }
  net::ip::tcp::endpoint endpoint(address, port);
  auto fail = [&](const char* what) -> Error {
    return MakeError(ErrorCode::kUnavailable,
                     std::string("cannot ") + what + " " + host + ":" +
                         std::to_string(port) + ": " + ec.message());
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  acceptor_.bind(endpoint, ec);
  if (ec) return fail("bind");
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  return acceptor_.local_endpoint();
}

void HttpServer::Start() {
  if (max_connections_ < limits_.max_connections) {
    const uint64_t limit = DescriptorLimit();
    spdlog::info(
        "at most {} connections, not {}: the descriptor limit (ulimit -n) is "
        "{}, and {} of it is kept for the database, logs and the listener",
        max_connections_, limits_.max_connections, limit,
        limit - max_connections_);
  }
  net::co_spawn(acceptor_.get_executor(), AcceptLoop(), net::detached);
}

size_t HttpServer::open_connections() const {
  MutexLock lock(&mu_);
  return connections_.size();
}

void HttpServer::Unregister(const Connection& conn) {
  std::function<void()> done;
  bool wake_acceptor = false;
  {
    MutexLock lock(&mu_);
    connections_.erase(conn.id);
    counter_.Remove(conn.client_key);
    wake_acceptor = std::exchange(accept_waiting_, false);
    if (stopping_ && connections_.empty() && on_drained_) {
      done = std::move(on_drained_);
      on_drained_ = nullptr;
    }
  }
  // A descriptor is free again: the accept loop need not wait longer.
  if (wake_acceptor) {
    net::post(acceptor_.get_executor(), [this] { accept_timer_.cancel(); });
  }
  if (done) done();
}

net::awaitable<void> HttpServer::AcceptLoop() {
  ThrottledLog failures, refusals;
  for (;;) {
    beast::error_code ec;
    net::ip::tcp::socket socket = co_await acceptor_.async_accept(
        net::make_strand(ioc_), net::redirect_error(net::use_awaitable, ec));
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {
      // The connections we have are served meanwhile; clients not yet
      // accepted wait in the listen backlog.
      bool lasting = !OnlyThatConnectionFailed(ec);
      if (uint64_t skipped = 0; failures.Allow(&skipped)) {
        spdlog::warn("accept failed: {}{}{}", ec.message(),
                     lasting ? "; waiting for a connection to close" : "",
                     Skipped(skipped, "failures"));
      }
      if (lasting) co_await WaitToAcceptAgain();
      continue;
    }
    Admit(std::move(socket), refusals);
  }
}

net::awaitable<void> HttpServer::WaitToAcceptAgain() {
  {
    MutexLock lock(&mu_);
    if (stopping_) co_return;
    accept_waiting_ = true;
  }
  accept_timer_.expires_after(limits_.accept_backoff);
  beast::error_code ignored;
  co_await accept_timer_.async_wait(
      net::redirect_error(net::use_awaitable, ignored));
  MutexLock lock(&mu_);
  accept_waiting_ = false;
}

void HttpServer::Admit(net::ip::tcp::socket socket, ThrottledLog& refusals) {
  beast::error_code ec;
  auto remote = socket.remote_endpoint(ec);
  if (ec) return;  // the client is gone already; the socket closes here
  auto conn = std::make_shared<Connection>(std::move(socket));
  conn->client_ip = remote.address().to_string();
  conn->client_key = LimiterKey(conn->client_ip);
  const bool capped = !limits_.uncapped_peers.Contains(remote.address());
  auto verdict = ConnectionCounter::Verdict::kAdmitted;
  size_t open = 0;
  {
    MutexLock lock(&mu_);
    if (stopping_) return;  // the socket closes as conn goes away
    verdict = counter_.TryAdd(conn->client_key, capped);
    if (verdict == ConnectionCounter::Verdict::kAdmitted) {
      conn->id = next_id_++;
      connections_[conn->id] = conn;
    } else {
      open = verdict == ConnectionCounter::Verdict::kOverTotal
                 ? counter_.total()
                 : counter_.of(conn->client_key);
    }
  }
  if (verdict == ConnectionCounter::Verdict::kAdmitted) {
    net::co_spawn(conn->stream.get_executor(), Serve(conn), net::detached);
    return;
  }
  Refuse(conn->stream.socket());
  if (uint64_t skipped = 0; refusals.Allow(&skipped)) {
    const bool total = verdict == ConnectionCounter::Verdict::kOverTotal;
    spdlog::warn(
        "refused a connection from {}: {} open {}, the most {} allows{}",
        conn->client_key, open, total ? "in total" : "from that client",
        total ? kSettingMaxConnections : kSettingMaxConnectionsPerIp,
        Skipped(skipped, "refused"));
  }
}

void HttpServer::Refuse(net::ip::tcp::socket& socket) const {
  beast::error_code ec;
  socket.non_blocking(true, ec);
  // One attempt: a new socket's send buffer takes the few hundred bytes,
  // and a client that somehow does not accept them is not waited for.
  socket.write_some(net::buffer(refusal_), ec);
  // Read what the client already sent (up to a header's worth): closing a
  // socket with unread data sends a reset, which can make the client drop
  // the refusal unread.
  std::array<char, 4096> sink;
  for (size_t drained = 0; !ec && drained < limits_.header_limit;) {
    drained += socket.read_some(net::buffer(sink), ec);
  }
  socket.shutdown(net::ip::tcp::socket::shutdown_send, ec);
  socket.close(ec);
}

void HttpServer::Shutdown(std::function<void()> done) {
  std::vector<std::shared_ptr<Connection>> live;
  bool drained = false;
  {
    MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
    for (auto& [id, weak] : connections_) {
      if (auto conn = weak.lock()) live.push_back(std::move(conn));
    }
    drained = connections_.empty();
    if (!drained) on_drained_ = std::move(done);
  }
  net::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    accept_timer_.cancel();
  });
  for (auto& conn : live) {
    net::post(conn->stream.get_executor(), [conn] {
      conn->closing = true;
      // A busy connection finishes its request first; see Serve.
      if (conn->idle) conn->stream.socket().cancel();
    });
  }
  if (drained && done) done();
}

namespace {

Response LimitError(ErrorCode code, bhttp::status status, std::string message) {
  Response res = JsonError(MakeError(code, std::move(message)));
  res.result(status);
  return res;
}

}  // namespace

net::awaitable<void> HttpServer::Serve(std::shared_ptr<Connection> conn) {
  beast::flat_buffer buffer;
  beast::error_code ec;
  const std::string& client_ip = conn->client_ip;

  auto write = [&](Response res, bool keep_alive) -> net::awaitable<bool> {
    res.keep_alive(keep_alive);
    res.prepare_payload();
    conn->stream.expires_after(limits_.write_timeout);
    co_await bhttp::async_write(conn->stream, res,
                                net::redirect_error(net::use_awaitable, ec));
    co_return !ec;
  };

  while (!conn->closing) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits_.header_limit));
    parser.body_limit(limits_.body_limit);

    conn->idle = true;
    conn->stream.expires_after(limits_.header_timeout);
    co_await bhttp::async_read_header(
        conn->stream, buffer, parser,
        net::redirect_error(net::use_awaitable, ec));
    conn->idle = false;
    if (ec == bhttp::error::header_limit) {
      co_await write(LimitError(ErrorCode::kPayloadTooLarge,
                                bhttp::status::request_header_fields_too_large,
                                "request headers too large"),
                     false);
      break;
    }
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::eof ||
        ec == net::error::connection_reset) {
      break;
    }
    if (ec == bhttp::error::body_limit) {
      // A declared Content-Length over the limit: answered before reading
      // a byte of the body.
      co_await write(JsonError(MakeError(ErrorCode::kPayloadTooLarge,
                                         "body: larger than 64 KiB")),
                     false);
      break;
    }
    if (ec) {
      co_await write(JsonError(MakeError(ErrorCode::kValidationFailed,
                                         "request: malformed HTTP")),
                     false);
      break;
    }
    conn->stream.expires_after(limits_.body_timeout);
    co_await bhttp::async_read(conn->stream, buffer, parser,
                               net::redirect_error(net::use_awaitable, ec));
    if (ec == bhttp::error::body_limit) {
      co_await write(JsonError(MakeError(ErrorCode::kPayloadTooLarge,
                                         "body: larger than 64 KiB")),
                     false);
      break;
    }
    if (ec) break;

    Request req = parser.release();
    // The request is in: it is answered even if shutdown begins meanwhile.
    conn->stream.expires_never();
    Response res = co_await dispatcher_.Handle(req, client_ip);
    res.version(req.version());
    bool keep_alive = req.keep_alive() && !conn->closing;
    if (!co_await write(std::move(res), keep_alive) || !keep_alive) break;
  }
  conn->stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  conn->stream.close();
  Unregister(*conn);
}

}  // namespace gatehouse
