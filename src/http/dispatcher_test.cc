#include "http/dispatcher.h"

#include <gtest/gtest.h>

#include <future>

#include "crypto/sodium_crypto.h"

namespace gatehouse {
namespace {

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";

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
    router_.Add(
        {bhttp::verb::post, "/api/v1/auth/login", Work::kPasswordHash, ok});
    DispatchOptions options;
    options.auth_cookie_names = {"access_token", "refresh_token"};
    options.internal_secret = kSecret;
    dispatcher_ = std::make_unique<Dispatcher>(
        router_, origins_, crypto_, options, storage_pool_, hash_pool_);
  }
  ~DispatcherTest() override {
    storage_pool_.join();
    hash_pool_.join();
  }

  Response Run(const Request& req) {
    net::io_context ioc;
    auto future = net::co_spawn(ioc, dispatcher_->Handle(req, "127.0.0.1"),
                                net::use_future);
    ioc.run();
    return future.get();
  }

  static Request Make(bhttp::verb method, std::string target) {
    Request req{method, target, 11};
    return req;
  }

  Router router_;
  OriginPolicy origins_;
  SodiumCrypto crypto_;
  net::thread_pool storage_pool_{1};
  net::thread_pool hash_pool_{1};
  std::unique_ptr<Dispatcher> dispatcher_;
  std::atomic<int> handled_{0};
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
  Request req = Make(bhttp::verb::post, "/api/v1/auth/login");
  req.set(bhttp::field::origin, "https://evil.example");
  req.set(bhttp::field::cookie, "theme=dark");
  EXPECT_EQ(Run(req).result(), bhttp::status::ok);
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

}  // namespace
}  // namespace gatehouse
