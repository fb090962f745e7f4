#include "testing/server_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#ifndef GATEHOUSE_BINARY
#error "GATEHOUSE_BINARY must name the gatehouse executable"
#endif

namespace gatehouse::testkit {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Starts the binary with stdout+stderr appended to `log`. The child gets
// only the variables given (plus PATH), so the caller's GATEHOUSE_* never
// leak into a test.
pid_t Spawn(const std::vector<std::string>& args,
            const std::map<std::string, std::string>& env,
            const std::filesystem::path& log, int stdin_fd,
            std::optional<uint64_t> max_open_files = std::nullopt) {
  std::vector<std::string> argv_store = {GATEHOUSE_BINARY};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<std::string> env_store = {"PATH=/usr/bin:/bin"};
  for (const auto& [k, v] : env) env_store.push_back(k + "=" + v);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    // A test that crashes must not leave its server running.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    if (stdin_fd >= 0) dup2(stdin_fd, STDIN_FILENO);
    if (max_open_files) {
      rlimit limit{};
      getrlimit(RLIMIT_NOFILE, &limit);
      limit.rlim_cur = static_cast<rlim_t>(*max_open_files);
      if (setrlimit(RLIMIT_NOFILE, &limit) != 0) _exit(126);
    }
    std::vector<char*> argv, envp;
    for (auto& a : argv_store) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env_store) envp.push_back(e.data());
    envp.push_back(nullptr);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

ServerProcess::ServerProcess(const TempDir& dir, ServerOptions options) {
  static int counter = 0;
  log_path_ = dir.path() / ("server-" + std::to_string(counter++) + ".log");
  options.env.try_emplace("GATEHOUSE_LISTEN", "127.0.0.1:0");
  options.env.try_emplace("GATEHOUSE_DATABASE_URL",
                          "sqlite://" + (dir.path() / "gatehouse.db").string());
  options.env.try_emplace("GATEHOUSE_LOG_LEVEL", "warn");
  pid_ =
      Spawn(options.args, options.env, log_path_, -1, options.max_open_files);

  static const std::regex kListening(
      "listening on http://127\\.0\\.0\\.1:(\\d+)");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch m;
    std::string out = ReadFile(log_path_);
    if (std::regex_search(out, m, kListening)) {
      port_ = static_cast<uint16_t>(std::stoi(m[1]));
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      ADD_FAILURE() << "gatehouse exited before listening:\n" << out;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "gatehouse did not listen within 20 s:\n" << Output();
}

// A clean exit is part of every test: a crash, a sanitizer report or a
// leak found at exit turns into a non-zero status here.
ServerProcess::~ServerProcess() {
  if (pid_ <= 0) return;
  int code = Stop();
  if (code != 0) {
    ADD_FAILURE() << "gatehouse exited with status " << code << ":\n"
                  << Output();
  }
}

std::string ServerProcess::Output() const { return ReadFile(log_path_); }

int ServerProcess::Stop(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

CommandResult RunGatehouse(const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env,
                           const std::string& stdin_text) {
  TempDir dir;
  auto log = dir.path() / "command.log";
  auto input = dir.path() / "stdin";
  std::ofstream(input) << stdin_text;
  int in_fd = open(input.c_str(), O_RDONLY);
  pid_t pid = Spawn(args, env, log, in_fd);
  close(in_fd);
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadFile(log)};
}

}  // namespace gatehouse::testkit
