// gatehouse_loader: the load generator behind bench/run.sh for what wrk
// cannot do. Every mode is bounded in time (and the load modes in request
// count too), talks to 127.0.0.1 only in practice (the URL must be an IP
// literal), and prints one JSON document (bench/loader/load_report.h).
//
//   gatehouse_loader refresh --url http://127.0.0.1:8080 --email E
//       --password P --origin http://app.example.test --sessions 8
//       --duration 10 --out refresh.json
//   gatehouse_loader request --url http://127.0.0.1:8080
//       --path /api/v1/auth/me --header "Cookie: access_token=..."
//       --connections 4 --requests 20000
//   gatehouse_loader login-rate --url ... --email E --password P --rate 50
//   gatehouse_loader startup --url http://127.0.0.1:8080 --cpu 0 --runs 5
//       -- build/gatehouse serve
//   gatehouse_loader free-port
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "bench/loader/load_report.h"
#include "bench/loader/login_rate_load.h"
#include "bench/loader/refresh_load.h"
#include "bench/loader/request_load.h"
#include "bench/loader/startup_probe.h"

namespace gatehouse::bench {
namespace {

std::chrono::milliseconds Millis(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

// A loopback TCP port nobody listens on now (the kernel's choice for port
// 0). Someone could take it before the caller binds it; bench scripts
// then fail loudly rather than measure the wrong server.
int PrintFreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len)) {
    std::perror("gatehouse_loader free-port");
    return 1;
  }
  ::close(fd);
  std::printf("%u\n", ntohs(addr.sin_port));
  return 0;
}

// "Name: value" as a header pair; false if there is no colon.
bool ParseHeader(const std::string& text,
                 std::pair<std::string, std::string>& header) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  header.first = text.substr(0, colon);
  const size_t value = text.find_first_not_of(' ', colon + 1);
  header.second = value == std::string::npos ? "" : text.substr(value);
  return true;
}

int Main(int argc, char** argv) {
  CLI::App app("gatehouse_loader: load for gatehouse benchmarks");
  app.require_subcommand(1);
  std::string url;
  std::string out;
  double duration_s = 10;

  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--url", url, "server, e.g. http://127.0.0.1:8080")
        ->required();
    cmd->add_option("--out", out, "write the JSON here (default: stdout)");
  };

  RefreshLoadOptions refresh;
  CLI::App* refresh_cmd =
      app.add_subcommand("refresh", "chained refresh rotations");
  add_common(refresh_cmd);
  refresh_cmd->add_option("--email", refresh.email)->required();
  refresh_cmd->add_option("--password", refresh.password)->required();
  refresh_cmd->add_option("--origin", refresh.origin, "a trusted origin")
      ->required();
  refresh_cmd
      ->add_option("--sessions", refresh.sessions,
                   "sessions, each on its own connection")
      ->check(CLI::PositiveNumber);
  refresh_cmd->add_option("--refresh-cookie", refresh.refresh_cookie);
  refresh_cmd->add_option("--duration", duration_s, "seconds");
  refresh_cmd->add_option("--max-requests", refresh.max_requests);

  RequestLoadOptions request;
  std::vector<std::string> headers;
  std::string path = "/";
  CLI::App* request_cmd =
      app.add_subcommand("request", "one request repeated (closed loop)");
  add_common(request_cmd);
  request_cmd->add_option("--method", request.request.method);
  request_cmd->add_option("--path", path);
  request_cmd->add_option("--header", headers, "\"Name: value\", repeatable");
  request_cmd->add_option("--body", request.request.body);
  request_cmd->add_option("--connections", request.connections)
      ->check(CLI::PositiveNumber);
  request_cmd->add_option("--duration", duration_s, "seconds");
  request_cmd->add_option("--requests", request.max_requests,
                          "stop after this many requests");

  LoginRateOptions login;
  CLI::App* login_cmd =
      app.add_subcommand("login-rate", "sign-ins at a fixed rate (open loop)");
  add_common(login_cmd);
  login_cmd->add_option("--email", login.email)->required();
  login_cmd->add_option("--password", login.password)->required();
  login_cmd->add_option("--rate", login.rate, "sign-ins per second")
      ->required()
      ->check(CLI::PositiveNumber);
  login_cmd->add_option("--workers", login.workers)->check(CLI::PositiveNumber);
  login_cmd->add_option("--duration", duration_s, "seconds");

  StartupProbeOptions startup;
  double idle_s = 1;
  CLI::App* startup_cmd = app.add_subcommand(
      "startup", "time from exec to 200 from /readyz, then idle RSS");
  add_common(startup_cmd);
  startup_cmd->add_option("--cpu", startup.cpu, "pin the server to this CPU");
  startup_cmd->add_option("--runs", startup.runs);
  startup_cmd->add_option("--idle", idle_s, "seconds idle before reading RSS");
  startup_cmd->add_option("--log", startup.log_path, "the server's output");
  startup_cmd->add_option("server", startup.argv, "-- server command")
      ->required();

  CLI::App* port_cmd =
      app.add_subcommand("free-port", "print a free loopback TCP port");

  CLI11_PARSE(app, argc, argv);
  if (port_cmd->parsed()) return PrintFreePort();

  const auto endpoint = ParseEndpoint(url);
  if (!endpoint) {
    std::cerr << "gatehouse_loader: --url must be http://IP:PORT\n";
    return 2;
  }
  std::optional<boost::json::object> report;
  if (refresh_cmd->parsed()) {
    refresh.endpoint = *endpoint;
    refresh.duration = Millis(duration_s);
    report = RunRefreshLoad(refresh);
  } else if (request_cmd->parsed()) {
    request.endpoint = *endpoint;
    request.duration = Millis(duration_s);
    request.request.target = path;
    for (const std::string& text : headers) {
      std::pair<std::string, std::string> header;
      if (!ParseHeader(text, header)) {
        std::cerr << "gatehouse_loader: --header wants \"Name: value\"\n";
        return 2;
      }
      request.request.headers.push_back(std::move(header));
    }
    report = RunRequestLoad(request);
  } else if (login_cmd->parsed()) {
    login.endpoint = *endpoint;
    login.duration = Millis(duration_s);
    report = RunLoginRateLoad(login);
  } else if (startup_cmd->parsed()) {
    startup.endpoint = *endpoint;
    startup.idle = Millis(idle_s);
    report = RunStartupProbe(startup);
  }
  if (!report) return 1;
  return WriteJson(*report, out) ? 0 : 1;
}

}  // namespace
}  // namespace gatehouse::bench

int main(int argc, char** argv) { return gatehouse::bench::Main(argc, argv); }
