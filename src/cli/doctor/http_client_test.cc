#include "cli/doctor/http_client.h"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

TEST(ParseResolveRuleTest, HostPortAddressAsCurlHasIt) {
  auto rule = ParseResolveRule("API.Example.test:8443:127.0.0.1");
  ASSERT_TRUE(rule.ok()) << rule.error().message;
  EXPECT_EQ(rule->host, "api.example.test");
  EXPECT_EQ(rule->port, 8443);
  EXPECT_EQ(rule->address, "127.0.0.1");
  auto v6 = ParseResolveRule("[::1]:443:[::1]");
  ASSERT_TRUE(v6.ok()) << v6.error().message;
  EXPECT_EQ(v6->host, "[::1]");
  EXPECT_EQ(v6->address, "::1");
  auto bare_v6 = ParseResolveRule("api.example.test:443:::1");
  ASSERT_TRUE(bare_v6.ok());
  EXPECT_EQ(bare_v6->address, "::1");
}

TEST(ParseResolveRuleTest, SaysWhatIsWrong) {
  for (const char* bad :
       {"", "api.example.test", "api.example.test:443",
        "api.example.test:http:127.0.0.1", "api.example.test:0:127.0.0.1",
        "api.example.test:70000:127.0.0.1", ":443:127.0.0.1",
        "api.example.test:443:localhost", "[::1:443:::1"}) {
    auto rule = ParseResolveRule(bad);
    ASSERT_FALSE(rule.ok()) << bad;
    EXPECT_EQ(rule.error().code, ErrorCode::kValidationFailed);
    EXPECT_NE(rule.error().message.find("HOST:PORT:ADDRESS"),
              std::string::npos);
  }
}

TEST(HttpResponseTest, HeadersByNameIgnoringCase) {
  HttpResponse r;
  r.headers = {{"Set-Cookie", "a=1"},
               {"Content-Type", "application/json"},
               {"set-cookie", "b=2"}};
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Header("SET-COOKIE"), "a=1");
  EXPECT_EQ(r.Headers("Set-Cookie"), (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_EQ(r.Header("Retry-After"), "");
  EXPECT_TRUE(r.Headers("Retry-After").empty());
}

TEST(HttpClientTest, RefusesWhatIsNotAnHttpUrlBeforeAnyConnection) {
  HttpClient client({});
  for (const char* url :
       {"ftp://api.example.com/", "api.example.com", "https://user@host/"}) {
    auto answer = client.Send("POST", url, {}, "");
    ASSERT_FALSE(answer.ok()) << url;
    EXPECT_EQ(answer.error().code, ErrorCode::kValidationFailed);
  }
}

}  // namespace
}  // namespace gatehouse
