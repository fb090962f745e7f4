// A small blocking HTTP/1.1 client on Beast, for black-box tests.
#ifndef GATEHOUSE_TESTING_HTTP_CLIENT_H_
#define GATEHOUSE_TESTING_HTTP_CLIENT_H_

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/cookie_rules.h"

namespace gatehouse::testkit {

struct HttpResult {
  int status = 0;  // 0: no response (connection failed or closed)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> set_cookies;  // every Set-Cookie value, in order

  // The first header of that name (case-insensitive), or "".
  std::string Header(std::string_view name) const;
  // The body as JSON (null if it is not JSON).
  boost::json::value Json() const;
  // The envelope's "code", or "".
  std::string Code() const;
};

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Sends one request on a new connection to 127.0.0.1:port.
HttpResult Send(uint16_t port, const HttpRequest& request);

// Where the tests' browser believes the API to be. The tests reach the
// server on 127.0.0.1, but a browser knows it by name, and only a name on
// the app's site (kAppOrigin, http://app.example.test) can take the
// Domain=.example.test cookies of a deployment that shares them.
inline constexpr char kJarApiUrl[] = "http://api.example.test";

// A browser's cookies for the API, kept by core's cookie store
// (core/cookie_rules.h): Set-Cookie is read as a browser reads it, and a
// cookie is stored, replaced or deleted by its (name, Domain, host-only,
// Path) as RFC 6265bis says. Every answer counts as one from kJarApiUrl to
// a same-site request, so SameSite never refuses a cookie; a cookie the
// browser refuses for another reason (Secure over http) is not kept, as
// in the browser. Time stands still for stored cookies: one goes only
// when an answer deletes it. Copies are independent browsers.
class CookieJar {
 public:
  // Takes in every Set-Cookie of `result`.
  void Absorb(const HttpResult& result);
  // The Cookie header the browser sends the API: oldest cookie first, so
  // a stale cookie of one name goes before the newer one (F10). "" when
  // it holds none.
  std::string CookieHeader() const;
  // The value of the first cookie `name` CookieHeader() sends, or "".
  std::string Get(const std::string& name) const;
  // Whether cookie `name` is stored for `domain`: "" for the host-only
  // one, else a Domain (a leading dot is ignored).
  bool Has(const std::string& name, const std::string& domain) const;
  // Stores `name`=`value` as if set with Path=/ and `domain` ("" for a
  // host-only cookie), replacing the one with that key: a cookie the
  // browser already holds, not one an answer set.
  void Set(const std::string& name, const std::string& value,
           const std::string& domain = "");
  size_t size() const { return store_.cookies().size(); }

 private:
  CookieStore store_;
};

}  // namespace gatehouse::testkit

#endif  // GATEHOUSE_TESTING_HTTP_CLIENT_H_
