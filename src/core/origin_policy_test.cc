#include "core/origin_policy.h"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

TEST(NormalizeOriginTest, KeepsSchemeHostAndNonDefaultPort) {
  EXPECT_EQ(NormalizeOrigin("https://App.Example.com"),
            "https://app.example.com");
  EXPECT_EQ(NormalizeOrigin("https://app.example.com:443/x?y#z"),
            "https://app.example.com");
  EXPECT_EQ(NormalizeOrigin("http://localhost:3000/login"),
            "http://localhost:3000");
  EXPECT_EQ(NormalizeOrigin("http://[::1]:8080"), "http://[::1]:8080");
}

TEST(NormalizeOriginTest, RejectsNonHttpAndSpoofingShapes) {
  for (std::string_view bad :
       {"null", "", "app.example.com", "ftp://x", "https://",
        "https://user@evil.example", "https://evil.example\\@app.example.com",
        "javascript:alert(1)"}) {
    EXPECT_FALSE(NormalizeOrigin(bad).has_value()) << bad;
  }
}

class OriginPolicyTest : public ::testing::Test {
 protected:
  OriginPolicy policy_{"https://api.example.com",
                       {"https://app.example.com", "http://localhost:3000/"}};
};

TEST_F(OriginPolicyTest, TrustsConfiguredOriginsAndItsOwn) {
  EXPECT_TRUE(policy_.IsTrusted("https://app.example.com"));
  EXPECT_TRUE(policy_.IsTrusted("https://api.example.com"));
  EXPECT_TRUE(policy_.IsTrusted("http://localhost:3000"));
  EXPECT_FALSE(policy_.IsTrusted("https://evil.example"));
  EXPECT_FALSE(policy_.IsTrusted("https://app.example.com.evil.example"));
  EXPECT_FALSE(policy_.IsTrusted("http://app.example.com"));
  EXPECT_FALSE(policy_.IsTrusted("null"));
}

TEST_F(OriginPolicyTest, CsrfJudgesOriginFirstThenReferer) {
  EXPECT_TRUE(
      policy_.AllowsCookieWrite("https://app.example.com", std::nullopt));
  // A bad Origin is not rescued by a good Referer.
  EXPECT_FALSE(policy_.AllowsCookieWrite("https://evil.example",
                                         "https://app.example.com/page"));
  EXPECT_TRUE(policy_.AllowsCookieWrite(std::nullopt,
                                        "https://app.example.com/page?q=1"));
  EXPECT_FALSE(
      policy_.AllowsCookieWrite(std::nullopt, "https://evil.example/"));
  EXPECT_FALSE(policy_.AllowsCookieWrite(std::nullopt, std::nullopt));
}

TEST_F(OriginPolicyTest, LoginCsrfJudgesOriginThenRefererAndPassesNeither) {
  EXPECT_TRUE(policy_.AllowsSignIn("https://app.example.com", std::nullopt));
  EXPECT_TRUE(policy_.AllowsSignIn(std::nullopt, "https://api.example.com/x"));
  EXPECT_FALSE(policy_.AllowsSignIn("https://evil.example", std::nullopt));
  EXPECT_FALSE(policy_.AllowsSignIn("null", std::nullopt));
  EXPECT_FALSE(policy_.AllowsSignIn("https://evil.example",
                                    "https://app.example.com/login"));
  EXPECT_FALSE(policy_.AllowsSignIn(std::nullopt, "https://evil.example/"));
  EXPECT_FALSE(policy_.AllowsSignIn(std::nullopt, "not a url"));
  // Non-browser clients send neither header.
  EXPECT_TRUE(policy_.AllowsSignIn(std::nullopt, std::nullopt));
}

TEST(StateChangingMethodTest, OnlyWritesChangeState) {
  for (auto m : {"POST", "PUT", "PATCH", "DELETE"})
    EXPECT_TRUE(IsStateChangingMethod(m));
  for (auto m : {"GET", "HEAD", "OPTIONS"})
    EXPECT_FALSE(IsStateChangingMethod(m));
}

}  // namespace
}  // namespace gatehouse
