// The JSON document every loader mode prints: what bench/render_report.sh
// reads. Field names match what bench/wrk/json_report.lua writes for wrk
// runs, so the report treats both tools alike:
//   {"tool": "gatehouse_loader", "mode": "refresh", "connections": 8,
//    "duration_s": 10.0, "requests": 123456, "errors": 0,
//    "requests_per_s": 12345.6, "p50_ms": 0.61, "p99_ms": 1.9,
//    "max_ms": 12.0, "statuses": {"200": 123456}, "transport_errors": {},
//    ...mode-specific fields}
#ifndef GATEHOUSE_BENCH_LOADER_LOAD_REPORT_H_
#define GATEHOUSE_BENCH_LOADER_LOAD_REPORT_H_

#include <boost/json/object.hpp>
#include <chrono>
#include <string>

#include "bench/loader/latency_stats.h"

namespace gatehouse::bench {

// `elapsed`: the measured span, from the first request sent to the last
// answer received (requests_per_s divides by it).
boost::json::object RenderLoadReport(const std::string& mode, int connections,
                                     std::chrono::nanoseconds elapsed,
                                     const LatencyStats& stats);

// Writes `report` as one line of JSON to `path`, or to stdout if `path` is
// empty. Returns false (after saying why on stderr) if the file cannot be
// written.
bool WriteJson(const boost::json::object& report, const std::string& path);

}  // namespace gatehouse::bench

#endif  // GATEHOUSE_BENCH_LOADER_LOAD_REPORT_H_
