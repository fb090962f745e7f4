#include "testing/http_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace gatehouse::testing {

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

SetCookie ParseSetCookie(std::string_view line) {
  SetCookie out;
  bool first = true;
  while (!line.empty()) {
    size_t end = line.find(';');
    std::string_view part = line.substr(0, end);
    line = end == std::string_view::npos ? "" : line.substr(end + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    size_t eq = part.find('=');
    std::string key(part.substr(0, eq));
    std::string value(eq == std::string_view::npos ? "" : part.substr(eq + 1));
    if (first) {
      out.name = key;
      out.value = value;
      first = false;
      continue;
    }
    for (auto& c : key) c = static_cast<char>(std::tolower(c));
    out.attributes[key] = value;
  }
  return out;
}

void CookieJar::Absorb(const HttpResult& result) {
  for (const std::string& line : result.set_cookies) {
    SetCookie c = ParseSetCookie(line);
    std::string domain =
        c.attributes.count("domain") ? c.attributes["domain"] : "";
    if (!domain.empty() && domain.front() == '.') domain.erase(0, 1);
    auto key = std::make_pair(c.name, domain);
    if (c.attributes.count("max-age") && c.attributes["max-age"] == "0") {
      cookies_.erase(key);
    } else {
      cookies_[key] = c.value;
    }
  }
}

std::string CookieJar::CookieHeader() const {
  std::string out;
  for (const auto& [key, value] : cookies_) {
    if (!out.empty()) out += "; ";
    out += key.first + "=" + value;
  }
  return out;
}

std::string CookieJar::Get(const std::string& name) const {
  for (const auto& [key, value] : cookies_) {
    if (key.first == name) return value;
  }
  return "";
}

void CookieJar::Set(const std::string& name, const std::string& value,
                    const std::string& domain) {
  cookies_[{name, domain}] = value;
}

}  // namespace gatehouse::testing
