#include "core/cookie_rules.h"

#include <gtest/gtest.h>

#include "core/fake_public_suffix_list.h"

namespace gatehouse {
namespace {

const FakePublicSuffixList kPsl({"com.np", "vercel.app", "co.uk"});

WebUrl Url(const char* text) {
  auto url = ParseWebUrl(text);
  EXPECT_TRUE(url) << text;
  return url.value_or(WebUrl{});
}

CookieAttributes Cookie(std::string domain, bool secure = true,
                        SameSite same_site = SameSite::kLax,
                        std::string name = "access_token") {
  return {std::move(name), std::move(domain), secure, same_site};
}

TEST(DomainMatchesTest, IdenticalOrASubdomainOfAHostName) {
  EXPECT_TRUE(DomainMatches("example.com", "example.com"));
  EXPECT_TRUE(DomainMatches("api.example.com", ".example.com"));
  EXPECT_TRUE(DomainMatches("a.b.example.com", "example.com"));
  EXPECT_TRUE(DomainMatches("API.Example.COM", ".example.com"));
  EXPECT_FALSE(DomainMatches("example.com", ".api.example.com"));
  // A suffix must begin at a label: badexample.com is not in example.com.
  EXPECT_FALSE(DomainMatches("badexample.com", "example.com"));
  EXPECT_FALSE(DomainMatches("app.example.org", ".example.com"));
  EXPECT_FALSE(DomainMatches("example.com", ""));
}

TEST(DomainMatchesTest, AnIpAddressMatchesOnlyItself) {
  EXPECT_TRUE(DomainMatches("127.0.0.1", "127.0.0.1"));
  EXPECT_FALSE(DomainMatches("10.0.0.1", "0.0.1"));
}

TEST(IsSameSiteTest, SameSchemeAndRegistrableDomain) {
  EXPECT_TRUE(IsSameSite(Url("https://app.example.com"),
                         Url("https://api.example.com:8443"), kPsl));
  EXPECT_TRUE(IsSameSite(Url("https://app.school.example.com.np"),
                         Url("https://api.school.example.com.np"), kPsl));
  EXPECT_TRUE(IsSameSite(Url("https://school-web.example.com.np"),
                         Url("https://api.school.example.com.np"), kPsl));
  EXPECT_TRUE(IsSameSite(Url("http://localhost:3000"),
                         Url("http://localhost:8080"), kPsl));
}

TEST(IsSameSiteTest, PublicSuffixesSchemesAndAddressesSeparateSites) {
  // Under a public suffix, each name is a site of its own.
  EXPECT_FALSE(IsSameSite(Url("https://school-web.vercel.app"),
                          Url("https://api.school.example.com.np"), kPsl));
  EXPECT_FALSE(IsSameSite(Url("https://a.vercel.app"),
                          Url("https://b.vercel.app"), kPsl));
  EXPECT_FALSE(IsSameSite(Url("https://example.com.np"),
                          Url("https://other.com.np"), kPsl));
  // Schemeful: http and https of one domain are two sites.
  EXPECT_FALSE(IsSameSite(Url("http://app.example.com"),
                          Url("https://api.example.com"), kPsl));
  EXPECT_FALSE(IsSameSite(Url("http://127.0.0.1:3000"),
                          Url("http://localhost:8080"), kPsl));
  EXPECT_EQ(SiteOf(Url("https://api.school.example.com.np"), kPsl),
            "https://example.com.np");
  EXPECT_EQ(SiteOf(Url("http://127.0.0.1:8080"), kPsl), "http://127.0.0.1");
}

TEST(WhyNotStoredTest, DomainMustCoverTheSettingHostAndNotBeAPublicSuffix) {
  WebUrl api = Url("https://api.example.com");
  EXPECT_EQ(WhyNotStored(Cookie(".example.com"), api, {}, kPsl),
            StoreRejection::kNone);
  EXPECT_EQ(WhyNotStored(Cookie(""), api, {}, kPsl), StoreRejection::kNone);
  EXPECT_EQ(WhyNotStored(Cookie(".example.org"), api, {}, kPsl),
            StoreRejection::kDomainMismatch);
  EXPECT_EQ(WhyNotStored(Cookie(".com"), api, {}, kPsl),
            StoreRejection::kDomainIsPublicSuffix);
  EXPECT_EQ(WhyNotStored(Cookie(".vercel.app"), Url("https://web.vercel.app"),
                         {}, kPsl),
            StoreRejection::kDomainIsPublicSuffix);
}

TEST(WhyNotStoredTest, SecureNeedsHttpsOrLoopback) {
  EXPECT_EQ(WhyNotStored(Cookie(""), Url("http://api.example.com"), {}, kPsl),
            StoreRejection::kSecureFromInsecureUrl);
  EXPECT_EQ(WhyNotStored(Cookie(""), Url("http://localhost:8080"), {}, kPsl),
            StoreRejection::kNone);
  EXPECT_EQ(WhyNotStored(Cookie("", /*secure=*/false),
                         Url("http://api.example.com"), {}, kPsl),
            StoreRejection::kNone);
}

TEST(WhyNotStoredTest, LaxCookiesFromACrossSiteFetchAreDropped) {
  WebUrl api = Url("https://api.school.example.com.np");
  RequestContext from_vercel{Url("https://school-web.vercel.app"), false};
  RequestContext from_subdomain{Url("https://app.school.example.com.np"),
                                false};
  EXPECT_EQ(WhyNotStored(Cookie(""), api, from_vercel, kPsl),
            StoreRejection::kCrossSiteSameSite);
  EXPECT_EQ(WhyNotStored(Cookie(""), api, from_subdomain, kPsl),
            StoreRejection::kNone);
  EXPECT_EQ(
      WhyNotStored(Cookie("", true, SameSite::kNone), api, from_vercel, kPsl),
      StoreRejection::kNone);
  RequestContext navigation{Url("https://school-web.vercel.app"), true};
  EXPECT_EQ(WhyNotStored(Cookie(""), api, navigation, kPsl),
            StoreRejection::kNone);
}

TEST(WhyNotStoredTest, SameSiteNoneNeedsSecure) {
  EXPECT_EQ(WhyNotStored(Cookie("", false, SameSite::kNone),
                         Url("http://localhost:8080"), {}, kPsl),
            StoreRejection::kSameSiteNoneWithoutSecure);
  EXPECT_EQ(AttributeRejection(Cookie("", true, SameSite::kNone)),
            StoreRejection::kNone);
}

TEST(WhyNotStoredTest, PrefixRules) {
  WebUrl api = Url("https://api.example.com");
  EXPECT_EQ(
      WhyNotStored(Cookie("", true, SameSite::kLax, "__Host-a"), api, {}, kPsl),
      StoreRejection::kNone);
  EXPECT_EQ(
      WhyNotStored(Cookie(".example.com", true, SameSite::kLax, "__Host-a"),
                   api, {}, kPsl),
      StoreRejection::kHostPrefixRequirements);
  EXPECT_EQ(AttributeRejection(Cookie("", false, SameSite::kLax, "__Host-a")),
            StoreRejection::kHostPrefixRequirements);
  EXPECT_EQ(AttributeRejection(
                Cookie(".example.com", true, SameSite::kLax, "__Secure-a")),
            StoreRejection::kNone);
  EXPECT_EQ(AttributeRejection(Cookie("", false, SameSite::kLax, "__Secure-a")),
            StoreRejection::kSecurePrefixWithoutSecure);
  // The prefixes are case-sensitive.
  EXPECT_EQ(AttributeRejection(Cookie("", false, SameSite::kLax, "__host-a")),
            StoreRejection::kNone);
}

TEST(WhyNotSentTest, HostOnlyCookiesGoToTheirOwnHostOnly) {
  WebUrl api = Url("https://api.example.com");
  RequestContext page_load{std::nullopt, true};
  EXPECT_EQ(WhyNotSent(Cookie(""), api, Url("https://api.example.com/x"),
                       page_load, kPsl),
            SendExclusion::kNone);
  EXPECT_EQ(WhyNotSent(Cookie(""), api, Url("https://app.example.com"),
                       page_load, kPsl),
            SendExclusion::kHostNotCovered);
  EXPECT_EQ(WhyNotSent(Cookie(".example.com"), api,
                       Url("https://app.example.com"), page_load, kPsl),
            SendExclusion::kNone);
  // Ports never separate cookies.
  EXPECT_EQ(WhyNotSent(Cookie(""), Url("http://localhost:8080"),
                       Url("http://localhost:3000"), page_load, kPsl),
            SendExclusion::kNone);
}

TEST(WhyNotSentTest, SecureCookiesSkipPlainHttp) {
  WebUrl api = Url("https://api.example.com");
  EXPECT_EQ(WhyNotSent(Cookie(".example.com"), api,
                       Url("http://app.example.com"), {}, kPsl),
            SendExclusion::kNotSecureContext);
  EXPECT_EQ(WhyNotSent(Cookie(".example.com", false), api,
                       Url("http://app.example.com"), {}, kPsl),
            SendExclusion::kNone);
}

TEST(WhyNotSentTest, SameSiteLaxStaysOffCrossSiteFetchesButNotNavigations) {
  WebUrl api = Url("https://api.school.example.com.np");
  RequestContext fetch_from_vercel{Url("https://school-web.vercel.app"), false};
  RequestContext link_from_vercel{Url("https://school-web.vercel.app"), true};
  RequestContext fetch_from_app{Url("https://app.school.example.com.np"),
                                false};
  EXPECT_EQ(WhyNotSent(Cookie(""), api, api, fetch_from_vercel, kPsl),
            SendExclusion::kCrossSite);
  EXPECT_EQ(WhyNotSent(Cookie(""), api, api, link_from_vercel, kPsl),
            SendExclusion::kNone);
  EXPECT_EQ(WhyNotSent(Cookie("", true, SameSite::kStrict), api, api,
                       link_from_vercel, kPsl),
            SendExclusion::kCrossSite);
  EXPECT_EQ(WhyNotSent(Cookie("", true, SameSite::kNone), api, api,
                       fetch_from_vercel, kPsl),
            SendExclusion::kNone);
  EXPECT_EQ(WhyNotSent(Cookie(""), api, api, fetch_from_app, kPsl),
            SendExclusion::kNone);
}

TEST(DescribeTest, EveryReasonHasWords) {
  for (auto r :
       {StoreRejection::kDomainIsPublicSuffix, StoreRejection::kDomainMismatch,
        StoreRejection::kSecureFromInsecureUrl,
        StoreRejection::kSameSiteNoneWithoutSecure,
        StoreRejection::kCrossSiteSameSite,
        StoreRejection::kSecurePrefixWithoutSecure,
        StoreRejection::kHostPrefixRequirements}) {
    EXPECT_FALSE(Describe(r).empty());
  }
  for (auto e : {SendExclusion::kHostNotCovered,
                 SendExclusion::kNotSecureContext, SendExclusion::kCrossSite}) {
    EXPECT_FALSE(Describe(e).empty());
  }
}

}  // namespace
}  // namespace gatehouse
