#include "http/dispatcher.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "crypto/sodium_crypto.h"

namespace gatehouse {
namespace {

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";
constexpr char kSessionRoute[] = "/api/v1/auth/sessions/{id}";

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest()
      : origins_("https://api.example.com", {"https://app.example.com"}),
        crypto_(PasswordHashParams::ForTesting()) {
    auto ok = [this](const RequestContext&) {
      ++handled_;
      return Response{bhttp::status::ok, 11};
    };
    router_.Add({bhttp::verb::post, "/api/v1/auth/logout", Work::kStorage, ok});
    router_.Add({bhttp::verb::get, "/api/v1/auth/me", Work::kInline, ok});
    router_.Add({bhttp::verb::post, "/api/v1/auth/login", Work::kPasswordHash,
                 ok, kJsonBody | kSignsIn});
    router_.Add({bhttp::verb::get, kSessionRoute, Work::kStorage,
                 [this](const RequestContext& ctx) {
                   std::lock_guard lock(mu_);
                   seen_client_ip_ = ctx.client_ip;
                   return Response{bhttp::status::ok, 11};
                 }});
    dispatcher_ =
        std::make_unique<Dispatcher>(router_, origins_, crypto_, Options(),
                                     storage_pool_, hash_pool_, &metrics_);
  }

  static DispatchOptions Options() {
    DispatchOptions options;
    options.auth_cookie_names = {"access_token", "refresh_token"};
    options.internal_secret = kSecret;
    auto proxies = TrustedProxies::Parse({"10.0.0.0/8", "fd00::/8"});
    EXPECT_TRUE(proxies.ok());
    if (proxies.ok()) options.trusted_proxies = *proxies;
    return options;
  }
  ~DispatcherTest() override {
    storage_pool_.join();
    hash_pool_.join();
  }

  Response Run(const Request& req, std::string peer_ip = "127.0.0.1") {
    return RunOn(*dispatcher_, req, std::move(peer_ip));
  }

  static Response RunOn(Dispatcher& dispatcher, const Request& req,
                        std::string peer_ip = "127.0.0.1") {
    net::io_context ioc;
    auto future = net::co_spawn(ioc, dispatcher.Handle(req, std::move(peer_ip)),
                                net::use_future);
    ioc.run();
    return future.get();
  }

  std::string SeenClientIp() {
    std::lock_guard lock(mu_);
    return seen_client_ip_;
  }

  // The count of gatehouse_http_requests_total for this series, or -1 if
  // the series is absent.
  double RequestCount(std::string_view route, std::string_view method,
                      std::string_view status) const {
    std::string series = std::string("gatehouse_http_requests_total{route=\"") +
                         std::string(route) + "\",method=\"" +
                         std::string(method) + "\",status=\"" +
                         std::string(status) + "\"} ";
    return SampleValue(series);
  }

  // The value of the sample line starting with `prefix` (name and
  // labels, then a space), or -1 if there is none.
  double SampleValue(std::string_view prefix) const {
    std::string text = metrics_.Render(std::nullopt);
    size_t at = text.find(std::string("\n") + std::string(prefix));
    if (at == std::string::npos) return -1;
    at += 1 + prefix.size();
    return std::stod(text.substr(at, text.find('\n', at) - at));
  }

  static Request Make(bhttp::verb method, std::string target) {
    Request req{method, target, 11};
    return req;
  }

  // A request with a JSON body, as the account page sends it.
  static Request MakeJson(bhttp::verb method, std::string target) {
    Request req = Make(method, std::move(target));
    req.set(bhttp::field::content_type, "application/json");
    req.body() = "{}";
    req.prepare_payload();
    return req;
  }

  Router router_;
  OriginPolicy origins_;
  SodiumCrypto crypto_;
  net::thread_pool storage_pool_{1};
  net::thread_pool hash_pool_{1};
  Metrics metrics_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::atomic<int> handled_{0};
  std::mutex mu_;
  std::string seen_client_ip_;  // guarded by mu_
};

TEST_F(DispatcherTest, CookieWriteFromUntrustedOriginIsRejected) {
  Request req = Make(bhttp::verb::post, "/api/v1/auth/logout");
  req.set(bhttp::field::cookie, "refresh_token=abc");
  req.set(bhttp::field::origin, "https://evil.example");
  Response res = Run(req);
  EXPECT_EQ(res.result(), bhttp::status::forbidden);
  EXPECT_NE(res.body().find("CSRF_REJECTED"), std::string::npos);
  EXPECT_EQ(handled_, 0);
}

TEST_F(DispatcherTest, CookieWriteWithoutOriginOrRefererIsRejected) {
  Request req = Make(bhttp::verb::post, "/api/v1/auth/logout");
  req.set(bhttp::field::cookie, "access_token=abc");
  EXPECT_EQ(Run(req).result(), bhttp::status::forbidden);
}

TEST_F(DispatcherTest, CookieWriteFromTrustedOriginOrRefererPasses) {
  Request req = Make(bhttp::verb::post, "/api/v1/auth/logout");
  req.set(bhttp::field::cookie, "refresh_token=abc");
  req.set(bhttp::field::origin, "https://app.example.com");
  EXPECT_EQ(Run(req).result(), bhttp::status::ok);
  Request by_referer = Make(bhttp::verb::post, "/api/v1/auth/logout");
  by_referer.set(bhttp::field::cookie, "refresh_token=abc");
  by_referer.set(bhttp::field::referer, "https://api.example.com/account");
  EXPECT_EQ(Run(by_referer).result(), bhttp::status::ok);
}

TEST_F(DispatcherTest, F7_InternalSecretMarksTrustedServerCallers) {
  Request req = Make(bhttp::verb::post, "/api/v1/auth/logout");
  req.set(bhttp::field::cookie, "refresh_token=abc");
  req.set(kInternalSecretHeader, kSecret);
  EXPECT_EQ(Run(req).result(), bhttp::status::ok);
  req.set(kInternalSecretHeader, std::string(kSecret) + "x");
  EXPECT_EQ(Run(req).result(), bhttp::status::forbidden);
  req.set(kInternalSecretHeader, "");
  EXPECT_EQ(Run(req).result(), bhttp::status::forbidden);
}

TEST_F(DispatcherTest, RequestsWithoutCookiesAreNotCookieAuthenticated) {
  Request req = Make(bhttp::verb::post, "/api/v1/auth/logout");
  req.set(bhttp::field::origin, "https://evil.example");
  req.set(bhttp::field::cookie, "theme=dark");
  EXPECT_EQ(Run(req).result(), bhttp::status::ok);
}

// Login CSRF (SPEC §6): a sign-in route refuses an untrusted Origin, or
// lacking one an untrusted Referer, with no auth cookies at all: another
// site's form must not sign its visitor into the attacker's account.
TEST_F(DispatcherTest, LoginCsrfFromUntrustedOriginIsRejected) {
  for (auto [origin, referer] :
       std::vector<std::pair<const char*, const char*>>{
           {"https://evil.example", nullptr},
           {"null", nullptr},
           {nullptr, "https://evil.example/cats.html"},
           // A bad Origin is not rescued by a good Referer.
           {"https://evil.example", "https://app.example.com/login"},
       }) {
    Request req = MakeJson(bhttp::verb::post, "/api/v1/auth/login");
    if (origin) req.set(bhttp::field::origin, origin);
    if (referer) req.set(bhttp::field::referer, referer);
    Response res = Run(req);
    EXPECT_EQ(res.result(), bhttp::status::forbidden)
        << (origin ? origin : "") << " " << (referer ? referer : "");
    EXPECT_NE(res.body().find("CSRF_REJECTED"), std::string::npos);
  }
  // The internal secret vouches for the caller, not for the browser whose
  // Origin it would be forwarding.
  Request forwarded = MakeJson(bhttp::verb::post, "/api/v1/auth/login");
  forwarded.set(bhttp::field::origin, "https://evil.example");
  forwarded.set(kInternalSecretHeader, kSecret);
  EXPECT_EQ(Run(forwarded).result(), bhttp::status::forbidden);
  // A cross-site form post is refused as CSRF before its type is judged.
  Request form = Make(bhttp::verb::post, "/api/v1/auth/login");
  form.set(bhttp::field::origin, "https://evil.example");
  form.set(bhttp::field::content_type, "text/plain");
  EXPECT_NE(Run(form).body().find("CSRF_REJECTED"), std::string::npos);
  EXPECT_EQ(handled_, 0);
}

TEST_F(DispatcherTest, SignInFromTrustedOriginsOrNonBrowserClientsPasses) {
  Request app = MakeJson(bhttp::verb::post, "/api/v1/auth/login");
  app.set(bhttp::field::origin, "https://app.example.com");
  EXPECT_EQ(Run(app).result(), bhttp::status::ok);
  Request own = MakeJson(bhttp::verb::post, "/api/v1/auth/login");
  own.set(bhttp::field::referer, "https://api.example.com/account");
  EXPECT_EQ(Run(own).result(), bhttp::status::ok);
  // Browsers send Origin or Referer on every cross-site POST; a request
  // with neither is curl, a server, a test.
  EXPECT_EQ(Run(MakeJson(bhttp::verb::post, "/api/v1/auth/login")).result(),
            bhttp::status::ok);
  EXPECT_EQ(handled_, 3);
}

// SPEC §6: a route that reads JSON takes application/json only, so no
// HTML form (text/plain, urlencoded, multipart) reaches it.
TEST_F(DispatcherTest, JsonRouteWithoutJsonContentTypeIs415) {
  for (const char* type :
       {"", "text/plain", "text/plain; charset=utf-8",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=b",
        "text/json", "application/jsonp", "application/json-patch+json",
        "application/ json"}) {
    Request req = MakeJson(bhttp::verb::post, "/api/v1/auth/login");
    req.set(bhttp::field::content_type, type);
    Response res = Run(req);
    EXPECT_EQ(res.result(), bhttp::status::unsupported_media_type) << type;
    EXPECT_NE(res.body().find("\"code\":\"UNSUPPORTED_MEDIA_TYPE\""),
              std::string::npos);
  }
  Request none = MakeJson(bhttp::verb::post, "/api/v1/auth/login");
  none.erase(bhttp::field::content_type);
  EXPECT_EQ(Run(none).result(), bhttp::status::unsupported_media_type);
  EXPECT_EQ(handled_, 0);
  for (const char* type : {"application/json", "Application/JSON",
                           "application/json; charset=utf-8",
                           " application/json ;charset=UTF-8"}) {
    Request req = MakeJson(bhttp::verb::post, "/api/v1/auth/login");
    req.set(bhttp::field::content_type, type);
    EXPECT_EQ(Run(req).result(), bhttp::status::ok) << type;
  }
}

// Routes that read no body (refresh, logout) never look at Content-Type:
// an empty POST without one, as curl sends it, is served.
TEST_F(DispatcherTest, RoutesWithoutJsonBodyIgnoreContentType) {
  EXPECT_EQ(Run(Make(bhttp::verb::post, "/api/v1/auth/logout")).result(),
            bhttp::status::ok);
  Request typed = Make(bhttp::verb::post, "/api/v1/auth/logout");
  typed.set(bhttp::field::content_type, "text/plain");
  EXPECT_EQ(Run(typed).result(), bhttp::status::ok);
}

TEST_F(DispatcherTest, CredentialedCorsOnlyForTrustedOrigins) {
  Request req = Make(bhttp::verb::get, "/api/v1/auth/me");
  req.set(bhttp::field::origin, "https://app.example.com");
  Response res = Run(req);
  EXPECT_EQ(res[bhttp::field::access_control_allow_origin],
            "https://app.example.com");
  EXPECT_EQ(res[bhttp::field::access_control_allow_credentials], "true");
  EXPECT_EQ(res[bhttp::field::vary], "Origin");
  req.set(bhttp::field::origin, "https://evil.example");
  Response denied = Run(req);
  EXPECT_EQ(denied.count(bhttp::field::access_control_allow_origin), 0u);
  EXPECT_EQ(denied[bhttp::field::vary], "Origin");
}

TEST_F(DispatcherTest, PreflightIsAnsweredForTrustedOriginsOnly) {
  Request req = Make(bhttp::verb::options, "/api/v1/auth/logout");
  req.set(bhttp::field::origin, "https://app.example.com");
  req.set(bhttp::field::access_control_request_method, "POST");
  Response res = Run(req);
  EXPECT_EQ(res.result(), bhttp::status::no_content);
  EXPECT_EQ(res[bhttp::field::access_control_allow_origin],
            "https://app.example.com");
  EXPECT_NE(res[bhttp::field::access_control_allow_methods].find("POST"),
            std::string::npos);
  req.set(bhttp::field::origin, "https://evil.example");
  EXPECT_EQ(Run(req).result(), bhttp::status::forbidden);
  EXPECT_EQ(handled_, 0);
}

TEST_F(DispatcherTest, UnknownRouteAndWrongMethodAreJsonErrors) {
  Response missing = Run(Make(bhttp::verb::get, "/nope"));
  EXPECT_EQ(missing.result(), bhttp::status::not_found);
  EXPECT_NE(missing.body().find("\"code\":\"NOT_FOUND\""), std::string::npos);
  Response wrong = Run(Make(bhttp::verb::delete_, "/api/v1/auth/me?x=1"));
  EXPECT_EQ(wrong.result(), bhttp::status::method_not_allowed);
  EXPECT_EQ(wrong[bhttp::field::allow], "GET");
  EXPECT_EQ(wrong[bhttp::field::cache_control], "no-store");
}

// --- metrics ---

TEST_F(DispatcherTest, RequestsAreCountedUnderTheRoutePatternNotThePath) {
  Run(Make(bhttp::verb::get, "/api/v1/auth/sessions/s1?secret=x"));
  Run(Make(bhttp::verb::get, "/api/v1/auth/sessions/s2"));
  Run(Make(bhttp::verb::get, "/api/v1/auth/me"));
  EXPECT_EQ(RequestCount(kSessionRoute, "GET", "200"), 2);
  EXPECT_EQ(RequestCount("/api/v1/auth/me", "GET", "200"), 1);
  std::string text = metrics_.Render(std::nullopt);
  EXPECT_EQ(text.find("s1"), std::string::npos);
  EXPECT_EQ(text.find("secret"), std::string::npos);
  EXPECT_EQ(SampleValue(std::string("gatehouse_http_request_duration_seconds_"
                                    "count{route=\"") +
                        kSessionRoute + "\"} "),
            2);
}

TEST_F(DispatcherTest, UnmatchedRequestsShareOneLabel) {
  Run(Make(bhttp::verb::get, "/nope/1"));
  Run(Make(bhttp::verb::get, "/nope/2"));
  Run(Make(bhttp::verb::delete_, "/api/v1/auth/me"));
  Request preflight = Make(bhttp::verb::options, "/api/v1/auth/logout");
  preflight.set(bhttp::field::origin, "https://app.example.com");
  preflight.set(bhttp::field::access_control_request_method, "POST");
  Run(preflight);
  EXPECT_EQ(RequestCount("unmatched", "GET", "404"), 2);
  EXPECT_EQ(RequestCount("unmatched", "DELETE", "405"), 1);
  EXPECT_EQ(RequestCount("unmatched", "OPTIONS", "204"), 1);
  EXPECT_EQ(metrics_.Render(std::nullopt).find("/nope"), std::string::npos);
}

TEST_F(DispatcherTest, RejectionsAreCountedWithTheirStatus) {
  Request req = Make(bhttp::verb::post, "/api/v1/auth/logout");
  req.set(bhttp::field::cookie, "refresh_token=abc");
  req.set(bhttp::field::origin, "https://evil.example");
  Run(req);
  EXPECT_EQ(RequestCount("/api/v1/auth/logout", "POST", "403"), 1);
  EXPECT_EQ(RequestCount("/api/v1/auth/logout", "POST", "200"), -1);
}

TEST_F(DispatcherTest, FullHashingQueueIsCountedAsOverload) {
  DispatchOptions options = Options();
  options.max_pending_hashes = 0;
  Dispatcher full(router_, origins_, crypto_, options, storage_pool_,
                  hash_pool_, &metrics_);
  Response res = RunOn(full, MakeJson(bhttp::verb::post, "/api/v1/auth/login"));
  EXPECT_EQ(res.result(), bhttp::status::service_unavailable);
  EXPECT_EQ(res[bhttp::field::retry_after], "1");
  EXPECT_EQ(handled_, 0);
  EXPECT_EQ(SampleValue("gatehouse_login_overload_total "), 1);
  EXPECT_EQ(RequestCount("/api/v1/auth/login", "POST", "503"), 1);
  // A sign-in that gets a hashing slot is not an overload.
  EXPECT_EQ(Run(MakeJson(bhttp::verb::post, "/api/v1/auth/login")).result(),
            bhttp::status::ok);
  EXPECT_EQ(SampleValue("gatehouse_login_overload_total "), 1);
}

TEST_F(DispatcherTest, WorksWithoutMetrics) {
  Dispatcher uncounted(router_, origins_, crypto_, Options(), storage_pool_,
                       hash_pool_);
  EXPECT_EQ(
      RunOn(uncounted, Make(bhttp::verb::get, "/api/v1/auth/me")).result(),
      bhttp::status::ok);
  EXPECT_EQ(RunOn(uncounted, Make(bhttp::verb::get, "/nope")).result(),
            bhttp::status::not_found);
}

// --- client ip ---

TEST_F(DispatcherTest, HandlersSeeThePeerWhenItIsNotATrustedProxy) {
  Request req = Make(bhttp::verb::get, "/api/v1/auth/sessions/s1");
  req.set(kForwardedForHeader, "1.2.3.4");
  EXPECT_EQ(Run(req, "203.0.113.9").result(), bhttp::status::ok);
  EXPECT_EQ(SeenClientIp(), "203.0.113.9");
}

TEST_F(DispatcherTest, HandlersSeeTheForwardedClientBehindTrustedProxies) {
  Request req = Make(bhttp::verb::get, "/api/v1/auth/sessions/s1");
  req.set(kForwardedForHeader, "1.2.3.4, 198.51.100.7, 10.0.0.9");
  EXPECT_EQ(Run(req, "10.0.0.1").result(), bhttp::status::ok);
  EXPECT_EQ(SeenClientIp(), "198.51.100.7");
  Request v6 = Make(bhttp::verb::get, "/api/v1/auth/sessions/s1");
  v6.set(kForwardedForHeader, "2001:db8::7");
  EXPECT_EQ(Run(v6, "fd00::1").result(), bhttp::status::ok);
  EXPECT_EQ(SeenClientIp(), "2001:db8::7");
}

TEST_F(DispatcherTest, DefaultOptionsTrustNoProxy) {
  DispatchOptions options;
  Dispatcher plain(router_, origins_, crypto_, options, storage_pool_,
                   hash_pool_);
  Request req = Make(bhttp::verb::get, "/api/v1/auth/sessions/s1");
  req.set(kForwardedForHeader, "1.2.3.4");
  EXPECT_EQ(RunOn(plain, req, "10.0.0.1").result(), bhttp::status::ok);
  EXPECT_EQ(SeenClientIp(), "10.0.0.1");
}

// A storage route's inline attempt answers on the calling (network)
// thread when it can; when it declines, the handler runs on the pool.
TEST_F(DispatcherTest, InlineAttemptAnswersOnTheNetworkThreadOrDeclines) {
  Router router;
  std::mutex mu;
  std::thread::id attempt_thread, handler_thread;
  bool decline = false;
  router.Add({bhttp::verb::get, "/api/v1/auth/check", Work::kStorage,
              [&](const RequestContext&) {
                std::lock_guard lock(mu);
                handler_thread = std::this_thread::get_id();
                return Response{bhttp::status::accepted, 11};
              },
              kNoFlags,
              [&](const RequestContext&) -> std::optional<Response> {
                std::lock_guard lock(mu);
                attempt_thread = std::this_thread::get_id();
                if (decline) return std::nullopt;
                return Response{bhttp::status::ok, 11};
              }});
  Dispatcher dispatcher(router, origins_, crypto_, Options(), storage_pool_,
                        hash_pool_, &metrics_);
  Request req{bhttp::verb::get, "/api/v1/auth/check", 11};

  EXPECT_EQ(RunOn(dispatcher, req).result(), bhttp::status::ok);
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(attempt_thread, std::this_thread::get_id());
    EXPECT_EQ(handler_thread, std::thread::id()) << "the pool was skipped";
    decline = true;
  }
  EXPECT_EQ(RunOn(dispatcher, req).result(), bhttp::status::accepted);
  std::lock_guard lock(mu);
  EXPECT_NE(handler_thread, std::thread::id());
  EXPECT_NE(handler_thread, std::this_thread::get_id()) << "ran on the pool";
}

}  // namespace
}  // namespace gatehouse
