// A small blocking HTTP/1.1 client on Beast, for black-box tests.
#ifndef GATEHOUSE_TESTING_HTTP_CLIENT_H_
#define GATEHOUSE_TESTING_HTTP_CLIENT_H_

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace gatehouse::testing {

struct HttpResult {
  int status = 0;  // 0: no response (connection failed or closed)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> set_cookies;

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

// A browser's cookie store for one host, reduced to what the tests need:
// Set-Cookie installs or (Max-Age=0) deletes a (name, domain) cookie, and
// CookieHeader() sends every stored cookie, as a browser would.
class CookieJar {
 public:
  void Absorb(const HttpResult& result);
  std::string CookieHeader() const;
  // The value of cookie `name` stored with no Domain or any Domain, or "".
  std::string Get(const std::string& name) const;
  // Whether cookie `name` is stored for `domain` ("" for host-only;
  // without the leading dot).
  bool Has(const std::string& name, const std::string& domain) const {
    return cookies_.count({name, domain}) > 0;
  }
  void Set(const std::string& name, const std::string& value,
           const std::string& domain = "");
  size_t size() const { return cookies_.size(); }

 private:
  // (name, domain) → value
  std::map<std::pair<std::string, std::string>, std::string> cookies_;
};

// The attributes of one Set-Cookie line: name, value, and lower-cased
// attribute names mapped to their values.
struct SetCookie {
  std::string name;
  std::string value;
  std::map<std::string, std::string> attributes;
};
SetCookie ParseSetCookie(std::string_view line);

}  // namespace gatehouse::testing

#endif  // GATEHOUSE_TESTING_HTTP_CLIENT_H_
