// Metrics: the counters behind GET /metrics (SPEC §3), in Prometheus text
// format 0.0.4.
//
// The Dispatcher records every request (route pattern, method, status,
// duration) and every sign-in refused because the hashing queue was full;
// AuthService reports login and refresh outcomes, and where it checked
// sessions, through AuthObserver.
// Recording is on the request path, so after a series' first request it
// costs a shared lock, a map lookup that does not allocate and a few
// relaxed atomic adds. Rendering (one scrape every few seconds) may
// allocate freely.
//
// Label cardinality is bounded by construction: `route` is a route
// *pattern* ("/api/v1/auth/sessions/{id}"), never the raw path, and every
// request that matched no route shares route="unmatched".
#ifndef GATEHOUSE_HTTP_METRICS_H_
#define GATEHOUSE_HTTP_METRICS_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "http/beast.h"
#include "service/auth_observer.h"

namespace gatehouse {

inline constexpr char kPrometheusContentType[] =
    "text/plain; version=0.0.4; charset=utf-8";

class Metrics final : public AuthObserver {
 public:
  // The route label of requests that matched no route: 404s, 405s and
  // CORS preflights.
  static constexpr std::string_view kUnmatchedRoute = "unmatched";

  // Upper bounds (Prometheus `le`) of the request-duration buckets. An auth
  // server's answers span ~0.1 ms (healthz, JWKS) through a few ms (a
  // SQLite write) to ~50-500 ms (argon2id sign-in, queued behind others);
  // past 2.5 s only +Inf is worth telling apart.
  static constexpr int kDurationBuckets = 12;
  static constexpr std::array<std::chrono::nanoseconds, kDurationBuckets>
      kDurationBucketBounds = {
          std::chrono::microseconds(500),  std::chrono::milliseconds(1),
          std::chrono::microseconds(2500), std::chrono::milliseconds(5),
          std::chrono::milliseconds(10),   std::chrono::milliseconds(25),
          std::chrono::milliseconds(50),   std::chrono::milliseconds(100),
          std::chrono::milliseconds(250),  std::chrono::milliseconds(500),
          std::chrono::seconds(1),         std::chrono::milliseconds(2500)};
  // The same bounds as rendered, in seconds.
  static constexpr std::array<std::string_view, kDurationBuckets>
      kDurationBucketLabels = {"0.0005", "0.001", "0.0025", "0.005",
                               "0.01",   "0.025", "0.05",   "0.1",
                               "0.25",   "0.5",   "1",      "2.5"};

  // Distinct statuses counted per (route, method). A route answers a
  // handful (200, 400, 401, 403, 429, 500, 503, ...); a status beyond this
  // many on one series is counted under status="other" rather than grow.
  static constexpr int kMaxStatusesPerSeries = 16;

  Metrics() = default;
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Counts one answered request. Thread-safe. `route` must come from a
  // bounded set (a route pattern or kUnmatchedRoute): each distinct
  // (route, method) allocates its series once, on its first request.
  void RecordRequest(std::string_view route, bhttp::verb method,
                     unsigned status, std::chrono::nanoseconds duration);

  // Counts one sign-in refused with 503 because the hashing queue was
  // full. Thread-safe.
  void RecordLoginOverload();

  // AuthObserver. Thread-safe, lock-free.
  void OnLogin(LoginOutcome outcome) override;
  void OnRefresh(RefreshOutcome outcome) override;
  void OnSessionCheck(SessionCheckSource source) override;

  // Every metric in Prometheus text format 0.0.4, each family with its
  // # HELP and # TYPE lines. `active_sessions` is the gauge's value, read
  // by the caller from the store at scrape time; nullopt omits the gauge
  // (the store could not be read) and renders everything else.
  // Thread-safe; concurrent recording may or may not be included.
  std::string Render(std::optional<int64_t> active_sessions) const;

 private:
  // Non-cumulative counts per bucket (the last is +Inf); rendering sums
  // them, so _count always equals the +Inf bucket.
  struct Histogram {
    std::array<std::atomic<uint64_t>, kDurationBuckets + 1> buckets{};
    std::atomic<uint64_t> sum_nanos{0};

    void Observe(std::chrono::nanoseconds duration);
  };

  struct StatusCell {
    std::atomic<unsigned> status{0};  // 0: free; claimed once, never reset
    std::atomic<uint64_t> count{0};
  };

  // Everything counted for one (route, method).
  struct RequestSeries {
    Histogram* histogram = nullptr;  // its route's; owned by histograms_
    std::array<StatusCell, kMaxStatusesPerSeries> statuses{};
    std::atomic<uint64_t> other_status{0};

    void CountStatus(unsigned status);
  };

  struct SeriesKey {
    std::string route;
    bhttp::verb method;
  };
  using SeriesKeyView = std::pair<std::string_view, bhttp::verb>;
  // Lets a lookup by (string_view, verb) find a SeriesKey without building
  // one, so recording never allocates once a series exists.
  struct SeriesKeyLess {
    using is_transparent = void;
    static SeriesKeyView View(const SeriesKey& k) {
      return {k.route, k.method};
    }
    static SeriesKeyView View(const SeriesKeyView& k) { return k; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return View(a) < View(b);
    }
  };

  // The series of (route, method), created on first use.
  RequestSeries& SeriesFor(std::string_view route, bhttp::verb method);

  // Shared to find a series, exclusive to insert one.
  mutable SharedMutex mu_;
  // State below is guarded by mu_. Only the maps are: the counters inside
  // are atomics, updated after the lock is released (map nodes never move
  // or go away, so the references SeriesFor hands out stay valid).
  std::map<std::string, Histogram, std::less<>> histograms_ GUARDED_BY(mu_);
  std::map<SeriesKey, RequestSeries, SeriesKeyLess> series_ GUARDED_BY(mu_);

  // Lock-free; indexed by the enum's value.
  std::array<std::atomic<uint64_t>, 3> logins_{};
  std::array<std::atomic<uint64_t>, 4> refreshes_{};
  std::array<std::atomic<uint64_t>, 2> session_checks_{};
  std::atomic<uint64_t> login_overload_{0};
};

// `value` escaped for a Prometheus label value: backslash, double quote
// and line feed become \\, \" and \n.
std::string EscapeLabelValue(std::string_view value);

}  // namespace gatehouse

#endif  // GATEHOUSE_HTTP_METRICS_H_
