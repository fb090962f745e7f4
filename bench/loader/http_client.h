// HttpClient: one keep-alive HTTP/1.1 connection to a server on loopback,
// with blocking calls. The loader runs one per thread, so a connection is
// never shared and needs no lock.
//
// The interface is free of Beast on purpose: only http_client.cc includes
// it, and every other loader file compiles in a moment.
#ifndef GATEHOUSE_BENCH_LOADER_HTTP_CLIENT_H_
#define GATEHOUSE_BENCH_LOADER_HTTP_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gatehouse::bench {

// Where a server listens: "http://HOST:PORT" (a path after it is ignored).
struct Endpoint {
  std::string host;
  uint16_t port = 0;
};
// nullopt unless `url` is http:// with a host and a port.
std::optional<Endpoint> ParseEndpoint(const std::string& url);

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // sent with Content-Length; empty for none
};

struct HttpResponse {
  int status = 0;
  std::vector<std::string> set_cookies;  // every Set-Cookie value, in order
  std::string body;
};

class HttpClient {
 public:
  // Nothing is connected until the first Send.
  explicit HttpClient(Endpoint endpoint);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request` and reads the whole response into `response`. Connects
  // first if needed. A connection that has already carried a response and
  // fails before any answer (the server closed it while idle) is reopened
  // once and the request sent again. Returns nullopt on success, else what
  // went wrong (connect refused, reset, timeout after `timeout`); the
  // connection is then closed and the next Send reconnects.
  std::optional<std::string> Send(
      const HttpRequest& request, HttpResponse& response,
      std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // Closes the connection (if open); the next Send reconnects.
  void Close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gatehouse::bench

#endif  // GATEHOUSE_BENCH_LOADER_HTTP_CLIENT_H_
