// LatencyStats: what one load run measured, merged from every thread.
//
// Each thread fills its own LatencyStats without locks; the run merges
// them at the end. Percentiles are exact (every sample is kept): a 10 s
// run at 20,000 requests/s is 200,000 samples, 1.6 MB.
#ifndef GATEHOUSE_BENCH_LOADER_LATENCY_STATS_H_
#define GATEHOUSE_BENCH_LOADER_LATENCY_STATS_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gatehouse::bench {

class LatencyStats {
 public:
  // One answered request: its latency and HTTP status. `ok` says whether
  // the answer was the one the workload expects (e.g. 200 with a new
  // refresh cookie); anything else counts as an error.
  void RecordResponse(std::chrono::nanoseconds latency, int status, bool ok);
  // One request that got no HTTP answer at all (refused, reset, timeout).
  void RecordTransportError(const std::string& what);

  void Merge(const LatencyStats& other);

  int64_t requests() const { return requests_; }
  int64_t ok() const { return ok_; }
  // Requests that were not ok: unexpected statuses plus transport errors.
  int64_t errors() const { return requests_ - ok_; }
  const std::map<int, int64_t>& statuses() const { return statuses_; }
  const std::map<std::string, int64_t>& transport_errors() const {
    return transport_errors_;
  }

  // Latency at quantile `q` (0 < q <= 1) by nearest rank over every
  // answered request, in milliseconds; 0 with no samples. Sorts lazily.
  double QuantileMs(double q) const;
  double MaxMs() const { return QuantileMs(1.0); }

 private:
  int64_t requests_ = 0;
  int64_t ok_ = 0;
  std::map<int, int64_t> statuses_;
  std::map<std::string, int64_t> transport_errors_;
  mutable std::vector<int64_t> samples_ns_;
  mutable bool sorted_ = true;
};

}  // namespace gatehouse::bench

#endif  // GATEHOUSE_BENCH_LOADER_LATENCY_STATS_H_
