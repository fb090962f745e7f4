#include "testing/http_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>

#include "testing/fake_public_suffix_list.h"
#include "core/web_url.h"

namespace gatehouse::testkit {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;

std::string HttpResult::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (beast::iequals(k, name)) return v;
  }
  return "";
}

boost::json::value HttpResult::Json() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  return ec ? boost::json::value() : v;
}

std::string HttpResult::Code() const {
  auto v = Json();
  if (!v.is_object()) return "";
  auto* code = v.as_object().if_contains("code");
  return code && code->is_string() ? std::string(code->as_string()) : "";
}

HttpResult Send(uint16_t port, const HttpRequest& request) {
  HttpResult result;
  try {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(
        net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{http::string_to_verb(request.method),
                                         request.target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    for (const auto& [k, v] : request.headers) req.insert(k, v);
    req.body() = request.body;
    if (!request.body.empty() &&
        req.find(http::field::content_type) == req.end()) {
      req.set(http::field::content_type, "application/json");
    }
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    http::read(stream, buffer, parser);
    auto& res = parser.get();
    result.status = res.result_int();
    result.body = res.body();
    for (const auto& field : res) {
      result.headers.emplace_back(std::string(field.name_string()),
                                  std::string(field.value()));
      if (field.name() == http::field::set_cookie) {
        result.set_cookies.emplace_back(field.value());
      }
    }
    beast::error_code ec;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  } catch (const std::exception&) {
    result.status = 0;
  }
  return result;
}

namespace {

// The tests' hosts have no multi-label public suffix: the implicit rule
// (every top-level label is one) is the whole list they need.
const PublicSuffixList& Suffixes() {
  static const FakePublicSuffixList kSuffixes({});
  return kSuffixes;
}

const WebUrl& ApiUrl() {
  static const WebUrl kUrl = ParseWebUrl(kJarApiUrl).value();
  return kUrl;
}

}  // namespace

void CookieJar::Absorb(const HttpResult& result) {
  const Time now =
      std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  for (const std::string& line : result.set_cookies) {
    std::optional<ParsedSetCookie> cookie = ParseSetCookie(line);
    if (!cookie) continue;  // the browser ignores it whole
    // A refused cookie is dropped, as the browser drops it.
    store_.Receive(*cookie, ApiUrl(), "/", BrowserRequest{}, Suffixes(), now,
                   "response");
  }
}

std::string CookieJar::CookieHeader() const {
  std::string out;
  for (const StoredCookie& cookie :
       store_.CookiesFor(ApiUrl(), "/", BrowserRequest{}, Suffixes())) {
    if (!out.empty()) out += "; ";
    out += cookie.name + "=" + cookie.value;
  }
  return out;
}

std::string CookieJar::Get(const std::string& name) const {
  for (const StoredCookie& cookie :
       store_.CookiesFor(ApiUrl(), "/", BrowserRequest{}, Suffixes())) {
    if (cookie.name == name) return cookie.value;
  }
  return "";
}

bool CookieJar::Has(const std::string& name, const std::string& domain) const {
  const std::string canonical = CanonicalDomain(domain);
  for (const StoredCookie& cookie : store_.cookies()) {
    if (cookie.name != name) continue;
    if (canonical.empty() ? cookie.host_only
                          : !cookie.host_only && cookie.domain == canonical) {
      return true;
    }
  }
  return false;
}

void CookieJar::Set(const std::string& name, const std::string& value,
                    const std::string& domain) {
  StoredCookie cookie;
  cookie.name = name;
  cookie.value = value;
  cookie.host_only = domain.empty();
  cookie.domain = cookie.host_only ? ApiUrl().host : CanonicalDomain(domain);
  cookie.path = "/";
  cookie.http_only = true;
  cookie.source = "set by the test";
  store_.Insert(std::move(cookie));
}

}  // namespace gatehouse::testkit
