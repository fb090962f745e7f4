#include "bench/loader/request_load.h"

#include <atomic>
#include <thread>
#include <vector>

#include "bench/loader/latency_stats.h"
#include "bench/loader/load_report.h"

namespace gatehouse::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr auto kPauseAfterTransportError = std::chrono::milliseconds(1);

void RunConnection(const RequestLoadOptions& options,
                   SteadyClock::time_point start,
                   SteadyClock::time_point deadline,
                   std::atomic<int64_t>& budget, LatencyStats& stats) {
  HttpClient client(options.endpoint);
  HttpResponse response;
  std::this_thread::sleep_until(start);
  while (SteadyClock::now() < deadline && budget.fetch_sub(1) > 0) {
    const auto sent = SteadyClock::now();
    const auto error = client.Send(options.request, response);
    const auto answered = SteadyClock::now();
    if (error) {
      stats.RecordTransportError(*error);
      std::this_thread::sleep_for(kPauseAfterTransportError);
      continue;
    }
    stats.RecordResponse(answered - sent, response.status,
                         response.status >= 200 && response.status < 300);
  }
}

}  // namespace

boost::json::object RunRequestLoad(const RequestLoadOptions& options) {
  const auto start = SteadyClock::now() + std::chrono::milliseconds(50);
  const auto deadline = start + options.duration;
  std::atomic<int64_t> budget{options.max_requests};
  std::vector<LatencyStats> stats(options.connections);
  std::vector<std::thread> threads;
  for (int i = 0; i < options.connections; ++i) {
    threads.emplace_back(RunConnection, std::cref(options), start, deadline,
                         std::ref(budget), std::ref(stats[i]));
  }
  for (std::thread& t : threads) t.join();
  const auto elapsed = SteadyClock::now() - start;
  LatencyStats all;
  for (const LatencyStats& s : stats) all.Merge(s);
  return RenderLoadReport("request", options.connections, elapsed, all);
}

}  // namespace gatehouse::bench
