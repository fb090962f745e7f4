// StartupProbe: how long a server takes from exec to its first 200 from
// /readyz, and how much memory it holds once idle.
//
// The probe starts the server itself (fork + exec), so the clock starts
// at exec and not at some later point a shell could observe. It polls
// /readyz every millisecond on a fresh connection, then lets the server
// sit idle, reads VmRSS and VmHWM from /proc/<pid>/status, and stops it
// with SIGTERM (SIGKILL if it has not exited 10 s later). If the probe
// dies first, the kernel sends the server SIGTERM (PR_SET_PDEATHSIG), so
// no server outlives it.
#ifndef GATEHOUSE_BENCH_LOADER_STARTUP_PROBE_H_
#define GATEHOUSE_BENCH_LOADER_STARTUP_PROBE_H_

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "bench/loader/http_client.h"

namespace gatehouse::bench {

struct StartupProbeOptions {
  Endpoint endpoint;              // where the server will listen
  std::vector<std::string> argv;  // the server command; argv[0] a path
  int cpu = -1;                   // pin the server to this CPU; -1: don't
  int runs = 1;
  std::chrono::milliseconds ready_timeout{10000};
  std::chrono::milliseconds idle{1000};  // how long to let it settle
  std::string log_path;  // the server's stdout and stderr; /dev/null if empty
};

// {"tool": "gatehouse_loader", "mode": "startup", "runs": [{"ready_ms",
// "idle_rss_kb", "peak_rss_kb"}...], "ready_ms_p50", "ready_ms_max",
// "idle_rss_kb_max"}, or nullopt after saying why on stderr (the server
// exited, or was not ready in time).
std::optional<boost::json::object> RunStartupProbe(
    const StartupProbeOptions& options);

}  // namespace gatehouse::bench

#endif  // GATEHOUSE_BENCH_LOADER_STARTUP_PROBE_H_
