#include "cli/doctor/http_client.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <charconv>
#include <optional>

#include "core/url_redaction.h"
#include "core/web_url.h"

namespace gatehouse {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::optional<uint16_t> ParsePort(std::string_view text) {
  unsigned value = 0;
  auto [ptr, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() ||
      value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

// "[::1]" → "::1"; anything else unchanged.
std::string Unbracketed(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return std::string(host);
}

// Where one request goes: the parts of its URL the client needs.
struct Target {
  bool tls = false;
  std::string host;  // lower-cased, IPv6 in brackets, as the URL has it
  uint16_t port = 0;
  std::string path;         // path and query: "/api/v1/auth/login"
  std::string host_header;  // host, and the port unless the default
};

std::optional<Target> SplitUrl(std::string_view url) {
  if (!ParseWebUrl(url)) return std::nullopt;  // http(s), a host, no userinfo
  Target t;
  size_t scheme_end = url.find("://");
  t.tls = Lower(url.substr(0, scheme_end)) == "https";
  std::string_view rest = url.substr(scheme_end + 3);
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view after =
      authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  after = after.substr(0, after.find('#'));
  t.path = after.empty() || after.front() != '/' ? "/" + std::string(after)
                                                 : std::string(after);
  size_t port_colon = authority.rfind(':');
  size_t bracket = authority.rfind(']');
  const uint16_t default_port = t.tls ? 443 : 80;
  t.port = default_port;
  std::string_view host = authority;
  if (port_colon != std::string_view::npos &&
      (bracket == std::string_view::npos || port_colon > bracket)) {
    host = authority.substr(0, port_colon);
    std::string_view port_text = authority.substr(port_colon + 1);
    if (!port_text.empty()) {
      auto port = ParsePort(port_text);
      if (!port) return std::nullopt;
      t.port = *port;
    }
  }
  t.host = Lower(host);
  t.host_header = t.host;
  if (t.port != default_port) t.host_header += ":" + std::to_string(t.port);
  return t;
}

// Why the server's certificate was refused, in OpenSSL's words
// ("self-signed certificate", "Hostname mismatch"), or "".
std::string CertificateProblem(SSL* ssl) {
  long result = SSL_get_verify_result(ssl);
  if (result == X509_V_OK) return "";
  return X509_verify_cert_error_string(result);
}

class Exchange {
 public:
  Exchange(const Target& target, const HttpClientOptions& options,
           std::string_view method, const HttpHeaders& headers,
           std::string_view body, Result<HttpResponse>& out)
      : target_(target),
        options_(options),
        method_(method),
        headers_(headers),
        body_(body),
        out_(out) {}

  net::awaitable<void> Run() {
    auto executor = co_await net::this_coro::executor;
    std::vector<tcp::endpoint> endpoints;
    if (!co_await Endpoints(executor, endpoints)) co_return;
    beast::tcp_stream tcp_stream(executor);
    tcp_stream.expires_after(kHttpRequestTimeout);
    beast::error_code ec;
    tcp::endpoint peer = co_await tcp_stream.async_connect(
        endpoints, net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      Fail("cannot connect to " + Where(endpoints.front()), ec);
      co_return;
    }
    where_ = Where(peer);
    if (!target_.tls) {
      co_await Talk(tcp_stream);
      co_return;
    }
    ssl::context context(ssl::context::tls_client);
    context.set_default_verify_paths(ec);
    if (!options_.ca_file.empty() && !ec) {
      context.load_verify_file(options_.ca_file, ec);
      if (ec) {
        Fail("cannot read the CA file " + options_.ca_file, ec);
        co_return;
      }
    }
    context.set_verify_mode(ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> tls(std::move(tcp_stream), context);
    std::string name = Unbracketed(target_.host);
    // Server Name Indication names a host, never an address (RFC 6066).
    if (!IsIpAddress(target_.host)) {
      SSL_set_tlsext_host_name(tls.native_handle(), name.c_str());
    }
    tls.set_verify_callback(ssl::host_name_verification(name));
    co_await tls.async_handshake(ssl::stream_base::client,
                                 net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      std::string certificate = CertificateProblem(tls.native_handle());
      Fail("TLS handshake with " + where_ + " failed" +
               (certificate.empty()
                    ? std::string()
                    : ": the certificate is refused (" + certificate + ")"),
           ec);
      co_return;
    }
    co_await Talk(tls);
  }

 private:
  // The addresses to try: the --resolve rule's, or the name lookup's.
  net::awaitable<bool> Endpoints(net::any_io_executor executor,
                                 std::vector<tcp::endpoint>& endpoints) {
    beast::error_code ec;
    for (const ResolveRule& rule : options_.resolve) {
      if (rule.host != target_.host || rule.port != target_.port) continue;
      auto address = net::ip::make_address(rule.address, ec);
      if (ec) {
        Fail("--resolve address " + rule.address + " is not an IP address", ec);
        co_return false;
      }
      endpoints.emplace_back(address, target_.port);
      co_return true;
    }
    tcp::resolver resolver(executor);
    auto results = co_await resolver.async_resolve(
        Unbracketed(target_.host), std::to_string(target_.port),
        net::redirect_error(net::use_awaitable, ec));
    if (ec || results.empty()) {
      Fail("cannot resolve " + target_.host, ec);
      co_return false;
    }
    for (const auto& entry : results) endpoints.push_back(entry.endpoint());
    co_return true;
  }

  template <class Stream>
  net::awaitable<void> Talk(Stream& stream) {
    http::request<http::string_body> request;
    request.version(11);
    request.method_string(method_);
    request.target(target_.path);
    request.set(http::field::host, target_.host_header);
    for (const auto& [name, value] : headers_) request.insert(name, value);
    request.body() = std::string(body_);
    request.prepare_payload();
    beast::error_code ec;
    co_await http::async_write(stream, request,
                               net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      Fail("sending the request to " + where_ + " failed", ec);
      co_return;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxHttpResponseBody);
    parser.header_limit(kMaxHttpResponseHeader);
    co_await http::async_read(stream, buffer, parser,
                              net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      Fail("reading the answer from " + where_ + " failed", ec);
      co_return;
    }
    HttpResponse response;
    response.status = parser.get().result_int();
    for (const auto& field : parser.get()) {
      response.headers.emplace_back(std::string(field.name_string()),
                                    std::string(field.value()));
    }
    response.body = std::move(parser.get().body());
    out_ = std::move(response);
  }

  std::string Where(const tcp::endpoint& endpoint) const {
    std::string address = endpoint.address().to_string();
    if (endpoint.address().is_v6()) address = "[" + address + "]";
    std::string out = target_.host + ":" + std::to_string(target_.port);
    if (Unbracketed(target_.host) != endpoint.address().to_string()) {
      out += " (" + address + ")";
    }
    return out;
  }

  void Fail(const std::string& what, const beast::error_code& ec) {
    std::string cause;
    if (ec == beast::error::timeout) {
      cause = "no answer within " +
              std::to_string(kHttpRequestTimeout.count()) + " s";
    } else if (ec) {
      cause = ec.message();
    }
    out_ = MakeError(ErrorCode::kUnavailable,
                     cause.empty() ? what : what + ": " + cause);
  }

  const Target& target_;
  const HttpClientOptions& options_;
  std::string_view method_;
  const HttpHeaders& headers_;
  std::string_view body_;
  Result<HttpResponse>& out_;
  std::string where_;  // host:port (address), once connected
};

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (beast::iequals(key, name)) return value;
  }
  return "";
}

std::vector<std::string> HttpResponse::Headers(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [key, value] : headers) {
    if (beast::iequals(key, name)) out.push_back(value);
  }
  return out;
}

Result<ResolveRule> ParseResolveRule(std::string_view text) {
  auto invalid = [&](std::string why) -> Error {
    return MakeError(ErrorCode::kValidationFailed,
                     "--resolve '" + std::string(text) + "': " + why +
                         " (expected HOST:PORT:ADDRESS, e.g. "
                         "api.example.com:443:127.0.0.1)");
  };
  ResolveRule rule;
  std::string_view rest = text;
  if (rest.starts_with("[")) {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return invalid("an unclosed [");
    rule.host = Lower(rest.substr(0, close + 1));
    rest = rest.substr(close + 1);
    if (!rest.starts_with(":")) return invalid("no port");
    rest.remove_prefix(1);
  } else {
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return invalid("no host");
    }
    rule.host = Lower(rest.substr(0, colon));
    rest = rest.substr(colon + 1);
  }
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return invalid("no address");
  auto port = ParsePort(rest.substr(0, colon));
  if (!port) return invalid("the port is not a number from 1 to 65535");
  rule.port = *port;
  rule.address = Unbracketed(rest.substr(colon + 1));
  beast::error_code ec;
  net::ip::make_address(rule.address, ec);
  if (ec) return invalid("'" + rule.address + "' is not an IP address");
  return rule;
}

HttpClient::HttpClient(HttpClientOptions options)
    : options_(std::move(options)) {}

Result<HttpResponse> HttpClient::Send(std::string_view method,
                                      std::string_view url,
                                      const HttpHeaders& headers,
                                      std::string_view body) const {
  std::optional<Target> target = SplitUrl(url);
  if (!target) {
    return MakeError(ErrorCode::kValidationFailed,
                     "'" + RedactUrl(url) + "' is not an http(s) URL");
  }
  // Stays the answer if the exchange does not finish in time; the socket
  // timeouts cover all but the name lookup, which this bound covers too.
  Result<HttpResponse> out =
      MakeError(ErrorCode::kUnavailable,
                "no answer from " + target->host_header + " within " +
                    std::to_string(kHttpRequestTimeout.count()) + " s");
  Exchange exchange(*target, options_, method, headers, body, out);
  // Declared after `exchange`, so destroyed first: a coroutine cut off by
  // the time bound is torn down while what it refers to still lives.
  net::io_context ioc;
  net::co_spawn(ioc, exchange.Run(), [&out](std::exception_ptr failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      out = MakeError(ErrorCode::kUnavailable,
                      std::string("the request failed: ") + e.what());
    }
  });
  ioc.run_for(kHttpRequestTimeout + std::chrono::seconds(1));
  return out;
}

}  // namespace gatehouse
