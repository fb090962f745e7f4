#include "app/config_check.h"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

// A production config that passes every check; each test breaks one thing.
Config Sound() {
  Config c;
  c.public_url = "https://api.example.com";
  c.cookie.domain = ".example.com";
  c.trusted_origins = {"https://app.example.com"};
  c.master_key_hex = std::string(64, 'f');
  c.internal_secret = std::string(32, 's');
  return c;
}

// The settings named by error-level problems.
std::vector<std::string> Errors(const Config& c) {
  std::vector<std::string> out;
  for (const auto& p : CheckConfig(c)) {
    if (p.severity == ConfigProblem::Severity::kError) out.push_back(p.setting);
  }
  return out;
}

bool Refuses(const Config& c, const std::string& setting) {
  auto e = Errors(c);
  return std::find(e.begin(), e.end(), setting) != e.end();
}

TEST(ConfigCheckTest, SoundProductionConfigPasses) {
  EXPECT_TRUE(Errors(Sound()).empty());
}

TEST(ConfigCheckTest, RefusesInsecureCookiesInProduction) {
  Config c = Sound();
  c.cookie.secure = false;
  EXPECT_TRUE(Refuses(c, "GATEHOUSE_COOKIE_SECURE"));
  c.dev = true;
  EXPECT_FALSE(Refuses(c, "GATEHOUSE_COOKIE_SECURE"));
}

TEST(ConfigCheckTest, RefusesSameSiteNoneWithoutSecureEvenInDev) {
  Config c = Sound();
  c.dev = true;
  c.cookie.secure = false;
  c.cookie.same_site = SameSite::kNone;
  EXPECT_TRUE(Refuses(c, "GATEHOUSE_COOKIE_SAMESITE"));
}

TEST(ConfigCheckTest, RefusesHostPrefixWithDomainAndPrefixesWithoutSecure) {
  Config c = Sound();
  c.cookie.access_name = "__Host-access";
  EXPECT_TRUE(Refuses(c, "GATEHOUSE_ACCESS_COOKIE"));
  c.cookie.domain = "";
  EXPECT_FALSE(Refuses(c, "GATEHOUSE_ACCESS_COOKIE"));
  Config s = Sound();
  s.dev = true;
  s.cookie.secure = false;
  s.cookie.refresh_name = "__Secure-refresh";
  EXPECT_TRUE(Refuses(s, "GATEHOUSE_REFRESH_COOKIE"));
}

TEST(ConfigCheckTest, RefusesPublicSuffixCookieDomains) {
  for (const char* suffix : {".com", "vercel.app", ".com.np", ".co.uk"}) {
    Config c = Sound();
    c.cookie.domain = suffix;
    EXPECT_TRUE(Refuses(c, "GATEHOUSE_COOKIE_DOMAIN")) << suffix;
  }
  EXPECT_TRUE(IsPublicSuffix("github.io"));
  EXPECT_FALSE(IsPublicSuffix(".example.com.np"));
}

TEST(ConfigCheckTest, RefusesPlainHttpPublicUrlExceptLoopback) {
  Config c = Sound();
  c.public_url = "http://api.example.com";
  EXPECT_TRUE(Refuses(c, "GATEHOUSE_PUBLIC_URL"));
  c.public_url = "http://127.0.0.1:8080";
  EXPECT_FALSE(Refuses(c, "GATEHOUSE_PUBLIC_URL"));
  c.public_url = "http://localhost:8080";
  EXPECT_FALSE(Refuses(c, "GATEHOUSE_PUBLIC_URL"));
  c.public_url = "";
  EXPECT_TRUE(Refuses(c, "GATEHOUSE_PUBLIC_URL"));
}

TEST(ConfigCheckTest, RefusesMissingOrMalformedMasterKeyInProduction) {
  Config c = Sound();
  c.master_key_hex = "";
  EXPECT_TRUE(Refuses(c, "GATEHOUSE_MASTER_KEY"));
  c.dev = true;
  EXPECT_FALSE(Refuses(c, "GATEHOUSE_MASTER_KEY"));
  c.master_key_hex = "xyz";
  EXPECT_TRUE(Refuses(c, "GATEHOUSE_MASTER_KEY"));
}

TEST(ConfigCheckTest, RefusesContradictoryLifetimesAndWeakSecrets) {
  Config c = Sound();
  c.auth.access_ttl = c.auth.refresh_ttl;
  EXPECT_TRUE(Refuses(c, "GATEHOUSE_ACCESS_TTL"));
  Config m = Sound();
  m.auth.session_max_age = std::chrono::days(1);
  EXPECT_TRUE(Refuses(m, "GATEHOUSE_SESSION_MAX_AGE"));
  Config h = Sound();
  h.jwt_alg = "HS256";
  h.jwt_secret = "short";
  EXPECT_TRUE(Refuses(h, "GATEHOUSE_JWT_SECRET"));
  h.jwt_secret = std::string(32, 'k');
  EXPECT_FALSE(Refuses(h, "GATEHOUSE_JWT_SECRET"));
  Config o = Sound();
  o.trusted_origins = {"*"};
  EXPECT_TRUE(Refuses(o, "GATEHOUSE_TRUSTED_ORIGINS"));
}

}  // namespace
}  // namespace gatehouse
