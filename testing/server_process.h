// ServerProcess: the real build/gatehouse binary, started on a free
// loopback port with a temporary database, for black-box tests.
#ifndef GATEHOUSE_TESTING_SERVER_PROCESS_H_
#define GATEHOUSE_TESTING_SERVER_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "testing/temp_dir.h"

namespace gatehouse::testkit {

struct ServerOptions {
  std::vector<std::string> args = {"serve", "--dev"};
  // GATEHOUSE_* variables; GATEHOUSE_LISTEN and GATEHOUSE_DATABASE_URL
  // are filled in unless given.
  std::map<std::string, std::string> env;
  // When set, the soft limit on open descriptors (RLIMIT_NOFILE, as
  // `ulimit -n`) the server starts with; the hard limit is left as is.
  std::optional<uint64_t> max_open_files;
};

class ServerProcess {
 public:
  // Starts the server with its database in `dir` and waits until it
  // listens. Fails the current test (ADD_FAILURE) if it does not.
  ServerProcess(const TempDir& dir, ServerOptions options = {});
  // Stops with SIGTERM and waits.
  ~ServerProcess();

  uint16_t port() const { return port_; }
  bool started() const { return port_ != 0; }
  pid_t pid() const { return pid_; }
  // What the process wrote to stdout and stderr so far.
  std::string Output() const;

  // Sends SIGTERM and waits up to `timeout`; returns the exit status
  // (-1 if it had to be killed).
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(15));

  // SIGKILL, as a crash: no shutdown code runs. Waits for the process.
  void Kill();

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::filesystem::path log_path_;
};

// Runs the binary to completion with `args` and `env`; returns exit code
// and combined output.
struct CommandResult {
  int exit_code = -1;
  std::string output;
};
CommandResult RunGatehouse(const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env,
                           const std::string& stdin_text = "");

}  // namespace gatehouse::testkit

#endif  // GATEHOUSE_TESTING_SERVER_PROCESS_H_
