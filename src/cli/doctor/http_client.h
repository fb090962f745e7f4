// HttpClient: the small blocking HTTP(S)/1.1 client `gatehouse doctor
// --live` speaks to a running gatehouse with, on Boost.Beast and, for
// https://, Boost.Asio SSL (OpenSSL). One request per connection, every
// step bounded in time and size, certificates checked as a browser would
// (the system's trust store, the URL's host name), and curl's --resolve so
// a URL can name the public host while the bytes go to another address.
//
// It is the product's own: test code has testing/http_client.h, which the
// product never links.
#ifndef GATEHOUSE_CLI_DOCTOR_HTTP_CLIENT_H_
#define GATEHOUSE_CLI_DOCTOR_HTTP_CLIENT_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace gatehouse {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;  // as received; one entry per Set-Cookie line
  std::string body;

  // The first header named `name` (case-insensitive), or "".
  std::string Header(std::string_view name) const;
  // Every header named `name` (case-insensitive), in order.
  std::vector<std::string> Headers(std::string_view name) const;
};

// curl's --resolve HOST:PORT:ADDRESS: a request for HOST on PORT connects
// to ADDRESS, while the Host header, the TLS server name and the
// certificate check still use HOST.
struct ResolveRule {
  std::string host;  // lower-cased; an IPv6 address keeps its brackets
  uint16_t port = 0;
  std::string address;  // an IP address, without brackets
};

// "api.example.com:443:10.0.0.5" (an IPv6 HOST or ADDRESS in brackets)
// parsed; kValidationFailed naming what is wrong otherwise.
Result<ResolveRule> ParseResolveRule(std::string_view text);

struct HttpClientOptions {
  std::vector<ResolveRule> resolve;
  // A PEM file of CA certificates trusted besides the system's (a private
  // CA, a test certificate); "" for the system's only.
  std::string ca_file;
};

// The longest a request may take, from the name lookup to the last byte
// of the answer. A login hashes a password with argon2id (under a second
// on a healthy server); ten seconds tells a stuck server or a black-holed
// address from a slow one without hanging a CI job.
inline constexpr std::chrono::seconds kHttpRequestTimeout{10};
// An answer's body is a small JSON envelope; a proxy's error page is the
// largest thing expected. Anything bigger is not gatehouse.
inline constexpr size_t kMaxHttpResponseBody = 1024 * 1024;
// Several Set-Cookie lines with JWTs fit many times over.
inline constexpr uint32_t kMaxHttpResponseHeader = 64 * 1024;

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options);

  // Sends `method` `url` (an absolute http(s) URL) with `headers` and
  // `body` on a new connection and reads the answer. On failure returns
  // kUnavailable with a message naming the host, the address tried and
  // the cause (refused, timed out, the certificate problem, a malformed
  // answer). Never throws; thread-compatible.
  Result<HttpResponse> Send(std::string_view method, std::string_view url,
                            const HttpHeaders& headers,
                            std::string_view body) const;

 private:
  HttpClientOptions options_;
};

}  // namespace gatehouse

#endif  // GATEHOUSE_CLI_DOCTOR_HTTP_CLIENT_H_
