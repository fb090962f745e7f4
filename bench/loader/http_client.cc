#include "bench/loader/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>

namespace gatehouse::bench {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

// Failures that mean "the server closed this keep-alive connection before
// reading the request", worth one retry on a fresh connection.
bool IsStaleConnection(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe;
}

}  // namespace

std::optional<Endpoint> ParseEndpoint(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0) return std::nullopt;
  std::string_view rest = std::string_view(url).substr(kScheme.size());
  rest = rest.substr(0, rest.find('/'));
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  Endpoint endpoint;
  endpoint.host = std::string(rest.substr(0, colon));
  const std::string_view port = rest.substr(colon + 1);
  auto [end, ec] =
      std::from_chars(port.data(), port.data() + port.size(), endpoint.port);
  if (ec != std::errc() || end != port.data() + port.size() ||
      endpoint.port == 0) {
    return std::nullopt;
  }
  return endpoint;
}

// Blocking calls are built from asynchronous ones run to completion on a
// private io_context: Asio's synchronous socket calls ignore timeouts, and a
// load generator that can hang forever is not bounded in time.
struct HttpClient::Impl {
  explicit Impl(Endpoint e) : endpoint(std::move(e)) {}

  // Runs the operations started on `ioc` until none is left.
  void RunToCompletion() {
    ioc.restart();
    ioc.run();
  }

  std::optional<std::string> Connect(std::chrono::milliseconds timeout) {
    beast::error_code ec;
    const net::ip::address address = net::ip::make_address(endpoint.host, ec);
    if (ec) return "host must be an IP address: " + endpoint.host;
    stream.expires_after(timeout);
    stream.async_connect(tcp::endpoint(address, endpoint.port),
                         [&](beast::error_code e) { ec = e; });
    RunToCompletion();
    if (ec) {
      stream.close();
      return "connect: " + ec.message();
    }
    // Requests are small and answered one at a time: Nagle would only add
    // delay to every one of them.
    stream.socket().set_option(tcp::no_delay(true), ec);
    connected = true;
    carried_response = false;
    return std::nullopt;
  }

  // One request and its response on the open connection; `ec` is the
  // transport error, if any.
  beast::error_code Exchange(const HttpRequest& request, HttpResponse& response,
                             std::chrono::milliseconds timeout) {
    http::request<http::string_body> req(http::string_to_verb(request.method),
                                         request.target, 11);
    req.set(http::field::host,
            endpoint.host + ":" + std::to_string(endpoint.port));
    for (const auto& [name, value] : request.headers) req.set(name, value);
    req.body() = request.body;
    req.keep_alive(true);
    req.prepare_payload();

    http::response<http::string_body> res;
    beast::error_code ec;
    stream.expires_after(timeout);
    http::async_write(stream, req, [&](beast::error_code e, size_t) {
      ec = e;
      if (e) return;
      http::async_read(stream, buffer, res,
                       [&](beast::error_code e2, size_t) { ec = e2; });
    });
    RunToCompletion();
    if (ec) return ec;

    response.status = static_cast<int>(res.result_int());
    response.set_cookies.clear();
    for (auto [it, end] = res.equal_range(http::field::set_cookie); it != end;
         ++it) {
      response.set_cookies.emplace_back(it->value());
    }
    response.body = std::move(res.body());
    carried_response = true;
    if (!res.keep_alive()) Close();
    return ec;
  }

  void Close() {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    buffer.clear();
    connected = false;
  }

  const Endpoint endpoint;
  net::io_context ioc{1};
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  bool connected = false;
  bool carried_response = false;  // this connection has answered before
};

HttpClient::HttpClient(Endpoint endpoint)
    : impl_(std::make_unique<Impl>(std::move(endpoint))) {}

HttpClient::~HttpClient() { Close(); }

std::optional<std::string> HttpClient::Send(const HttpRequest& request,
                                            HttpResponse& response,
                                            std::chrono::milliseconds timeout) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!impl_->connected) {
      if (auto error = impl_->Connect(timeout)) return error;
    }
    const bool reused = impl_->carried_response;
    const beast::error_code ec = impl_->Exchange(request, response, timeout);
    if (!ec) return std::nullopt;
    impl_->Close();
    if (!(reused && IsStaleConnection(ec))) return ec.message();
  }
  return "connection closed twice before an answer";
}

void HttpClient::Close() {
  if (impl_->connected) impl_->Close();
}

}  // namespace gatehouse::bench
