#include "http/metrics.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <utility>
#include <vector>

namespace gatehouse {
namespace {

constexpr std::array<std::string_view, 3> kLoginOutcomeLabels = {
    "succeeded", "failed", "rate_limited"};
constexpr std::array<std::string_view, 4> kRefreshOutcomeLabels = {
    "rotated", "grace_replay", "reuse_detected", "invalid"};
constexpr std::array<std::string_view, 2> kSessionCheckSourceLabels = {
    "memory", "database"};
static_assert(static_cast<size_t>(SessionCheckSource::kDatabase) + 1 ==
              kSessionCheckSourceLabels.size());
static_assert(static_cast<size_t>(LoginOutcome::kRateLimited) + 1 ==
              kLoginOutcomeLabels.size());
static_assert(static_cast<size_t>(RefreshOutcome::kInvalid) + 1 ==
              kRefreshOutcomeLabels.size());
constexpr size_t kReuseDetectedIndex =
    static_cast<size_t>(RefreshOutcome::kReuseDetected);

constexpr char kRequestsTotal[] = "gatehouse_http_requests_total";
constexpr char kRequestDuration[] = "gatehouse_http_request_duration_seconds";
constexpr char kRequestDurationBucket[] =
    "gatehouse_http_request_duration_seconds_bucket";
constexpr char kRequestDurationSum[] =
    "gatehouse_http_request_duration_seconds_sum";
constexpr char kRequestDurationCount[] =
    "gatehouse_http_request_duration_seconds_count";
constexpr char kLoginsTotal[] = "gatehouse_logins_total";
constexpr char kRefreshesTotal[] = "gatehouse_refreshes_total";
constexpr char kReuseDetectedTotal[] = "gatehouse_refresh_reuse_detected_total";
constexpr char kLoginOverloadTotal[] = "gatehouse_login_overload_total";
constexpr char kSessionChecksTotal[] = "gatehouse_session_checks_total";
constexpr char kActiveSessions[] = "gatehouse_active_sessions";

using Label = std::pair<std::string_view, std::string_view>;

void AppendFamilyHeader(std::string& out, std::string_view name,
                        std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

// `name{k1="v1",k2="v2"} `: a sample up to its value.
void AppendSampleName(std::string& out, std::string_view name,
                      std::initializer_list<Label> labels) {
  out.append(name);
  if (labels.size() > 0) {
    out.push_back('{');
    bool first = true;
    for (const auto& [label, value] : labels) {
      if (!first) out.push_back(',');
      first = false;
      out.append(label).append("=\"").append(EscapeLabelValue(value));
      out.push_back('"');
    }
    out.push_back('}');
  }
  out.push_back(' ');
}

template <class Int>
void AppendInt(std::string& out, Int value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, ec == std::errc() ? end : buf);
}

void AppendSample(std::string& out, std::string_view name,
                  std::initializer_list<Label> labels, uint64_t value) {
  AppendSampleName(out, name, labels);
  AppendInt(out, value);
  out.push_back('\n');
}

// Shortest round-trip form ("0.0123", "1.5e-05"): both valid floats in the
// Prometheus text format.
void AppendDouble(std::string& out, double value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, ec == std::errc() ? end : buf);
}

uint64_t Load(const std::atomic<uint64_t>& counter) {
  return counter.load(std::memory_order_relaxed);
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out.append("\\\\");
        break;
      case '"':
        out.append("\\\"");
        break;
      case '\n':
        out.append("\\n");
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

void Metrics::Histogram::Observe(std::chrono::nanoseconds duration) {
  duration = std::max(duration, std::chrono::nanoseconds::zero());
  // Prometheus buckets are inclusive: `le` is "less than or equal".
  size_t bucket = 0;
  while (bucket < kDurationBucketBounds.size() &&
         duration > kDurationBucketBounds[bucket]) {
    ++bucket;
  }
  buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_nanos.fetch_add(static_cast<uint64_t>(duration.count()),
                      std::memory_order_relaxed);
}

void Metrics::RequestSeries::CountStatus(unsigned status) {
  if (status != 0) {
    for (StatusCell& cell : statuses) {
      unsigned seen = cell.status.load(std::memory_order_acquire);
      // Claim a free cell; if another thread claimed it first, `seen` is
      // its status and the scan goes on unless it is ours.
      if (seen == 0 && cell.status.compare_exchange_strong(
                           seen, status, std::memory_order_acq_rel)) {
        seen = status;
      }
      if (seen == status) {
        cell.count.fetch_add(1, std::memory_order_relaxed);
        return;
      }
    }
  }
  other_status.fetch_add(1, std::memory_order_relaxed);
}

Metrics::RequestSeries& Metrics::SeriesFor(std::string_view route,
                                           bhttp::verb method) {
  SeriesKeyView key{route, method};
  {
    ReaderLock lock(&mu_);
    auto it = series_.find(key);
    if (it != series_.end()) return it->second;
  }
  WriterLock lock(&mu_);
  auto it = series_.find(key);  // another thread may have won the race
  if (it != series_.end()) return it->second;
  auto histogram = histograms_.find(route);
  if (histogram == histograms_.end()) {
    histogram = histograms_.try_emplace(std::string(route)).first;
  }
  RequestSeries& series =
      series_.try_emplace(SeriesKey{std::string(route), method}).first->second;
  series.histogram = &histogram->second;
  return series;
}

void Metrics::RecordRequest(std::string_view route, bhttp::verb method,
                            unsigned status,
                            std::chrono::nanoseconds duration) {
  RequestSeries& series = SeriesFor(route, method);
  // The counters outlive the lock: map nodes never move or go away.
  series.CountStatus(status);
  series.histogram->Observe(duration);
}

void Metrics::RecordLoginOverload() {
  login_overload_.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::OnLogin(LoginOutcome outcome) {
  auto index = static_cast<size_t>(outcome);
  if (index < logins_.size()) {
    logins_[index].fetch_add(1, std::memory_order_relaxed);
  }
}

void Metrics::OnRefresh(RefreshOutcome outcome) {
  auto index = static_cast<size_t>(outcome);
  if (index < refreshes_.size()) {
    refreshes_[index].fetch_add(1, std::memory_order_relaxed);
  }
}

void Metrics::OnSessionCheck(SessionCheckSource source) {
  auto index = static_cast<size_t>(source);
  if (index < session_checks_.size()) {
    session_checks_[index].fetch_add(1, std::memory_order_relaxed);
  }
}

std::string Metrics::Render(std::optional<int64_t> active_sessions) const {
  std::string out;
  out.reserve(4096);
  {
    ReaderLock lock(&mu_);

    AppendFamilyHeader(out, kRequestsTotal, "counter",
                       "HTTP requests answered, by route pattern, method and "
                       "status.");
    for (const auto& [key, series] : series_) {
      std::vector<std::pair<unsigned, uint64_t>> counts;
      for (const StatusCell& cell : series.statuses) {
        unsigned status = cell.status.load(std::memory_order_acquire);
        if (status != 0) counts.emplace_back(status, Load(cell.count));
      }
      std::sort(counts.begin(), counts.end());
      std::string_view method(bhttp::to_string(key.method));
      for (const auto& [status, count] : counts) {
        char buf[12];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, status);
        std::string_view status_text(buf, ec == std::errc() ? end - buf : 0);
        AppendSample(
            out, kRequestsTotal,
            {{"route", key.route}, {"method", method}, {"status", status_text}},
            count);
      }
      if (uint64_t other = Load(series.other_status); other > 0) {
        AppendSample(
            out, kRequestsTotal,
            {{"route", key.route}, {"method", method}, {"status", "other"}},
            other);
      }
    }

    AppendFamilyHeader(out, kRequestDuration, "histogram",
                       "Time from reading a request to having its response, "
                       "by route pattern.");
    for (const auto& [route, histogram] : histograms_) {
      uint64_t cumulative = 0;
      for (int i = 0; i < kDurationBuckets; ++i) {
        cumulative += Load(histogram.buckets[i]);
        AppendSample(out, kRequestDurationBucket,
                     {{"route", route}, {"le", kDurationBucketLabels[i]}},
                     cumulative);
      }
      cumulative += Load(histogram.buckets[kDurationBuckets]);
      AppendSample(out, kRequestDurationBucket,
                   {{"route", route}, {"le", "+Inf"}}, cumulative);
      AppendSampleName(out, kRequestDurationSum, {{"route", route}});
      AppendDouble(out, static_cast<double>(Load(histogram.sum_nanos)) / 1e9);
      out.push_back('\n');
      AppendSample(out, kRequestDurationCount, {{"route", route}}, cumulative);
    }
  }

  AppendFamilyHeader(out, kLoginsTotal, "counter",
                     "Sign-in attempts, by outcome.");
  for (size_t i = 0; i < logins_.size(); ++i) {
    AppendSample(out, kLoginsTotal, {{"outcome", kLoginOutcomeLabels[i]}},
                 Load(logins_[i]));
  }
  AppendFamilyHeader(out, kRefreshesTotal, "counter",
                     "Refresh-token presentations, by outcome.");
  for (size_t i = 0; i < refreshes_.size(); ++i) {
    AppendSample(out, kRefreshesTotal, {{"outcome", kRefreshOutcomeLabels[i]}},
                 Load(refreshes_[i]));
  }
  AppendFamilyHeader(out, kReuseDetectedTotal, "counter",
                     "Superseded refresh tokens presented after the grace "
                     "window; each revoked its session.");
  AppendSample(out, kReuseDetectedTotal, {},
               Load(refreshes_[kReuseDetectedIndex]));
  AppendFamilyHeader(out, kLoginOverloadTotal, "counter",
                     "Requests to password-hashing routes (sign-in, sign-up) "
                     "refused with 503 because the hashing queue was full.");
  AppendSample(out, kLoginOverloadTotal, {}, Load(login_overload_));
  AppendFamilyHeader(out, kSessionChecksTotal, "counter",
                     "Sessions of valid access tokens checked, by source: "
                     "memory (the revocation view) or database (the view "
                     "was stale).");
  for (size_t i = 0; i < session_checks_.size(); ++i) {
    AppendSample(out, kSessionChecksTotal,
                 {{"source", kSessionCheckSourceLabels[i]}},
                 Load(session_checks_[i]));
  }
  if (active_sessions) {
    AppendFamilyHeader(out, kActiveSessions, "gauge",
                       "Sessions neither revoked nor expired, across all "
                       "users, at scrape time.");
    AppendSampleName(out, kActiveSessions, {});
    AppendInt(out, *active_sessions);
    out.push_back('\n');
  }
  return out;
}

}  // namespace gatehouse
