#include "tests/integration/echo_app.h"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <cctype>
#include <sstream>

namespace gatehouse::testkit {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

EchoApp::EchoApp() : acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
  port_ = acceptor_.local_endpoint().port();
  thread_ = std::thread([this] { Serve(); });
}

EchoApp::~EchoApp() {
  stop_ = true;
  try {  // wake the blocking accept
    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect({net::ip::make_address("127.0.0.1"), port_});
  } catch (...) {
  }
  thread_.join();
}

void EchoApp::Serve() {
  while (!stop_) {
    beast::error_code ec;
    tcp::socket socket(ioc_);
    acceptor_.accept(socket, ec);
    if (ec || stop_) continue;
    // One request per connection: the proxy copes with the close, and a
    // single thread then never waits on an idle keep-alive connection.
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::read(socket, buffer, req, ec);
    if (ec) continue;
    std::string body = std::string(req.method_string()) + " " +
                       std::string(req.target()) + "\n";
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(c));
      body += name + ": " + std::string(field.value()) + "\n";
    }
    http::response<http::string_body> res{http::status::ok, 11};
    res.set(http::field::content_type, "text/plain");
    res.keep_alive(false);
    res.body() = body;
    res.prepare_payload();
    http::write(socket, res, ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }
}

std::multimap<std::string, std::string> UpstreamHeaders(
    const std::string& body) {
  std::multimap<std::string, std::string> headers;
  std::istringstream in(body);
  std::string line;
  std::getline(in, line);  // request line
  while (std::getline(in, line)) {
    size_t colon = line.find(": ");
    if (colon != std::string::npos)
      headers.emplace(line.substr(0, colon), line.substr(colon + 2));
  }
  return headers;
}

std::vector<std::string> Values(
    const std::multimap<std::string, std::string>& headers,
    const std::string& name) {
  std::vector<std::string> values;
  auto [from, to] = headers.equal_range(name);
  for (auto it = from; it != to; ++it) values.push_back(it->second);
  return values;
}

}  // namespace gatehouse::testkit
