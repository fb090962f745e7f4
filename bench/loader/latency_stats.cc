#include "bench/loader/latency_stats.h"

#include <algorithm>
#include <cmath>

namespace gatehouse::bench {

void LatencyStats::RecordResponse(std::chrono::nanoseconds latency, int status,
                                  bool ok) {
  ++requests_;
  if (ok) ++ok_;
  ++statuses_[status];
  samples_ns_.push_back(latency.count());
  sorted_ = false;
}

void LatencyStats::RecordTransportError(const std::string& what) {
  ++requests_;
  ++transport_errors_[what];
}

void LatencyStats::Merge(const LatencyStats& other) {
  requests_ += other.requests_;
  ok_ += other.ok_;
  for (const auto& [status, n] : other.statuses_) statuses_[status] += n;
  for (const auto& [what, n] : other.transport_errors_) {
    transport_errors_[what] += n;
  }
  samples_ns_.insert(samples_ns_.end(), other.samples_ns_.begin(),
                     other.samples_ns_.end());
  sorted_ = false;
}

double LatencyStats::QuantileMs(double q) const {
  if (samples_ns_.empty()) return 0;
  if (!sorted_) {
    std::sort(samples_ns_.begin(), samples_ns_.end());
    sorted_ = true;
  }
  // Nearest rank: the smallest sample with at least q of all at or below it.
  const auto n = static_cast<double>(samples_ns_.size());
  size_t rank = static_cast<size_t>(std::ceil(q * n));
  rank = std::clamp<size_t>(rank, 1, samples_ns_.size());
  return static_cast<double>(samples_ns_[rank - 1]) / 1e6;
}

}  // namespace gatehouse::bench
