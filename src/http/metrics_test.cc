#include "http/metrics.h"

#include <gtest/gtest.h>

#include <charconv>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

#include "crypto/sodium_crypto.h"
#include "http/handlers/metrics_handlers.h"
#include "testing/fake_clock.h"

namespace gatehouse {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

// One sample line parsed back: `name{label="value",...} number`.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Parses one sample line of the text format, unescaping label values;
// nullopt if the line is not one.
std::optional<Sample> ParseSample(std::string_view line) {
  Sample sample;
  size_t i = 0;
  while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
  sample.name = std::string(line.substr(0, i));
  if (sample.name.empty()) return std::nullopt;
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      size_t eq = line.find("=\"", i);
      if (eq == std::string_view::npos) return std::nullopt;
      std::string label(line.substr(i, eq - i));
      std::string value;
      i = eq + 2;
      while (i < line.size() && line[i] != '"') {
        if (line[i] == '\\' && i + 1 < line.size()) {
          ++i;
          value.push_back(line[i] == 'n' ? '\n' : line[i]);
        } else {
          value.push_back(line[i]);
        }
        ++i;
      }
      if (i >= line.size()) return std::nullopt;
      ++i;  // closing quote
      sample.labels[label] = value;
      if (i < line.size() && line[i] == ',') ++i;
    }
    if (i >= line.size()) return std::nullopt;
    ++i;  // closing brace
  }
  if (i >= line.size() || line[i] != ' ') return std::nullopt;
  std::string_view number = line.substr(i + 1);
  auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(),
                                   sample.value);
  if (ec != std::errc() || ptr != number.data() + number.size()) {
    return std::nullopt;
  }
  return sample;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The value of the one sample named `name` with exactly `labels`, or
// nullopt if there is none.
std::optional<double> Value(const std::string& text, std::string_view name,
                            const std::map<std::string, std::string>& labels) {
  for (const std::string& line : Lines(text)) {
    if (line.starts_with("#")) continue;
    std::optional<Sample> sample = ParseSample(line);
    if (sample && sample->name == name && sample->labels == labels) {
      return sample->value;
    }
  }
  return std::nullopt;
}

constexpr char kSessions[] = "/api/v1/auth/sessions/{id}";
constexpr char kRequests[] = "gatehouse_http_requests_total";
constexpr char kBucket[] = "gatehouse_http_request_duration_seconds_bucket";

TEST(MetricsTest, CountsRequestsByRoutePatternMethodAndStatus) {
  Metrics metrics;
  metrics.RecordRequest(kSessions, bhttp::verb::delete_, 200, milliseconds(3));
  metrics.RecordRequest(kSessions, bhttp::verb::delete_, 200, milliseconds(4));
  metrics.RecordRequest(kSessions, bhttp::verb::delete_, 404, milliseconds(1));
  metrics.RecordRequest(kSessions, bhttp::verb::get, 200, milliseconds(1));
  metrics.RecordRequest(Metrics::kUnmatchedRoute, bhttp::verb::get, 404,
                        microseconds(50));
  std::string text = metrics.Render(std::nullopt);
  EXPECT_EQ(
      Value(text, kRequests,
            {{"route", kSessions}, {"method", "DELETE"}, {"status", "200"}}),
      2);
  EXPECT_EQ(
      Value(text, kRequests,
            {{"route", kSessions}, {"method", "DELETE"}, {"status", "404"}}),
      1);
  EXPECT_EQ(Value(text, kRequests,
                  {{"route", kSessions}, {"method", "GET"}, {"status", "200"}}),
            1);
  EXPECT_EQ(
      Value(text, kRequests,
            {{"route", "unmatched"}, {"method", "GET"}, {"status", "404"}}),
      1);
  EXPECT_EQ(Value(text, kRequests,
                  {{"route", kSessions}, {"method", "GET"}, {"status", "404"}}),
            std::nullopt);
}

TEST(MetricsTest, HistogramBucketsAreCumulativeAndInclusive) {
  Metrics metrics;
  auto record = [&](std::chrono::nanoseconds d) {
    metrics.RecordRequest("/healthz", bhttp::verb::get, 200, d);
  };
  record(microseconds(400));  // 0.0005
  record(microseconds(500));  // 0.0005: `le` includes the bound
  record(microseconds(501));  // 0.001
  record(milliseconds(3));    // 0.005
  record(milliseconds(300));  // 0.5
  record(seconds(3));         // +Inf only
  std::string text = metrics.Render(std::nullopt);
  auto bucket = [&](const char* le) {
    return Value(text, kBucket, {{"route", "/healthz"}, {"le", le}});
  };
  EXPECT_EQ(bucket("0.0005"), 2);
  EXPECT_EQ(bucket("0.001"), 3);
  EXPECT_EQ(bucket("0.0025"), 3);
  EXPECT_EQ(bucket("0.005"), 4);
  EXPECT_EQ(bucket("0.25"), 4);
  EXPECT_EQ(bucket("0.5"), 5);
  EXPECT_EQ(bucket("2.5"), 5);
  EXPECT_EQ(bucket("+Inf"), 6);
  EXPECT_EQ(Value(text, "gatehouse_http_request_duration_seconds_count",
                  {{"route", "/healthz"}}),
            6);
  std::optional<double> sum =
      Value(text, "gatehouse_http_request_duration_seconds_sum",
            {{"route", "/healthz"}});
  ASSERT_TRUE(sum.has_value());
  EXPECT_NEAR(*sum, 0.0004 + 0.0005 + 0.000501 + 0.003 + 0.3 + 3, 1e-9);
  // Every bound is rendered, in order, then +Inf.
  std::vector<std::string> les;
  for (const std::string& line : Lines(text)) {
    std::optional<Sample> sample = ParseSample(line);
    if (sample && sample->name == kBucket) les.push_back(sample->labels["le"]);
  }
  std::vector<std::string> expected(Metrics::kDurationBucketLabels.begin(),
                                    Metrics::kDurationBucketLabels.end());
  expected.push_back("+Inf");
  EXPECT_EQ(les, expected);
}

TEST(MetricsTest, HistogramIsPerRouteAcrossMethods) {
  Metrics metrics;
  metrics.RecordRequest(kSessions, bhttp::verb::get, 200, milliseconds(1));
  metrics.RecordRequest(kSessions, bhttp::verb::delete_, 200, milliseconds(1));
  std::string text = metrics.Render(std::nullopt);
  EXPECT_EQ(Value(text, "gatehouse_http_request_duration_seconds_count",
                  {{"route", kSessions}}),
            2);
}

TEST(MetricsTest, BucketLabelsMatchBounds) {
  for (int i = 0; i < Metrics::kDurationBuckets; ++i) {
    double label = 0;
    std::string_view text = Metrics::kDurationBucketLabels[i];
    std::from_chars(text.data(), text.data() + text.size(), label);
    EXPECT_DOUBLE_EQ(
        label, std::chrono::duration<double>(Metrics::kDurationBucketBounds[i])
                   .count());
  }
}

TEST(MetricsTest, NegativeDurationsCountAsZero) {
  Metrics metrics;
  metrics.RecordRequest("/healthz", bhttp::verb::get, 200, milliseconds(-5));
  std::string text = metrics.Render(std::nullopt);
  EXPECT_EQ(Value(text, kBucket, {{"route", "/healthz"}, {"le", "0.0005"}}), 1);
  EXPECT_EQ(Value(text, "gatehouse_http_request_duration_seconds_sum",
                  {{"route", "/healthz"}}),
            0);
}

TEST(MetricsTest, StatusesBeyondTheCapAreCountedAsOther) {
  Metrics metrics;
  for (int i = 0; i < Metrics::kMaxStatusesPerSeries + 2; ++i) {
    metrics.RecordRequest("/x", bhttp::verb::get, 200 + i, milliseconds(1));
  }
  std::string text = metrics.Render(std::nullopt);
  EXPECT_EQ(Value(text, kRequests,
                  {{"route", "/x"}, {"method", "GET"}, {"status", "200"}}),
            1);
  EXPECT_EQ(Value(text, kRequests,
                  {{"route", "/x"}, {"method", "GET"}, {"status", "other"}}),
            2);
}

TEST(MetricsTest, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabelValue("plain/{id}"), "plain/{id}");
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  Metrics metrics;
  metrics.RecordRequest("/we\"ird\\\n", bhttp::verb::get, 200, milliseconds(1));
  std::string text = metrics.Render(std::nullopt);
  EXPECT_NE(text.find("route=\"/we\\\"ird\\\\\\n\""), std::string::npos)
      << text;
  // ...and parses back to the original value.
  EXPECT_EQ(
      Value(text, kRequests,
            {{"route", "/we\"ird\\\n"}, {"method", "GET"}, {"status", "200"}}),
      1);
}

TEST(MetricsTest, AuthOutcomesAreCounted) {
  Metrics metrics;
  AuthObserver& observer = metrics;
  observer.OnLogin(LoginOutcome::kSucceeded);
  observer.OnLogin(LoginOutcome::kFailed);
  observer.OnLogin(LoginOutcome::kFailed);
  observer.OnLogin(LoginOutcome::kRateLimited);
  observer.OnRefresh(RefreshOutcome::kRotated);
  observer.OnRefresh(RefreshOutcome::kGraceReplay);
  observer.OnRefresh(RefreshOutcome::kReuseDetected);
  observer.OnRefresh(RefreshOutcome::kInvalid);
  observer.OnRefresh(RefreshOutcome::kInvalid);
  observer.OnSessionCheck(SessionCheckSource::kMemory);
  observer.OnSessionCheck(SessionCheckSource::kMemory);
  observer.OnSessionCheck(SessionCheckSource::kDatabase);
  metrics.RecordLoginOverload();
  std::string text = metrics.Render(std::nullopt);
  EXPECT_EQ(Value(text, "gatehouse_logins_total", {{"outcome", "succeeded"}}),
            1);
  EXPECT_EQ(Value(text, "gatehouse_logins_total", {{"outcome", "failed"}}), 2);
  EXPECT_EQ(
      Value(text, "gatehouse_logins_total", {{"outcome", "rate_limited"}}), 1);
  EXPECT_EQ(Value(text, "gatehouse_refreshes_total", {{"outcome", "rotated"}}),
            1);
  EXPECT_EQ(
      Value(text, "gatehouse_refreshes_total", {{"outcome", "grace_replay"}}),
      1);
  EXPECT_EQ(
      Value(text, "gatehouse_refreshes_total", {{"outcome", "reuse_detected"}}),
      1);
  EXPECT_EQ(Value(text, "gatehouse_refreshes_total", {{"outcome", "invalid"}}),
            2);
  EXPECT_EQ(Value(text, "gatehouse_refresh_reuse_detected_total", {}), 1);
  EXPECT_EQ(Value(text, "gatehouse_login_overload_total", {}), 1);
  EXPECT_EQ(
      Value(text, "gatehouse_session_checks_total", {{"source", "memory"}}), 2);
  EXPECT_EQ(
      Value(text, "gatehouse_session_checks_total", {{"source", "database"}}),
      1);
}

TEST(MetricsTest, FreshMetricsRenderZeroCountersAndNoSeries) {
  Metrics metrics;
  std::string text = metrics.Render(std::nullopt);
  EXPECT_EQ(Value(text, "gatehouse_logins_total", {{"outcome", "succeeded"}}),
            0);
  EXPECT_EQ(Value(text, "gatehouse_login_overload_total", {}), 0);
  EXPECT_NE(text.find("# TYPE gatehouse_http_requests_total counter\n"),
            std::string::npos);
  EXPECT_EQ(text.find("gatehouse_http_requests_total{"), std::string::npos);
}

TEST(MetricsTest, ActiveSessionsGaugeIsRenderedOnlyWhenKnown) {
  Metrics metrics;
  std::string without = metrics.Render(std::nullopt);
  EXPECT_EQ(without.find("gatehouse_active_sessions"), std::string::npos);
  std::string with = metrics.Render(7);
  EXPECT_NE(with.find("# TYPE gatehouse_active_sessions gauge\n"),
            std::string::npos);
  EXPECT_EQ(Value(with, "gatehouse_active_sessions", {}), 7);
}

// The text format: families introduced by HELP then TYPE, each once, with
// their samples right after; every other line a parseable sample; a final
// line feed.
TEST(MetricsTest, RenderIsWellFormedTextFormat) {
  Metrics metrics;
  metrics.RecordRequest(kSessions, bhttp::verb::delete_, 200, milliseconds(3));
  metrics.RecordRequest("/healthz", bhttp::verb::get, 200, microseconds(80));
  metrics.OnLogin(LoginOutcome::kSucceeded);
  std::string text = metrics.Render(3);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');

  std::map<std::string, std::string> types;
  std::string family;
  std::string pending_help;
  for (const std::string& line : Lines(text)) {
    if (line.starts_with("# HELP ")) {
      pending_help = line.substr(7, line.find(' ', 7) - 7);
      EXPECT_EQ(types.count(pending_help), 0u) << "family twice: " << line;
      continue;
    }
    if (line.starts_with("# TYPE ")) {
      std::istringstream in(line.substr(7));
      std::string name, type;
      in >> name >> type;
      EXPECT_EQ(name, pending_help) << "TYPE without its HELP: " << line;
      EXPECT_TRUE(type == "counter" || type == "gauge" || type == "histogram")
          << line;
      types[name] = type;
      family = name;
      continue;
    }
    std::optional<Sample> sample = ParseSample(line);
    ASSERT_TRUE(sample.has_value()) << "not a sample: " << line;
    EXPECT_TRUE(
        sample->name == family ||
        (types[family] == "histogram" && (sample->name == family + "_bucket" ||
                                          sample->name == family + "_sum" ||
                                          sample->name == family + "_count")))
        << sample->name << " outside its family " << family;
  }
  EXPECT_EQ(types["gatehouse_http_requests_total"], "counter");
  EXPECT_EQ(types["gatehouse_http_request_duration_seconds"], "histogram");
  EXPECT_EQ(types["gatehouse_logins_total"], "counter");
  EXPECT_EQ(types["gatehouse_refreshes_total"], "counter");
  EXPECT_EQ(types["gatehouse_refresh_reuse_detected_total"], "counter");
  EXPECT_EQ(types["gatehouse_login_overload_total"], "counter");
  EXPECT_EQ(types["gatehouse_active_sessions"], "gauge");
}

TEST(MetricsTest, ConcurrentRecordingLosesNothing) {
  Metrics metrics;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Half the threads race to create the same series.
        const char* route = (t % 2 == 0) ? "/a" : "/b";
        metrics.RecordRequest(route, bhttp::verb::get, 200 + (i % 3),
                              microseconds(i));
        metrics.OnLogin(LoginOutcome::kFailed);
        if (i % 100 == 0) (void)metrics.Render(std::nullopt);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::string text = metrics.Render(std::nullopt);
  double total = 0;
  for (const char* route : {"/a", "/b"}) {
    for (const char* status : {"200", "201", "202"}) {
      total += Value(text, kRequests,
                     {{"route", route}, {"method", "GET"}, {"status", status}})
                   .value_or(0);
    }
  }
  EXPECT_EQ(total, kThreads * kPerThread);
  EXPECT_EQ(Value(text, "gatehouse_http_request_duration_seconds_count",
                  {{"route", "/a"}}),
            kThreads / 2 * kPerThread);
  EXPECT_EQ(Value(text, "gatehouse_logins_total", {{"outcome", "failed"}}),
            kThreads * kPerThread);
}

// --- MetricsHandlers ---

// A database that is down: every transaction fails before it starts.
class UnavailableStore final : public Store {
 public:
  Status Run(TxMode, const std::function<Status(Tx&)>&) override {
    ++runs;
    Error error = MakeError(ErrorCode::kUnavailable, "database is down");
    error.retry_after_seconds = 1;
    return error;
  }
  Status Ping() override {
    return MakeError(ErrorCode::kUnavailable, "database is down");
  }
  int runs = 0;
};

const Crypto& TestCrypto() {
  static const SodiumCrypto crypto(PasswordHashParams::ForTesting());
  return crypto;
}

TEST(MetricsHandlersTest, RegistersGetMetricsOnTheStoragePool) {
  Metrics metrics;
  UnavailableStore store;
  testkit::FakeClock clock;
  MetricsHandlers handlers(metrics, store, clock, TestCrypto(), "");
  Router router;
  handlers.RegisterRoutes(router);
  RouteMatch match = router.Find(bhttp::verb::get, kRouteMetrics);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->work, Work::kStorage);
  EXPECT_EQ(router.Find(bhttp::verb::post, kRouteMetrics).route, nullptr);
}

TEST(MetricsHandlersTest, ScrapeSurvivesAnUnavailableStoreWithoutTheGauge) {
  Metrics metrics;
  metrics.OnLogin(LoginOutcome::kSucceeded);
  UnavailableStore store;
  testkit::FakeClock clock;
  MetricsHandlers handlers(metrics, store, clock, TestCrypto(), "");
  Request req{bhttp::verb::get, kRouteMetrics, 11};
  RequestContext ctx{req, kRouteMetrics, {}, "127.0.0.1"};
  Response res = handlers.Scrape(ctx);
  EXPECT_EQ(store.runs, 1);
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res[bhttp::field::content_type],
            "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(res.body().find("gatehouse_active_sessions"), std::string::npos);
  EXPECT_EQ(
      Value(res.body(), "gatehouse_logins_total", {{"outcome", "succeeded"}}),
      1);
}

// GET /metrics with `authorization` (none if empty) through `handlers`.
Response ScrapeWith(MetricsHandlers& handlers,
                    const std::string& authorization) {
  Request req{bhttp::verb::get, kRouteMetrics, 11};
  if (!authorization.empty()) {
    req.set(bhttp::field::authorization, authorization);
  }
  RequestContext ctx{req, kRouteMetrics, {}, "127.0.0.1"};
  return handlers.Scrape(ctx);
}

// SPEC §9: with GATEHOUSE_METRICS_TOKEN set, /metrics needs it as a
// bearer token; anything else is a 401 envelope and no metric.
TEST(MetricsHandlersTest, MetricsTokenIsRequiredWhenSet) {
  constexpr char kToken[] = "metrics-token-0123456789abcdef";
  Metrics metrics;
  UnavailableStore store;
  testkit::FakeClock clock;
  MetricsHandlers guarded(metrics, store, clock, TestCrypto(), kToken);
  for (const char* missing :
       {"", "Basic bWV0cmljczp4", "Bearer", "Bearer  ", kToken}) {
    Response res = ScrapeWith(guarded, missing);
    EXPECT_EQ(res.result(), bhttp::status::unauthorized) << missing;
    EXPECT_NE(res.body().find("\"code\":\"ACCESS_TOKEN_MISSING\""),
              std::string::npos)
        << missing << ": " << res.body();
    EXPECT_EQ(res[bhttp::field::www_authenticate], "Bearer");
  }
  const std::string token = kToken;
  for (const std::string& wrong :
       {token + "x", token.substr(1), token.substr(0, token.size() - 1),
        "M" + token.substr(1), std::string("nope")}) {
    Response res = ScrapeWith(guarded, "Bearer " + wrong);
    EXPECT_EQ(res.result(), bhttp::status::unauthorized) << wrong;
    EXPECT_NE(res.body().find("\"code\":\"ACCESS_TOKEN_INVALID\""),
              std::string::npos)
        << wrong << ": " << res.body();
    EXPECT_EQ(res.body().find("gatehouse_"), std::string::npos);
  }
  EXPECT_EQ(store.runs, 0) << "a refused scrape reads nothing";
  Response ok = ScrapeWith(guarded, "bearer " + token);
  EXPECT_EQ(ok.result(), bhttp::status::ok) << ok.body();
  EXPECT_NE(ok.body().find("gatehouse_logins_total"), std::string::npos);
}

TEST(MetricsHandlersTest, MetricsAreOpenWithoutAToken) {
  Metrics metrics;
  UnavailableStore store;
  testkit::FakeClock clock;
  MetricsHandlers open(metrics, store, clock, TestCrypto(), "");
  for (const char* authorization : {"", "Bearer anything"}) {
    EXPECT_EQ(ScrapeWith(open, authorization).result(), bhttp::status::ok)
        << authorization;
  }
}

}  // namespace
}  // namespace gatehouse
