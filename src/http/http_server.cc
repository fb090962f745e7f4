#include "http/http_server.h"

#include <spdlog/spdlog.h>

#include "http/json_response.h"

namespace gatehouse {

// One accepted socket. Everything in it is touched only on its strand.
struct HttpServer::Connection {
  explicit Connection(net::ip::tcp::socket socket)
      : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  uint64_t id = 0;
  // True while waiting for the next request header: the only moment at
  // which shutdown may close the connection without losing a request.
  bool idle = true;
  bool closing =
      false;  // shutdown asked: answer the current request, then close
};

HttpServer::HttpServer(net::io_context& ioc, Dispatcher& dispatcher,
                       ServerLimits limits)
    : ioc_(ioc), dispatcher_(dispatcher), limits_(limits), acceptor_(ioc) {}

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
  net::co_spawn(acceptor_.get_executor(), AcceptLoop(), net::detached);
}

size_t HttpServer::open_connections() const {
  MutexLock lock(&mu_);
  return connections_.size();
}

bool HttpServer::Register(const std::shared_ptr<Connection>& conn) {
  MutexLock lock(&mu_);
  // Checked under the same lock as the insert: a connection registered
  // after Shutdown collected the live ones would be neither told to close
  // nor waited for.
  if (stopping_) return false;
  conn->id = next_id_++;
  connections_[conn->id] = conn;
  return true;
}

void HttpServer::Unregister(uint64_t id) {
  std::function<void()> done;
  {
    MutexLock lock(&mu_);
    connections_.erase(id);
    if (stopping_ && connections_.empty() && on_drained_) {
      done = std::move(on_drained_);
      on_drained_ = nullptr;
    }
  }
  if (done) done();
}

net::awaitable<void> HttpServer::AcceptLoop() {
  for (;;) {
    beast::error_code ec;
    net::ip::tcp::socket socket = co_await acceptor_.async_accept(
        net::make_strand(ioc_), net::redirect_error(net::use_awaitable, ec));
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {
      // EMFILE and friends: keep serving the connections we have.
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    auto conn = std::make_shared<Connection>(std::move(socket));
    if (!Register(conn)) continue;  // the socket closes as conn goes away
    net::co_spawn(conn->stream.get_executor(), Serve(conn), net::detached);
  }
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
  std::string client_ip;
  {
    auto remote = conn->stream.socket().remote_endpoint(ec);
    if (!ec) client_ip = remote.address().to_string();
  }

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
  Unregister(conn->id);
}

}  // namespace gatehouse
