// HandlerTest: HTTP handlers driven as pure functions (request in, response
// out), with no socket, over the auth use cases on a real SQLite file
// (ServiceTest), and with the one CookiePolicy and RequestAuth the server
// gives every handler.
#ifndef GATEHOUSE_TESTING_HANDLER_FIXTURE_H_
#define GATEHOUSE_TESTING_HANDLER_FIXTURE_H_

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/cookie_policy.h"
#include "core/cookie_rules.h"
#include "http/beast.h"
#include "http/handlers/request_auth.h"
#include "http/router.h"
#include "testing/service_fixture.h"

namespace gatehouse::testkit {

// The client address the dispatcher hands the handlers in these tests.
inline constexpr char kHandlerClientIp[] = "203.0.113.7";

// A deployment that moved from host-only cookies to a shared Domain, with
// SameSite=Strict: every attribute differs from a bare cookie's, so a
// handler that built one any other way than through the policy shows.
inline CookieSettings HandlerCookieSettings() {
  CookieSettings settings;
  settings.domain = ".example.test";
  settings.secure = true;
  settings.same_site = SameSite::kStrict;
  settings.old_domains = {kHostOnly};
  return settings;
}

class HandlerTest : public ServiceTest {
 protected:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  // A request as the dispatcher hands it on: `target` keeps its query.
  static Request MakeRequest(bhttp::verb method, std::string_view target,
                             const Headers& headers = {},
                             std::string body = "") {
    Request req{method, target, 11};
    for (const auto& [name, value] : headers) req.insert(name, value);
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
  }

  // The context the dispatcher builds for `req`. Views into `req`, which
  // must outlive it.
  static RequestContext ContextOf(const Request& req) {
    std::string_view target = req.target();
    return RequestContext{
        req, target.substr(0, target.find('?')), {}, kHandlerClientIp};
  }

  // A Cookie header value: "access_token=<access>; refresh_token=<refresh>"
  // under the policy's names, leaving out an empty token.
  std::string CookieHeader(std::string_view access,
                           std::string_view refresh) const {
    std::string out;
    auto add = [&](const std::string& name, std::string_view value) {
      if (value.empty()) return;
      if (!out.empty()) out += "; ";
      out += name + "=" + std::string(value);
    };
    add(cookies_.settings().access_name, access);
    add(cookies_.settings().refresh_name, refresh);
    return out;
  }

  // Every Set-Cookie of `res`, in order, as sent.
  static std::vector<std::string> SetCookieLines(const Response& res) {
    std::vector<std::string> lines;
    for (const auto& field : res) {
      if (field.name() == bhttp::field::set_cookie)
        lines.emplace_back(field.value());
    }
    return lines;
  }

  // Every Set-Cookie of `res`, in order, as a browser reads it (core's
  // parser); a line a browser would ignore fails the test.
  static std::vector<ParsedSetCookie> SetCookies(const Response& res) {
    std::vector<ParsedSetCookie> cookies;
    for (const std::string& line : SetCookieLines(res)) {
      std::optional<ParsedSetCookie> cookie = ParseSetCookie(line);
      EXPECT_TRUE(cookie.has_value()) << line;
      if (cookie) cookies.push_back(std::move(*cookie));
    }
    return cookies;
  }

  // The body as JSON (null if it is not JSON).
  static boost::json::value Json(const Response& res) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(res.body(), ec);
    return ec ? boost::json::value() : v;
  }

  // The value at `path` in the body ({"data", "user", "email"}): a string
  // as it is, anything else as JSON text; "" when the body has no such
  // field.
  static std::string Field(const Response& res,
                           std::initializer_list<std::string_view> path) {
    boost::json::value v = Json(res);
    const boost::json::value* at = &v;
    for (std::string_view key : path) {
      at = at->is_object() ? at->as_object().if_contains(key) : nullptr;
      if (at == nullptr) return "";
    }
    return at->is_string() ? std::string(at->as_string())
                           : boost::json::serialize(*at);
  }

  // The error envelope's "code", or "".
  static std::string Code(const Response& res) { return Field(res, {"code"}); }

  // The envelope's "message", or "".
  static std::string Message(const Response& res) {
    return Field(res, {"message"});
  }

  // Signs `email` in through the service, as a browser that held no
  // cookies, and returns what was issued.
  IssuedSession Issue(const std::string& email) {
    auto issued = auth_->Login(email, kTestPassword, client_, {});
    EXPECT_TRUE(issued.ok()) << (issued.ok() ? "" : issued.error().message);
    return issued.ok() ? std::move(issued).value() : IssuedSession();
  }

  CookiePolicy cookies_{HandlerCookieSettings()};
  RequestAuth request_auth_{*auth_, cookies_};
};

}  // namespace gatehouse::testkit

#endif  // GATEHOUSE_TESTING_HANDLER_FIXTURE_H_
