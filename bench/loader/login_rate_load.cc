#include "bench/loader/login_rate_load.h"

#include <atomic>
#include <thread>
#include <vector>

#include "bench/loader/latency_stats.h"
#include "bench/loader/load_report.h"
#include "bench/loader/refresh_load.h"

namespace gatehouse::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

void RunWorker(const LoginRateOptions& options, SteadyClock::time_point start,
               SteadyClock::time_point deadline, std::atomic<int64_t>& next,
               LatencyStats& stats) {
  HttpClient client(options.endpoint);
  HttpRequest request;
  request.method = "POST";
  request.target = "/api/v1/auth/login";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = LoginBody(options.email, options.password);
  HttpResponse response;
  const std::chrono::duration<double> interval(1.0 / options.rate);
  for (;;) {
    const int64_t k = next.fetch_add(1);
    const auto due =
        start + std::chrono::duration_cast<SteadyClock::duration>(k * interval);
    if (due >= deadline) return;
    std::this_thread::sleep_until(due);
    const auto error = client.Send(request, response);
    const auto answered = SteadyClock::now();
    if (error) {
      stats.RecordTransportError(*error);
      continue;
    }
    stats.RecordResponse(answered - due, response.status,
                         response.status == 200);
  }
}

}  // namespace

boost::json::object RunLoginRateLoad(const LoginRateOptions& options) {
  const auto start = SteadyClock::now() + std::chrono::milliseconds(50);
  const auto deadline = start + options.duration;
  std::atomic<int64_t> next{0};
  std::vector<LatencyStats> stats(options.workers);
  std::vector<std::thread> threads;
  for (int i = 0; i < options.workers; ++i) {
    threads.emplace_back(RunWorker, std::cref(options), start, deadline,
                         std::ref(next), std::ref(stats[i]));
  }
  for (std::thread& t : threads) t.join();
  const auto elapsed = SteadyClock::now() - start;
  LatencyStats all;
  for (const LatencyStats& s : stats) all.Merge(s);
  boost::json::object report =
      RenderLoadReport("login_rate", options.workers, elapsed, all);
  report["offered_per_s"] = options.rate;
  return report;
}

}  // namespace gatehouse::bench
