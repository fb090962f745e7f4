#include "bench/loader/startup_probe.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

namespace gatehouse::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr auto kPollInterval = std::chrono::milliseconds(1);
constexpr auto kStopTimeout = std::chrono::seconds(10);

// Forks and execs `options.argv`, pinned and with its output in the log.
// Returns the child's pid, or -1.
pid_t Spawn(const StartupProbeOptions& options) {
  std::vector<char*> args;
  for (const std::string& a : options.argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  const std::string log =
      options.log_path.empty() ? "/dev/null" : options.log_path;
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid != 0) return pid;

  // In the child: only async-signal-safe calls until exec.
  const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  const int in = ::open("/dev/null", O_RDONLY);
  if (out < 0 || in < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 ||
      ::dup2(out, 2) < 0) {
    ::_exit(126);
  }
  if (options.cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(options.cpu, &set);
    if (::sched_setaffinity(0, sizeof set, &set) != 0) ::_exit(126);
  }
  if (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || ::getppid() != parent) {
    ::_exit(125);
  }
  ::execv(args[0], args.data());
  ::_exit(127);
}

// True once the server answers 200 on a fresh connection.
bool IsReady(const Endpoint& endpoint) {
  HttpClient client(endpoint);
  HttpRequest request;
  request.target = "/readyz";
  HttpResponse response;
  return !client.Send(request, response, std::chrono::seconds(1)) &&
         response.status == 200;
}

// A "Vm...:" field of /proc/<pid>/status in kB, or -1.
long ReadStatusKb(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      std::istringstream value(line.substr(field.size() + 1));
      long kb = -1;
      value >> kb;
      return kb;
    }
  }
  return -1;
}

// The child's exit, waited for at most `timeout`; true if it exited.
bool WaitForExit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  int status = 0;
  while (SteadyClock::now() < deadline) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

void Stop(pid_t pid) {
  ::kill(pid, SIGTERM);
  if (!WaitForExit(pid, kStopTimeout)) {
    ::kill(pid, SIGKILL);
    WaitForExit(pid, kStopTimeout);
  }
}

}  // namespace

std::optional<boost::json::object> RunStartupProbe(
    const StartupProbeOptions& options) {
  boost::json::array runs;
  std::vector<double> ready_ms;
  long idle_rss_max = 0;
  for (int run = 0; run < options.runs; ++run) {
    const auto exec_at = SteadyClock::now();
    const pid_t pid = Spawn(options);
    if (pid < 0) {
      std::cerr << "gatehouse_loader: fork failed\n";
      return std::nullopt;
    }
    bool ready = false;
    while (SteadyClock::now() - exec_at < options.ready_timeout) {
      if (IsReady(options.endpoint)) {
        ready = true;
        break;
      }
      if (::waitpid(pid, nullptr, WNOHANG) == pid) {
        std::cerr << "gatehouse_loader: the server exited before it was "
                     "ready; see its log\n";
        return std::nullopt;
      }
      std::this_thread::sleep_for(kPollInterval);
    }
    const auto ready_at = SteadyClock::now();
    if (!ready) {
      Stop(pid);
      std::cerr << "gatehouse_loader: the server was not ready within "
                << options.ready_timeout.count() << " ms\n";
      return std::nullopt;
    }
    std::this_thread::sleep_for(options.idle);
    const long idle_rss = ReadStatusKb(pid, "VmRSS");
    const long peak_rss = ReadStatusKb(pid, "VmHWM");
    Stop(pid);

    const double ms =
        std::chrono::duration<double, std::milli>(ready_at - exec_at).count();
    ready_ms.push_back(ms);
    idle_rss_max = std::max(idle_rss_max, idle_rss);
    boost::json::object one;
    one["ready_ms"] = ms;
    one["idle_rss_kb"] = idle_rss;
    one["peak_rss_kb"] = peak_rss;
    runs.push_back(std::move(one));
  }
  std::vector<double> sorted = ready_ms;
  std::sort(sorted.begin(), sorted.end());
  boost::json::object report;
  report["tool"] = "gatehouse_loader";
  report["mode"] = "startup";
  report["runs"] = std::move(runs);
  // The lower median for an even count: a value that was measured.
  report["ready_ms_p50"] =
      sorted.empty() ? 0.0 : sorted[(sorted.size() - 1) / 2];
  report["ready_ms_max"] = sorted.empty() ? 0.0 : sorted.back();
  report["idle_rss_kb_max"] = idle_rss_max;
  return report;
}

}  // namespace gatehouse::bench
