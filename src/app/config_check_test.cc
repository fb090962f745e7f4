#include "app/config_check.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "app/libpsl_public_suffix_list.h"

namespace gatehouse {
namespace {

const LibPslPublicSuffixList& Psl() {
  static const LibPslPublicSuffixList psl;
  return psl;
}

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

// The settings named by error-level findings.
std::vector<std::string> Errors(const Config& c,
                                const DeploymentUrls& urls = {}) {
  std::vector<std::string> out;
  for (const auto& p : CheckConfig(c, Psl(), urls)) {
    if (p.severity == Severity::kError) out.push_back(p.setting);
  }
  return out;
}

std::vector<std::string> Ids(const Config& c, const DeploymentUrls& urls = {}) {
  std::vector<std::string> out;
  for (const auto& p : CheckConfig(c, Psl(), urls)) out.push_back(p.id);
  return out;
}

bool Refuses(const Config& c, const std::string& setting) {
  auto e = Errors(c);
  return std::find(e.begin(), e.end(), setting) != e.end();
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(ConfigCheckTest, SoundProductionConfigPasses) {
  EXPECT_TRUE(CheckConfig(Sound(), Psl()).empty());
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
  EXPECT_TRUE(Psl().IsPublicSuffix("github.io"));
  EXPECT_FALSE(Psl().IsPublicSuffix(".example.com.np"));
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

TEST(ConfigCheckTest, RefusesTrustedProxiesThatDoNotParse) {
  Config c = Sound();
  c.trusted_proxies = {"10.0.0.1/8"};
  EXPECT_TRUE(Refuses(c, "GATEHOUSE_TRUSTED_PROXIES"));
  c.trusted_proxies = {"10.0.0.0/8"};
  EXPECT_FALSE(Refuses(c, "GATEHOUSE_TRUSTED_PROXIES"));
}

TEST(ConfigCheckTest, ServeTakesTheAppsFromTheTrustedOrigins) {
  // The F6 field topology, as serve sees it: the app's origin trusted.
  Config c = Sound();
  c.public_url = "https://api.school.example.com.np";
  c.cookie.domain = ".school.example.com.np";
  c.trusted_origins = {"https://school-web.vercel.app"};
  EXPECT_TRUE(Contains(Ids(c), "app-cross-site"));
  EXPECT_TRUE(Refuses(c, "GATEHOUSE_TRUSTED_ORIGINS"));
  c.dev = true;
  EXPECT_FALSE(Refuses(c, "GATEHOUSE_TRUSTED_ORIGINS")) << "--dev: a warning";
  c.dev = false;
  c.trusted_origins = {"https://app.school.example.com.np"};
  EXPECT_TRUE(CheckConfig(c, Psl()).empty());
}

TEST(ConfigCheckTest, DoctorUrlsReplaceTheConfiguredOnes) {
  Config c = Sound();
  DeploymentUrls urls{"https://api.example.com",
                      {"https://school-web.vercel.app"}};
  auto ids = Ids(c, urls);
  EXPECT_TRUE(Contains(ids, "app-cross-site"));
  EXPECT_TRUE(Contains(ids, "app-origin-untrusted"));
  DeploymentFacts facts = FactsFromConfig(c, urls);
  EXPECT_EQ(facts.app_urls_setting, "") << "given on the command line";
  EXPECT_EQ(FactsFromConfig(c).app_urls_setting, "GATEHOUSE_TRUSTED_ORIGINS");
  EXPECT_EQ(FactsFromConfig(c).api_url, c.public_url);
}

TEST(ConfigCheckTest, FactsCarrySecretsAsShapesOnly) {
  Config c = Sound();
  c.internal_secret = "a-secret-of-this-many-bytes";
  c.master_key_hex = "not-hex-and-not-64";
  DeploymentFacts f = FactsFromConfig(c);
  EXPECT_TRUE(f.internal_secret.set);
  EXPECT_EQ(f.internal_secret.bytes, c.internal_secret.size());
  EXPECT_EQ(f.master_key, MasterKeyShape::kMalformed);
  EXPECT_EQ(f.master_key_problem.find("not-hex"), std::string::npos);
  for (const Finding& finding : CheckConfig(c, Psl())) {
    for (const std::string* text :
         {&finding.title, &finding.why, &finding.fix}) {
      EXPECT_EQ(text->find(c.internal_secret), std::string::npos) << *text;
      EXPECT_EQ(text->find(c.master_key_hex), std::string::npos) << *text;
    }
  }
}

}  // namespace
}  // namespace gatehouse
