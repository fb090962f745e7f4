#include "bench/loader/load_report.h"

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace gatehouse::bench {

boost::json::object RenderLoadReport(const std::string& mode, int connections,
                                     std::chrono::nanoseconds elapsed,
                                     const LatencyStats& stats) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  boost::json::object report;
  report["tool"] = "gatehouse_loader";
  report["mode"] = mode;
  report["connections"] = connections;
  report["duration_s"] = seconds;
  report["requests"] = stats.requests();
  report["errors"] = stats.errors();
  report["requests_per_s"] =
      seconds > 0 ? static_cast<double>(stats.requests()) / seconds : 0.0;
  report["ok_per_s"] =
      seconds > 0 ? static_cast<double>(stats.ok()) / seconds : 0.0;
  report["p50_ms"] = stats.QuantileMs(0.50);
  report["p99_ms"] = stats.QuantileMs(0.99);
  report["max_ms"] = stats.MaxMs();
  boost::json::object statuses;
  for (const auto& [status, n] : stats.statuses()) {
    statuses[std::to_string(status)] = n;
  }
  report["statuses"] = std::move(statuses);
  boost::json::object transport;
  for (const auto& [what, n] : stats.transport_errors()) transport[what] = n;
  report["transport_errors"] = std::move(transport);
  return report;
}

bool WriteJson(const boost::json::object& report, const std::string& path) {
  const std::string text = boost::json::serialize(report) + "\n";
  if (path.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return true;
  }
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "gatehouse_loader: cannot write " << path << "\n";
    return false;
  }
  return true;
}

}  // namespace gatehouse::bench
