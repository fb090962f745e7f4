#include "cli/doctor/live.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <deque>

#include "core/cookie_policy.h"

namespace gatehouse {
namespace {

std::string Envelope(bool success, std::string code = "") {
  boost::json::object o{{"success", success}, {"message", "m"}};
  if (!code.empty()) o["code"] = code;
  return boost::json::serialize(o);
}

HttpResponse Answer(int status, bool success,
                    const std::vector<std::string>& set_cookies = {},
                    std::string code = "") {
  HttpResponse r;
  r.status = status;
  r.body = Envelope(success, std::move(code));
  for (const std::string& line : set_cookies) {
    r.headers.emplace_back("Set-Cookie", line);
  }
  return r;
}

// Records every request and plays back scripted answers.
class FakeTransport : public LiveTransport {
 public:
  struct Sent {
    std::string url;
    HttpHeaders headers;
    std::string body;
    std::string Header(std::string_view name) const {
      for (const auto& [k, v] : headers) {
        if (k == name) return v;
      }
      return "";
    }
  };

  void Then(Result<HttpResponse> answer) { answers_.push_back(answer); }

  Result<HttpResponse> Post(std::string_view url, const HttpHeaders& headers,
                            std::string_view body) override {
    sent.push_back({std::string(url), headers, std::string(body)});
    if (answers_.empty()) {
      return MakeError(ErrorCode::kUnavailable, "no answer scripted");
    }
    Result<HttpResponse> next = answers_.front();
    answers_.pop_front();
    return next;
  }

  std::vector<Sent> sent;

 private:
  std::deque<Result<HttpResponse>> answers_;
};

class TakeLiveStepsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    run_.api = *ParseWebUrl("https://api.example.com");
    run_.email = "doctor@example.com";
    run_.origin = "https://app.example.com";
    // A real browser's cookies: they must never be sent.
    run_.browser_cookies = {{"refresh_token", "pasted-SECRET"}};
  }

  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const LiveStep& s : run_.steps) names.push_back(s.name);
    return names;
  }

  CookiePolicy policy_{CookieSettings{}};
  LiveRun run_;
  FakeTransport transport_;
};

TEST_F(TakeLiveStepsTest, SignsInRefreshesAndSignsOutAsTheAppsBrowser) {
  transport_.Then(Answer(200, true,
                         policy_.SetAuthCookies("a1", std::chrono::minutes(1),
                                                "r1", std::chrono::hours(1))));
  transport_.Then(Answer(200, true,
                         policy_.SetAuthCookies("a2", std::chrono::minutes(1),
                                                "r2", std::chrono::hours(1))));
  transport_.Then(Answer(200, true, policy_.ClearAuthCookies()));
  TakeLiveSteps(run_, "https://api.example.com/", "pass \"word\"", transport_);

  EXPECT_EQ(Names(), (std::vector<std::string>{"login", "refresh", "logout"}));
  ASSERT_EQ(transport_.sent.size(), 3u);
  const auto& login = transport_.sent[0];
  EXPECT_EQ(login.url, "https://api.example.com/api/v1/auth/login");
  EXPECT_EQ(login.Header("Origin"), "https://app.example.com");
  EXPECT_EQ(login.Header("Content-Type"), "application/json");
  EXPECT_EQ(login.Header("User-Agent"), DoctorUserAgent());
  EXPECT_EQ(login.Header("Cookie"), "");
  auto body = boost::json::parse(login.body).as_object();
  EXPECT_EQ(body.at("email"), "doctor@example.com");
  EXPECT_EQ(body.at("password"), "pass \"word\"");

  EXPECT_EQ(transport_.sent[1].url,
            "https://api.example.com/api/v1/auth/refresh");
  EXPECT_EQ(transport_.sent[1].Header("Cookie"),
            "access_token=a1; refresh_token=r1");
  EXPECT_EQ(transport_.sent[1].Header("Origin"), "https://app.example.com");
  EXPECT_EQ(transport_.sent[2].url,
            "https://api.example.com/api/v1/auth/logout");
  EXPECT_EQ(transport_.sent[2].Header("Cookie"),
            "access_token=a2; refresh_token=r2");
  for (const auto& sent : transport_.sent) {
    EXPECT_EQ(sent.Header("Cookie").find("pasted-SECRET"), std::string::npos);
  }
  EXPECT_EQ(run_.steps[0].path, "/api/v1/auth/login");
  EXPECT_EQ(run_.steps[2].response.Headers("Set-Cookie").size(), 2u);
}

TEST_F(TakeLiveStepsTest, RoutesGoUnderTheApiUrlsPath) {
  transport_.Then(Answer(401, false, {}, "INVALID_CREDENTIALS"));
  TakeLiveSteps(run_, "https://example.com/auth/?x=1#top", "p", transport_);
  ASSERT_EQ(transport_.sent.size(), 1u);
  EXPECT_EQ(transport_.sent[0].url,
            "https://example.com/auth/api/v1/auth/login");
}

TEST_F(TakeLiveStepsTest, StopsAfterAFailedLoginOrOneWithoutCookies) {
  transport_.Then(Answer(401, false, {}, "INVALID_CREDENTIALS"));
  TakeLiveSteps(run_, "https://api.example.com", "p", transport_);
  EXPECT_EQ(Names(), std::vector<std::string>{"login"});

  run_.steps.clear();
  transport_.Then(Answer(200, true));
  TakeLiveSteps(run_, "https://api.example.com", "p", transport_);
  EXPECT_EQ(Names(), std::vector<std::string>{"login"});

  run_.steps.clear();
  transport_.Then(MakeError(ErrorCode::kUnavailable, "refused"));
  TakeLiveSteps(run_, "https://api.example.com", "p", transport_);
  ASSERT_EQ(run_.steps.size(), 1u);
  EXPECT_EQ(run_.steps[0].error, "refused");
}

TEST_F(TakeLiveStepsTest, AfterAFailedRefreshItStillEndsTheSession) {
  transport_.Then(Answer(200, true,
                         policy_.SetAuthCookies("a1", std::chrono::minutes(1),
                                                "r1", std::chrono::hours(1))));
  // F8: an invalid refresh clears both cookies in its answer.
  transport_.Then(
      Answer(401, false, policy_.ClearAuthCookies(), "INVALID_REFRESH_TOKEN"));
  transport_.Then(Answer(200, true, policy_.ClearAuthCookies()));
  TakeLiveSteps(run_, "https://api.example.com", "p", transport_);
  EXPECT_EQ(Names(), (std::vector<std::string>{"login", "refresh", "logout"}));
  EXPECT_EQ(transport_.sent[2].Header("Cookie"),
            "access_token=a1; refresh_token=r1");
}

TEST_F(TakeLiveStepsTest, ARefusedSignOutIsRepeatedFromTheApisOwnOrigin) {
  transport_.Then(Answer(200, true,
                         policy_.SetAuthCookies("a1", std::chrono::minutes(1),
                                                "r1", std::chrono::hours(1))));
  transport_.Then(Answer(403, false, {}, "CSRF_REJECTED"));
  transport_.Then(Answer(403, false, {}, "CSRF_REJECTED"));
  transport_.Then(Answer(200, true, policy_.ClearAuthCookies()));
  TakeLiveSteps(run_, "https://api.example.com", "p", transport_);
  EXPECT_EQ(Names(), (std::vector<std::string>{"login", "refresh", "logout",
                                               kLiveCleanupStep}));
  EXPECT_EQ(transport_.sent[3].Header("Origin"), "https://api.example.com");
  EXPECT_EQ(transport_.sent[3].Header("Cookie"),
            "access_token=a1; refresh_token=r1");

  // From the API's own origin there is nothing to repeat.
  run_.steps.clear();
  run_.origin = "https://api.example.com";
  transport_.Then(Answer(200, true,
                         policy_.SetAuthCookies("a1", std::chrono::minutes(1),
                                                "r1", std::chrono::hours(1))));
  transport_.Then(Answer(403, false, {}, "CSRF_REJECTED"));
  transport_.Then(Answer(403, false, {}, "CSRF_REJECTED"));
  TakeLiveSteps(run_, "https://api.example.com", "p", transport_);
  EXPECT_EQ(Names(), (std::vector<std::string>{"login", "refresh", "logout"}));
}

}  // namespace
}  // namespace gatehouse
