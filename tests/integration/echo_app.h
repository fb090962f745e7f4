// EchoApp: the app behind an edge proxy in the proxy tests (nginx_test,
// caddy_test). It answers every request with what it received, so a test
// can see which headers the proxy passed on to the app.
#ifndef GATEHOUSE_TESTS_INTEGRATION_ECHO_APP_H_
#define GATEHOUSE_TESTS_INTEGRATION_ECHO_APP_H_

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace gatehouse::testkit {

// The app: answers every request 200 with "METHOD target" and then one
// "lower-case-name: value" line per request header it received. Listens
// on a free 127.0.0.1 port from construction until destruction, on one
// thread, one request per connection (it answers Connection: close).
class EchoApp {
 public:
  EchoApp();
  ~EchoApp();
  EchoApp(const EchoApp&) = delete;
  EchoApp& operator=(const EchoApp&) = delete;

  uint16_t port() const { return port_; }

 private:
  void Serve();

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The request headers the app saw, from EchoApp's body: name → values.
std::multimap<std::string, std::string> UpstreamHeaders(
    const std::string& body);

// Every value of `name` in `headers`, in the order received.
std::vector<std::string> Values(
    const std::multimap<std::string, std::string>& headers,
    const std::string& name);

}  // namespace gatehouse::testkit

#endif  // GATEHOUSE_TESTS_INTEGRATION_ECHO_APP_H_
