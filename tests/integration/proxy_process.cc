#include "tests/integration/proxy_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <fstream>
#include <sstream>
#include <thread>

namespace gatehouse::testkit {
namespace {

namespace fs = std::filesystem;
namespace net = boost::asio;
using tcp = net::ip::tcp;

bool Listening(uint16_t port) {
  try {
    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect({net::ip::make_address("127.0.0.1"), port});
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The repository's deploy/ folder, named by the build (not derived from
// __FILE__, which a compiler cache may have made relative).
fs::path ShippedFile(std::string_view relative) {
  return fs::path(GATEHOUSE_DEPLOY_DIR) / relative;
}

bool ReplaceExactly(std::string& text, const std::string& from,
                    const std::string& to, int count) {
  std::vector<size_t> at;
  for (size_t i = text.find(from); i != std::string::npos;
       i = text.find(from, i + from.size())) {
    at.push_back(i);
  }
  if (static_cast<int>(at.size()) != count) return false;
  for (auto it = at.rbegin(); it != at.rend(); ++it)
    text.replace(*it, from.size(), to);
  return true;
}

uint16_t FreePort() {
  net::io_context ioc;
  tcp::acceptor acceptor(ioc, {net::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

ProxyProcess::ProxyProcess(ProxyCommand command)
    : command_(std::move(command)) {
  if (command_.log.empty()) command_.log = command_.output;

  // Everything allocated before fork: the child only execs.
  std::vector<char*> argv, envp;
  for (auto& a : command_.args) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (command_.env) {
    for (auto& e : *command_.env) envp.push_back(e.data());
    envp.push_back(nullptr);
  }
  const std::string output = command_.output.string();

  pid_t parent = getpid();
  pid_ = fork();
  if (pid_ == 0) {
    // A test that crashes must not leave its proxy running.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    if (!output.empty()) {
      int fd = open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (fd >= 0) {
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        close(fd);
      }
    }
    if (command_.env) {
      execve(argv[0], argv.data(), envp.data());
    } else {
      execv(argv[0], argv.data());
    }
    _exit(127);
  }
  // Ready when it answers on its port.
  auto deadline = std::chrono::steady_clock::now() + kProxyStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      ADD_FAILURE() << command_.name << " exited:\n" << Log();
      return;
    }
    if (Listening(port())) {
      started_ = true;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << command_.name << " did not listen:\n" << Log();
}

ProxyProcess::~ProxyProcess() {
  if (pid_ <= 0) return;
  kill(pid_, command_.stop_signal);
  auto deadline = std::chrono::steady_clock::now() + kProxyStopTimeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
}

std::string ProxyProcess::Log() const { return ReadFile(command_.log); }

}  // namespace gatehouse::testkit
