#include "core/checks/deployment_checks.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "testing/fake_public_suffix_list.h"

namespace gatehouse {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::seconds;

const FakePublicSuffixList kPsl({"com.np", "vercel.app", "co.uk"});

// A sound production deployment: the API and one app on subdomains of
// example.com. Each test breaks one thing.
DeploymentFacts Sound() {
  DeploymentFacts f;
  f.cookie.domain = ".example.com";
  f.trusted_origins = {"https://app.example.com"};
  f.access_ttl = minutes(15);
  f.refresh_ttl = days(30);
  f.refresh_grace = seconds(30);
  f.session_max_age = days(90);
  f.internal_secret = {true, 64};
  f.master_key = MasterKeyShape::kValid;
  f.jwt_alg = "EdDSA";
  f.public_url = "https://api.example.com";
  f.api_url = f.public_url;
  f.app_urls = {"https://app.example.com"};
  f.app_urls_setting = "GATEHOUSE_TRUSTED_ORIGINS";
  return f;
}

// The F6 field topology: the API on a school's domain under com.np, the
// app on Vercel.
DeploymentFacts Field() {
  DeploymentFacts f = Sound();
  f.cookie.domain = ".school.example.com.np";
  f.public_url = f.api_url = "https://api.school.example.com.np";
  f.trusted_origins = f.app_urls = {"https://school-web.vercel.app"};
  return f;
}

std::optional<Finding> Find(const DeploymentFacts& f, std::string_view id) {
  for (const Finding& finding : CheckDeployment(f, kPsl)) {
    if (finding.id == id) return finding;
  }
  return std::nullopt;
}

bool Has(const DeploymentFacts& f, std::string_view id) {
  return Find(f, id).has_value();
}

std::optional<Severity> SeverityOf(const DeploymentFacts& f,
                                   std::string_view id) {
  auto finding = Find(f, id);
  if (!finding) return std::nullopt;
  return finding->severity;
}

std::string Dump(const DeploymentFacts& f) {
  std::string out;
  for (const Finding& finding : CheckDeployment(f, kPsl)) {
    out += std::string(SeverityName(finding.severity)) + " " + finding.id +
           ": " + finding.title + "\n";
  }
  return out;
}

TEST(DeploymentChecksTest, SoundDeploymentHasNoFindings) {
  EXPECT_TRUE(CheckDeployment(Sound(), kPsl).empty()) << Dump(Sound());
}

TEST(DeploymentChecksTest, EveryFindingSaysWhatWhyAndFix) {
  DeploymentFacts f = Field();
  f.cookie.secure = false;
  f.master_key = MasterKeyShape::kUnset;
  auto findings = CheckDeployment(f, kPsl);
  ASSERT_FALSE(findings.empty());
  for (const Finding& finding : findings) {
    EXPECT_FALSE(finding.title.empty()) << finding.id;
    EXPECT_FALSE(finding.why.empty()) << finding.id;
    EXPECT_FALSE(finding.fix.empty()) << finding.id;
    EXPECT_EQ(finding.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz-"),
              std::string::npos)
        << finding.id;
  }
}

TEST(DeploymentChecksTest, ErrorsComeFirstThenWarningsThenNotes) {
  DeploymentFacts f = Sound();
  f.refresh_grace = minutes(10);              // warning
  f.cookie.same_site = SameSite::kStrict;     // note
  f.master_key = MasterKeyShape::kMalformed;  // error
  auto findings = CheckDeployment(f, kPsl);
  ASSERT_EQ(findings.size(), 3u) << Dump(f);
  EXPECT_EQ(findings[0].severity, Severity::kError);
  EXPECT_EQ(findings[1].severity, Severity::kWarning);
  EXPECT_EQ(findings[2].severity, Severity::kNote);
  EXPECT_EQ(SeverityName(findings[2].severity), "note");
}

// --- F6: the app on another site ------------------------------------------

TEST(DeploymentChecksTest, F6_AppOnAnotherSiteWithAFixUnderTheApisDomain) {
  DeploymentFacts f = Field();
  auto finding = Find(f, "app-cross-site");
  ASSERT_TRUE(finding) << Dump(f);
  EXPECT_EQ(finding->severity, Severity::kError);
  EXPECT_EQ(finding->setting, "GATEHOUSE_TRUSTED_ORIGINS");
  EXPECT_NE(finding->why.find("vercel.app is a public suffix"),
            std::string::npos)
      << finding->why;
  EXPECT_NE(finding->why.find("https://example.com.np"), std::string::npos);
  EXPECT_NE(finding->fix.find("https://app.school.example.com.np"),
            std::string::npos)
      << finding->fix;
  EXPECT_NE(finding->fix.find("https://school-web.example.com.np"),
            std::string::npos)
      << finding->fix;
  // No cookie Domain can span two sites: F4 is not piled on top.
  EXPECT_FALSE(Has(f, "cookie-domain-misses-app")) << Dump(f);
}

TEST(DeploymentChecksTest, AppOnASubdomainOfTheApisDomainClearsF6) {
  DeploymentFacts f = Field();
  f.trusted_origins = f.app_urls = {"https://app.school.example.com.np"};
  EXPECT_TRUE(CheckDeployment(f, kPsl).empty()) << Dump(f);
  f.cookie.domain = ".example.com.np";
  f.trusted_origins = f.app_urls = {"https://school-web.example.com.np"};
  EXPECT_TRUE(CheckDeployment(f, kPsl).empty()) << Dump(f);
}

TEST(DeploymentChecksTest, SchemeAloneMakesAnotherSite) {
  DeploymentFacts f = Sound();
  f.public_url = f.api_url = "http://localhost:8080";
  f.trusted_origins = f.app_urls = {"https://localhost:3000"};
  f.cookie.domain = "";
  auto finding = Find(f, "app-cross-site");
  ASSERT_TRUE(finding) << Dump(f);
  EXPECT_NE(finding->fix.find("same scheme"), std::string::npos);
}

TEST(DeploymentChecksTest, CrossSiteIsAWarningInDev) {
  DeploymentFacts f = Field();
  f.dev = true;
  EXPECT_EQ(SeverityOf(f, "app-cross-site"), Severity::kWarning);
}

// --- F4: the cookie Domain must cover the API and the app -----------------

TEST(DeploymentChecksTest, HostOnlyCookiesWithTheAppOnAnotherHostIsF4) {
  DeploymentFacts f = Sound();
  f.cookie.domain = "";
  auto finding = Find(f, "cookie-domain-misses-app");
  ASSERT_TRUE(finding) << Dump(f);
  EXPECT_EQ(finding->severity, Severity::kError);
  EXPECT_EQ(finding->setting, "GATEHOUSE_COOKIE_DOMAIN");
  EXPECT_NE(finding->fix.find("GATEHOUSE_COOKIE_DOMAIN=.example.com "),
            std::string::npos)
      << finding->fix;
  EXPECT_NE(finding->fix.find("GATEHOUSE_COOKIE_OLD_DOMAINS=host-only"),
            std::string::npos)
      << finding->fix;
}

TEST(DeploymentChecksTest, HostOnlyCookiesWithTheAppOnTheApisHostAreFine) {
  DeploymentFacts f = Sound();
  f.cookie.domain = "";
  f.trusted_origins = {};
  f.app_urls = {"https://api.example.com/app"};  // the API's own origin
  EXPECT_FALSE(Has(f, "cookie-domain-misses-app")) << Dump(f);
  f.public_url = f.api_url = "http://localhost:8080";
  f.trusted_origins = f.app_urls = {"http://localhost:3000"};
  EXPECT_FALSE(Has(f, "cookie-domain-misses-app")) << Dump(f);
}

TEST(DeploymentChecksTest, F4_ADomainBesideTheAppWithTheNarrowestFix) {
  DeploymentFacts f = Field();
  f.cookie.domain = ".api.school.example.com.np";
  f.trusted_origins = f.app_urls = {"https://app.school.example.com.np"};
  auto finding = Find(f, "cookie-domain-misses-app");
  ASSERT_TRUE(finding) << Dump(f);
  EXPECT_NE(finding->fix.find("=.school.example.com.np "), std::string::npos)
      << finding->fix;
  EXPECT_NE(finding->fix.find("OLD_DOMAINS=.api.school.example.com.np"),
            std::string::npos)
      << finding->fix;
}

TEST(DeploymentChecksTest, ADomainThatMissesTheApiHost) {
  DeploymentFacts f = Sound();
  f.cookie.domain = ".example.org";
  auto finding = Find(f, "cookie-domain-misses-api");
  ASSERT_TRUE(finding) << Dump(f);
  EXPECT_EQ(finding->severity, Severity::kError);
  EXPECT_NE(finding->fix.find("=.example.com"), std::string::npos);
  EXPECT_FALSE(Has(Sound(), "cookie-domain-misses-api"));
}

// The Domain the F4 fixes suggest: the narrowest covering the API host
// and every app host on its site, never a public suffix.
struct SuggestedDomainCase {
  const char* api;
  std::vector<std::string> apps;
  const char* cookie_domain;
  const char* fix;
};

TEST(DeploymentChecksTest, TheFixOfAnAppTheCookiesMissNamesTheNarrowestDomain) {
  const std::string tail = " so the browser's old cookies are cleared";
  for (const SuggestedDomainCase& c : std::vector<SuggestedDomainCase>{
           {"https://api.example.com",
            {"https://app.example.com"},
            "",
            "GATEHOUSE_COOKIE_DOMAIN=.example.com (covers the API and the "
            "app), and GATEHOUSE_COOKIE_OLD_DOMAINS=host-only"},
           {"https://api.x.example.com",
            {"https://app.x.example.com"},
            "",
            "GATEHOUSE_COOKIE_DOMAIN=.x.example.com (covers the API and the "
            "app), and GATEHOUSE_COOKIE_OLD_DOMAINS=host-only"},
           {"https://api.school.example.com.np",
            {"https://app.school.example.com.np"},
            ".api.school.example.com.np",
            "GATEHOUSE_COOKIE_DOMAIN=.school.example.com.np (covers the API "
            "and the app), and "
            "GATEHOUSE_COOKIE_OLD_DOMAINS=.api.school.example.com.np"},
           // Every app on the API's site widens it, up to the registrable
           // domain...
           {"https://api.school.example.com.np",
            {"https://app.school.example.com.np", "https://web.example.com.np"},
            ".api.school.example.com.np",
            "GATEHOUSE_COOKIE_DOMAIN=.example.com.np (covers the API and the "
            "app), and "
            "GATEHOUSE_COOKIE_OLD_DOMAINS=.api.school.example.com.np"},
           // ...an app on another site does not.
           {"https://api.school.example.com.np",
            {"https://app.school.example.com.np",
             "https://school-web.vercel.app"},
            "",
            "GATEHOUSE_COOKIE_DOMAIN=.school.example.com.np (covers the API "
            "and the app), and GATEHOUSE_COOKIE_OLD_DOMAINS=host-only"},
           // The apex beside a subdomain: the registrable domain.
           {"https://api.example.com",
            {"https://example.com"},
            "",
            "GATEHOUSE_COOKIE_DOMAIN=.example.com (covers the API and the "
            "app), and GATEHOUSE_COOKIE_OLD_DOMAINS=host-only"},
       }) {
    DeploymentFacts f = Sound();
    f.public_url = f.api_url = c.api;
    f.trusted_origins = f.app_urls = c.apps;
    f.cookie.domain = c.cookie_domain;
    auto finding = Find(f, "cookie-domain-misses-app");
    ASSERT_TRUE(finding) << c.api << "\n" << Dump(f);
    EXPECT_EQ(finding->fix, c.fix + tail) << c.api;
  }
}

TEST(DeploymentChecksTest, TheFixOfADomainThatMissesTheApiNamesOneThatCovers) {
  for (const SuggestedDomainCase& c : std::vector<SuggestedDomainCase>{
           {"https://api.example.com",
            {"https://app.example.com"},
            ".example.org",
            "GATEHOUSE_COOKIE_DOMAIN=.example.com"},
           {"https://api.x.example.com",
            {"https://app.x.example.com"},
            ".example.org",
            "GATEHOUSE_COOKIE_DOMAIN=.x.example.com"},
           // Without an app, the API's own host.
           {"https://api.x.example.com",
            {},
            ".example.org",
            "GATEHOUSE_COOKIE_DOMAIN=.api.x.example.com"},
           {"https://api.school.example.com.np",
            {"https://app.school.example.com.np", "https://web.example.com.np",
             "https://school-web.vercel.app"},
            ".example.org",
            "GATEHOUSE_COOKIE_DOMAIN=.example.com.np"},
           // A host that has no registrable domain takes host-only cookies
           // only: never a public suffix ("localhost"), nor an address.
           {"http://localhost:8080",
            {"http://localhost:3000"},
            ".example.com",
            "Leave GATEHOUSE_COOKIE_DOMAIN empty (host-only cookies)"},
           {"http://127.0.0.1:8080",
            {"http://127.0.0.1:3000"},
            ".example.com",
            "Leave GATEHOUSE_COOKIE_DOMAIN empty (host-only cookies)"},
       }) {
    DeploymentFacts f = Sound();
    f.dev = true;
    f.public_url = f.api_url = c.api;
    f.trusted_origins = f.app_urls = c.apps;
    f.cookie.domain = c.cookie_domain;
    auto finding = Find(f, "cookie-domain-misses-api");
    ASSERT_TRUE(finding) << c.api << "\n" << Dump(f);
    EXPECT_EQ(finding->fix, c.fix) << c.api;
  }
}

TEST(DeploymentChecksTest, PublicSuffixCookieDomains) {
  for (const char* suffix : {".com", "vercel.app", ".com.np", ".co.uk"}) {
    DeploymentFacts f = Sound();
    f.cookie.domain = suffix;
    EXPECT_EQ(SeverityOf(f, "cookie-domain-public-suffix"), Severity::kError)
        << suffix;
    // The same mistake, not a second finding for it.
    EXPECT_FALSE(Has(f, "cookie-domain-misses-api")) << suffix;
    f.dev = true;
    EXPECT_EQ(SeverityOf(f, "cookie-domain-public-suffix"), Severity::kError);
  }
  EXPECT_FALSE(Has(Field(), "cookie-domain-public-suffix"));
}

// --- cookie attributes ----------------------------------------------------

TEST(DeploymentChecksTest, SecureOffIsAnErrorOnlyInProduction) {
  DeploymentFacts f = Sound();
  f.cookie.secure = false;
  EXPECT_EQ(SeverityOf(f, "cookie-secure-off"), Severity::kError);
  f.dev = true;
  EXPECT_FALSE(Has(f, "cookie-secure-off"));
  EXPECT_FALSE(Has(Sound(), "cookie-secure-off"));
}

TEST(DeploymentChecksTest, SameSiteNoneWithoutSecureEvenInDev) {
  DeploymentFacts f = Sound();
  f.dev = true;
  f.cookie.secure = false;
  f.cookie.same_site = SameSite::kNone;
  EXPECT_EQ(SeverityOf(f, "samesite-none-without-secure"), Severity::kError);
  f.cookie.secure = true;
  EXPECT_FALSE(Has(f, "samesite-none-without-secure"));
}

TEST(DeploymentChecksTest, HostPrefixWithADomain) {
  DeploymentFacts f = Sound();
  f.cookie.access_name = "__Host-access";
  auto finding = Find(f, "host-prefix-with-domain");
  ASSERT_TRUE(finding);
  EXPECT_EQ(finding->setting, "GATEHOUSE_ACCESS_COOKIE");
  EXPECT_NE(finding->fix.find("__Secure-access"), std::string::npos);
  f.cookie.domain = "";
  EXPECT_FALSE(Has(f, "host-prefix-with-domain"));
}

TEST(DeploymentChecksTest, PrefixedNamesWithoutSecure) {
  DeploymentFacts f = Sound();
  f.dev = true;
  f.cookie.secure = false;
  f.cookie.refresh_name = "__Secure-refresh";
  auto finding = Find(f, "cookie-prefix-without-secure");
  ASSERT_TRUE(finding) << Dump(f);
  EXPECT_EQ(finding->severity, Severity::kError);
  EXPECT_EQ(finding->setting, "GATEHOUSE_REFRESH_COOKIE");
  f.cookie.secure = true;
  EXPECT_FALSE(Has(f, "cookie-prefix-without-secure"));
}

TEST(DeploymentChecksTest, InvalidAndEqualCookieNames) {
  DeploymentFacts f = Sound();
  f.cookie.access_name = "access token";
  EXPECT_TRUE(Has(f, "cookie-name-invalid"));
  f.cookie.access_name = "";
  EXPECT_TRUE(Has(f, "cookie-name-invalid"));
  f.cookie.access_name = "__Secure-access_token";
  EXPECT_FALSE(Has(f, "cookie-name-invalid"));
  f.cookie.refresh_name = f.cookie.access_name;
  EXPECT_EQ(Find(f, "cookie-names-equal")->setting, "GATEHOUSE_REFRESH_COOKIE");
  EXPECT_FALSE(Has(Sound(), "cookie-names-equal"));
}

TEST(DeploymentChecksTest, StrictSameSiteGetsANote) {
  DeploymentFacts f = Sound();
  f.cookie.same_site = SameSite::kStrict;
  EXPECT_EQ(SeverityOf(f, "samesite-strict"), Severity::kNote);
  EXPECT_FALSE(Has(Sound(), "samesite-strict"));
}

// --- the API's URL --------------------------------------------------------

TEST(DeploymentChecksTest, PublicUrlMissingOrInvalid) {
  DeploymentFacts f = Sound();
  f.public_url = f.api_url = "";
  EXPECT_EQ(SeverityOf(f, "public-url-missing"), Severity::kError);
  f.dev = true;
  EXPECT_EQ(SeverityOf(f, "public-url-missing"), Severity::kWarning);
  DeploymentFacts bad = Sound();
  bad.public_url = bad.api_url = "api.example.com";
  EXPECT_EQ(SeverityOf(bad, "public-url-invalid"), Severity::kError);
  EXPECT_FALSE(Has(Sound(), "public-url-missing"));
  EXPECT_FALSE(Has(Sound(), "public-url-invalid"));
}

TEST(DeploymentChecksTest, PlainHttpApiExceptLoopback) {
  DeploymentFacts f = Sound();
  f.public_url = f.api_url = "http://api.example.com";
  EXPECT_EQ(SeverityOf(f, "public-url-not-https"), Severity::kError);
  for (const char* loopback :
       {"http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]"}) {
    DeploymentFacts l = Sound();
    l.public_url = l.api_url = loopback;
    EXPECT_FALSE(Has(l, "public-url-not-https")) << loopback;
  }
}

TEST(DeploymentChecksTest, AnApiUrlOtherThanThePublicUrl) {
  DeploymentFacts f = Sound();
  f.api_url = "https://auth.example.com";
  EXPECT_EQ(SeverityOf(f, "api-url-not-public-url"), Severity::kWarning);
  f.api_url = "https://API.example.com:443/";
  EXPECT_FALSE(Has(f, "api-url-not-public-url"));
  // Without a public URL, the given API URL is the one checked, and the
  // fix suggests it.
  f.public_url = "";
  EXPECT_NE(Find(f, "public-url-missing")->fix.find("https://api.example.com"),
            std::string::npos);
}

// --- trusted origins and app URLs -----------------------------------------

TEST(DeploymentChecksTest, WildcardAndNullTrustedOrigins) {
  for (const char* bad : {"*", "null", "https://*.example.com"}) {
    DeploymentFacts f = Sound();
    f.trusted_origins.push_back(bad);
    EXPECT_EQ(SeverityOf(f, "trusted-origin-wildcard"), Severity::kError)
        << bad;
  }
  EXPECT_FALSE(Has(Sound(), "trusted-origin-wildcard"));
}

TEST(DeploymentChecksTest, MalformedTrustedOrigins) {
  DeploymentFacts f = Sound();
  f.trusted_origins.push_back("app.example.com");
  EXPECT_EQ(SeverityOf(f, "trusted-origin-invalid"), Severity::kError);
  EXPECT_FALSE(Has(Sound(), "trusted-origin-invalid"));
}

TEST(DeploymentChecksTest, AnAppOriginMissingFromTrustedOrigins) {
  DeploymentFacts f = Sound();
  f.app_urls.push_back("https://admin.example.com/dashboard");
  auto finding = Find(f, "app-origin-untrusted");
  ASSERT_TRUE(finding) << Dump(f);
  EXPECT_EQ(finding->severity, Severity::kError);
  EXPECT_NE(finding->why.find("CSRF_REJECTED"), std::string::npos);
  EXPECT_NE(finding->fix.find("GATEHOUSE_TRUSTED_ORIGINS=https://"
                              "app.example.com,https://admin.example.com"),
            std::string::npos)
      << finding->fix;
  f.trusted_origins.push_back("https://ADMIN.example.com:443");
  EXPECT_FALSE(Has(f, "app-origin-untrusted")) << Dump(f);
}

TEST(DeploymentChecksTest, PlainHttpAppWithSecureCookies) {
  DeploymentFacts f = Sound();
  f.trusted_origins = f.app_urls = {"http://app.example.com"};
  EXPECT_EQ(SeverityOf(f, "app-url-not-https"), Severity::kError);
  // Its scheme also makes it another site; one finding says so.
  EXPECT_FALSE(Has(f, "app-cross-site")) << Dump(f);
  DeploymentFacts local = Sound();
  local.public_url = local.api_url = "http://localhost:8080";
  local.cookie.domain = "";
  local.trusted_origins = local.app_urls = {"http://localhost:3000"};
  EXPECT_FALSE(Has(local, "app-url-not-https")) << Dump(local);
}

TEST(DeploymentChecksTest, NoAppUrlGetsANote) {
  DeploymentFacts f = Sound();
  f.app_urls = {};
  EXPECT_EQ(SeverityOf(f, "no-app-urls"), Severity::kNote);
  EXPECT_FALSE(Has(Sound(), "no-app-urls"));
}

// --- lifetimes ------------------------------------------------------------

TEST(DeploymentChecksTest, LifetimesMustBePositive) {
  DeploymentFacts f = Sound();
  f.refresh_ttl = Duration(0);
  auto finding = Find(f, "lifetime-not-positive");
  ASSERT_TRUE(finding);
  EXPECT_EQ(finding->setting, "GATEHOUSE_REFRESH_TTL");
  EXPECT_FALSE(Has(Sound(), "lifetime-not-positive"));
}

TEST(DeploymentChecksTest, AccessTtlMustBeShorterThanRefreshTtl) {
  DeploymentFacts f = Sound();
  f.access_ttl = f.refresh_ttl;
  EXPECT_EQ(SeverityOf(f, "access-ttl-not-below-refresh-ttl"),
            Severity::kError);
  f.access_ttl = f.refresh_ttl - seconds(1);
  EXPECT_FALSE(Has(f, "access-ttl-not-below-refresh-ttl"));
}

TEST(DeploymentChecksTest, SessionMaxAgeMustNotBeShorterThanRefreshTtl) {
  DeploymentFacts f = Sound();
  f.session_max_age = days(1);
  EXPECT_EQ(SeverityOf(f, "session-max-age-below-refresh-ttl"),
            Severity::kError);
  f.session_max_age = f.refresh_ttl;
  EXPECT_FALSE(Has(f, "session-max-age-below-refresh-ttl"));
}

TEST(DeploymentChecksTest, RefreshGraceLongerThanFiveMinutesOrZero) {
  DeploymentFacts f = Sound();
  f.refresh_grace = minutes(5) + seconds(1);
  EXPECT_EQ(SeverityOf(f, "refresh-grace-too-long"), Severity::kWarning);
  f.refresh_grace = minutes(5);
  EXPECT_FALSE(Has(f, "refresh-grace-too-long"));
  f.refresh_grace = Duration(0);
  EXPECT_EQ(SeverityOf(f, "refresh-grace-zero"), Severity::kWarning);
  EXPECT_FALSE(Has(Sound(), "refresh-grace-zero"));
}

// --- secrets --------------------------------------------------------------

TEST(DeploymentChecksTest, NoInternalSecretWhileAnAppIsGiven) {
  DeploymentFacts f = Sound();
  f.internal_secret = {};
  auto finding = Find(f, "internal-secret-missing");
  ASSERT_TRUE(finding);
  EXPECT_EQ(finding->severity, Severity::kWarning);
  EXPECT_NE(finding->why.find("CSRF_REJECTED"), std::string::npos);
  f.dev = true;
  EXPECT_EQ(SeverityOf(f, "internal-secret-missing"), Severity::kNote);
  f.app_urls = {};
  EXPECT_FALSE(Has(f, "internal-secret-missing"));
}

TEST(DeploymentChecksTest, ShortInternalSecretNamesItsLengthNotItsValue) {
  DeploymentFacts f = Sound();
  f.internal_secret = {true, 31};
  auto finding = Find(f, "internal-secret-too-short");
  ASSERT_TRUE(finding);
  EXPECT_EQ(finding->severity, Severity::kError);
  EXPECT_NE(finding->title.find("31 bytes"), std::string::npos);
  f.internal_secret = {true, 32};
  EXPECT_FALSE(Has(f, "internal-secret-too-short"));
}

TEST(DeploymentChecksTest, JwtAlgorithmAndHs256Secret) {
  DeploymentFacts f = Sound();
  f.jwt_alg = "none";
  EXPECT_EQ(SeverityOf(f, "jwt-alg-unknown"), Severity::kError);
  f.jwt_alg = "HS256";
  f.jwt_secret = {true, 5};
  EXPECT_EQ(SeverityOf(f, "jwt-secret-too-short"), Severity::kError);
  f.jwt_secret = {};
  EXPECT_EQ(SeverityOf(f, "jwt-secret-too-short"), Severity::kError);
  f.jwt_secret = {true, 32};
  EXPECT_FALSE(Has(f, "jwt-secret-too-short"));
  EXPECT_FALSE(Has(f, "jwt-alg-unknown"));
}

TEST(DeploymentChecksTest, MasterKeyMissingInProductionOrMalformed) {
  DeploymentFacts f = Sound();
  f.master_key = MasterKeyShape::kUnset;
  EXPECT_EQ(SeverityOf(f, "master-key-missing"), Severity::kError);
  f.dev = true;
  EXPECT_EQ(SeverityOf(f, "master-key-missing"), Severity::kWarning);
  f.master_key = MasterKeyShape::kMalformed;
  EXPECT_EQ(SeverityOf(f, "master-key-malformed"), Severity::kError);
  EXPECT_FALSE(Has(Sound(), "master-key-missing"));
  EXPECT_FALSE(Has(Sound(), "master-key-malformed"));
}

TEST(DeploymentChecksTest, TrustedProxiesThatDoNotParse) {
  DeploymentFacts f = Sound();
  f.trusted_proxies_problem = "'10.0.0.1/8' has host bits set";
  auto finding = Find(f, "trusted-proxies-invalid");
  ASSERT_TRUE(finding);
  EXPECT_NE(finding->title.find("10.0.0.1/8"), std::string::npos);
  EXPECT_FALSE(Has(Sound(), "trusted-proxies-invalid"));
}

}  // namespace
}  // namespace gatehouse
