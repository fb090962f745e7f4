// ProxyProcess: a real edge proxy (nginx, Caddy) run as a child of a
// black-box test, with a config the test rendered from the one that ships
// in deploy/; plus the few file and port helpers that rendering needs.
#ifndef GATEHOUSE_TESTS_INTEGRATION_PROXY_PROCESS_H_
#define GATEHOUSE_TESTS_INTEGRATION_PROXY_PROCESS_H_

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::testkit {

// How long a proxy may take to listen, and to stop after its graceful
// signal before it is killed. Both proxies start in well under a second;
// the margin is for a loaded CI machine.
inline constexpr auto kProxyStartTimeout = std::chrono::seconds(10);
inline constexpr auto kProxyStopTimeout = std::chrono::seconds(10);

// The whole file, or "" if it cannot be read.
std::string ReadFile(const std::filesystem::path& path);

// A file of deploy/ as it ships, e.g. ShippedFile("nginx/gatehouse.conf"):
// the tests run what users copy, never a copy of their own.
std::filesystem::path ShippedFile(std::string_view relative);

// Replaces every occurrence of `from`; false (and `text` unchanged) unless
// there are exactly `count`. A config renderer fails on false: the shipped
// file changed shape and the test would no longer run what ships.
bool ReplaceExactly(std::string& text, const std::string& from,
                    const std::string& to, int count);

// A 127.0.0.1 port that was free a moment ago, for a proxy's `listen`.
uint16_t FreePort();

// How to run one proxy; see ProxyProcess.
struct ProxyCommand {
  std::string name;  // in messages: "nginx", "caddy"
  // args[0] is the executable's path.
  std::vector<std::string> args;
  // The child's whole environment; nullopt: this process's own.
  std::optional<std::vector<std::string>> env;
  // Where the child's stdout and stderr go (truncated); empty: inherited.
  std::filesystem::path output;
  // The proxy's own log, shown when it fails; empty: `output`.
  std::filesystem::path log;
  uint16_t port = 0;  // where the config makes it listen, on 127.0.0.1
  // The signal that stops it gracefully (nginx: SIGQUIT, since its
  // SIGTERM is the fast shutdown).
  int stop_signal = SIGTERM;
};

class ProxyProcess {
 public:
  // Starts the proxy and waits up to kProxyStartTimeout until it accepts
  // connections on its port. Fails the current test (ADD_FAILURE, with the
  // log) if it exits or does not listen; started() says which.
  explicit ProxyProcess(ProxyCommand command);
  // Sends the stop signal, waits up to kProxyStopTimeout, then SIGKILL.
  ~ProxyProcess();
  ProxyProcess(const ProxyProcess&) = delete;
  ProxyProcess& operator=(const ProxyProcess&) = delete;

  bool started() const { return started_; }
  uint16_t port() const { return command_.port; }
  const std::string& name() const { return command_.name; }
  // What the proxy logged so far.
  std::string Log() const;

 private:
  ProxyCommand command_;
  pid_t pid_ = -1;
  bool started_ = false;
};

}  // namespace gatehouse::testkit

#endif  // GATEHOUSE_TESTS_INTEGRATION_PROXY_PROCESS_H_
