#include "core/cookie_rules.h"

#include <gtest/gtest.h>

#include "testing/fake_public_suffix_list.h"

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
  BrowserRequest from_vercel{Url("https://school-web.vercel.app"), false};
  BrowserRequest from_subdomain{Url("https://app.school.example.com.np"),
                                false};
  EXPECT_EQ(WhyNotStored(Cookie(""), api, from_vercel, kPsl),
            StoreRejection::kCrossSiteSameSite);
  EXPECT_EQ(WhyNotStored(Cookie(""), api, from_subdomain, kPsl),
            StoreRejection::kNone);
  EXPECT_EQ(
      WhyNotStored(Cookie("", true, SameSite::kNone), api, from_vercel, kPsl),
      StoreRejection::kNone);
  BrowserRequest navigation{Url("https://school-web.vercel.app"), true};
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
  BrowserRequest page_load{std::nullopt, true};
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
  BrowserRequest fetch_from_vercel{Url("https://school-web.vercel.app"), false};
  BrowserRequest link_from_vercel{Url("https://school-web.vercel.app"), true};
  BrowserRequest fetch_from_app{Url("https://app.school.example.com.np"),
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

// --- Real Set-Cookie headers ---------------------------------------------

const Time kNow = Time(std::chrono::sys_days(
    std::chrono::year(2026) / std::chrono::month(3) / std::chrono::day(1)));

ParsedSetCookie Parse(std::string_view line) {
  auto cookie = ParseSetCookie(line);
  EXPECT_TRUE(cookie) << line;
  return cookie.value_or(ParsedSetCookie{});
}

// What gatehouse itself sends: the one policy's lines are the reference
// the live checks compare with.
CookieSettings Settings(std::string domain) {
  CookieSettings settings;
  settings.domain = std::move(domain);
  return settings;
}

TEST(ParseSetCookieTest, ReadsEveryAttributeGatehouseSends) {
  CookiePolicy policy(Settings(".Example.com"));
  auto lines = policy.SetAuthCookies("tok-a", std::chrono::minutes(15), "tok-r",
                                     std::chrono::hours(24));
  ASSERT_EQ(lines.size(), 2u);
  ParsedSetCookie access = Parse(lines[0]);
  EXPECT_EQ(access.name, "access_token");
  EXPECT_EQ(access.value, "tok-a");
  EXPECT_EQ(access.domain, "example.com");
  EXPECT_EQ(access.path, "/");
  EXPECT_TRUE(access.secure);
  EXPECT_TRUE(access.http_only);
  EXPECT_EQ(access.same_site, SameSite::kLax);
  EXPECT_EQ(access.max_age_seconds, 900);
  EXPECT_FALSE(access.expires);
  EXPECT_FALSE(IsDeletion(access, kNow));

  ParsedSetCookie cleared = Parse(policy.ClearAuthCookies()[1]);
  EXPECT_EQ(cleared.name, "refresh_token");
  EXPECT_EQ(cleared.value, "");
  EXPECT_EQ(cleared.max_age_seconds, 0);
  ASSERT_TRUE(cleared.expires);
  EXPECT_EQ(ToUnixSeconds(*cleared.expires), 0);
  EXPECT_TRUE(IsDeletion(cleared, kNow));
}

TEST(ParseSetCookieTest, FollowsTheBrowsersLeniency) {
  // The last of an attribute wins; names are case-insensitive; spaces go.
  ParsedSetCookie c = Parse(
      " a = b ; domain=x.example.com; DOMAIN=.Y.example.com; path=/p; "
      "SameSite=strict; samesite=NONE; secure ; HTTPONLY");
  EXPECT_EQ(c.name, "a");
  EXPECT_EQ(c.value, "b");
  EXPECT_EQ(c.domain, "y.example.com");
  EXPECT_EQ(c.path, "/p");
  EXPECT_EQ(c.same_site, SameSite::kNone);
  EXPECT_TRUE(c.secure);
  EXPECT_TRUE(c.http_only);
  // Malformed or empty attributes are ignored.
  ParsedSetCookie loose =
      Parse("a=b; Domain=; Path=relative; Max-Age=soon; SameSite=Sometimes");
  EXPECT_FALSE(loose.domain);
  EXPECT_FALSE(loose.path);
  EXPECT_FALSE(loose.max_age_seconds);
  EXPECT_FALSE(loose.same_site);
  EXPECT_EQ(loose.Attributes().same_site, SameSite::kLax);
  EXPECT_FALSE(loose.Attributes().secure);
  // No "=": a nameless cookie; nothing at all: ignored.
  EXPECT_EQ(Parse("lonely").value, "lonely");
  EXPECT_FALSE(ParseSetCookie(""));
  EXPECT_FALSE(ParseSetCookie(" = ; Path=/"));
}

TEST(ParseCookieDateTest, AcceptsTheFormsBrowsersAccept) {
  auto epoch = ParseCookieDate("Thu, 01 Jan 1970 00:00:00 GMT");
  ASSERT_TRUE(epoch);
  EXPECT_EQ(ToUnixSeconds(*epoch), 0);
  auto rfc850 = ParseCookieDate("Sunday, 06-Nov-94 08:49:37 GMT");
  ASSERT_TRUE(rfc850);
  EXPECT_EQ(ToUnixSeconds(*rfc850), 784111777);
  auto asctime = ParseCookieDate("Sun Nov  6 08:49:37 1994");
  ASSERT_TRUE(asctime);
  EXPECT_EQ(*asctime, *rfc850);
  // Two-digit years below 70 are in this century.
  auto y2k = ParseCookieDate("1 jan 30 00:00:00");
  ASSERT_TRUE(y2k);
  EXPECT_EQ(FormatIso8601(*y2k), "2030-01-01T00:00:00Z");
}

TEST(ParseCookieDateTest, RefusesWhatIsNotADate) {
  EXPECT_FALSE(ParseCookieDate(""));
  EXPECT_FALSE(ParseCookieDate("yesterday"));
  EXPECT_FALSE(ParseCookieDate("Thu, 01 Jan 1970"));           // no time
  EXPECT_FALSE(ParseCookieDate("Thu, 32 Jan 1970 00:00:00"));  // day
  EXPECT_FALSE(ParseCookieDate("31 Feb 2026 00:00:00"));       // no such day
  EXPECT_FALSE(ParseCookieDate("01 Jan 1970 24:00:00"));       // hour
  EXPECT_FALSE(ParseCookieDate("01 Jan 1600 00:00:00"));       // year
}

TEST(IsDeletionTest, MaxAgeWinsOverExpires) {
  EXPECT_TRUE(IsDeletion(Parse("a=; Max-Age=0"), kNow));
  EXPECT_TRUE(IsDeletion(Parse("a=; Max-Age=-1"), kNow));
  EXPECT_TRUE(
      IsDeletion(Parse("a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"), kNow));
  EXPECT_FALSE(IsDeletion(
      Parse("a=b; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT"), kNow));
  EXPECT_FALSE(
      IsDeletion(Parse("a=b; Expires=Fri, 01 Jan 2100 00:00:00 GMT"), kNow));
  EXPECT_FALSE(IsDeletion(Parse("a=b"), kNow));  // a session cookie
}

TEST(ParseCookieHeaderTest, KeepsOrderAndRepeatedNames) {
  auto pairs =
      ParseCookieHeader(" a=1; refresh_token=x;junk; refresh_token = y ;=z");
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[0], (std::pair<std::string, std::string>{"a", "1"}));
  EXPECT_EQ(pairs[2],
            (std::pair<std::string, std::string>{"refresh_token", "y"}));
  EXPECT_TRUE(ParseCookieHeader("").empty());
}

TEST(RepeatedNamesTest, EachRepeatedNameOnceInFirstOrder) {
  EXPECT_EQ(RepeatedNames({"b", "a", "b", "a", "b", "c"}),
            (std::vector<std::string>{"b", "a"}));
  EXPECT_TRUE(RepeatedNames({"a", "b", "c"}).empty());
  EXPECT_TRUE(RepeatedNames({}).empty());
}

TEST(ClearingMismatchesTest, GatehousesOwnClearingRepeatsItsSetting) {
  for (const char* domain : {"", ".example.com"}) {
    CookiePolicy policy(Settings(domain));
    auto set = policy.SetAuthCookies("a", std::chrono::minutes(15), "r",
                                     std::chrono::hours(1));
    auto clear = policy.ClearAuthCookies();
    for (size_t i = 0; i < 2; ++i) {
      EXPECT_TRUE(
          ClearingMismatches(Parse(set[i]), Parse(clear[i]), kNow).empty())
          << clear[i];
    }
    EXPECT_TRUE(ScopeMismatches(Parse(set[0]), Parse(set[0])).empty());
  }
}

TEST(ClearingMismatchesTest, NamesEveryAttributeThatDiffers) {
  ParsedSetCookie set = Parse(
      "refresh_token=secret-value; Path=/; Domain=.example.com; Max-Age=60; "
      "HttpOnly; Secure; SameSite=Lax");
  // A clearing that forgot the Domain, the flags and SameSite, and that
  // deletes nothing: value kept, no Max-Age, a future Expires.
  ParsedSetCookie clear = Parse(
      "refresh_token=secret-value; Path=/api; "
      "Expires=Fri, 01 Jan 2100 00:00:00 GMT; SameSite=Strict");
  std::vector<AttributeMismatch> m = ClearingMismatches(set, clear, kNow);
  std::vector<std::string> names;
  for (const auto& x : m) names.push_back(x.attribute);
  EXPECT_EQ(names, (std::vector<std::string>{"Domain", "Path", "Secure",
                                             "HttpOnly", "SameSite", "value",
                                             "Max-Age", "Expires"}));
  EXPECT_EQ(m[0].expected, "example.com");
  EXPECT_EQ(m[0].actual, "(none)");
  EXPECT_EQ(m[4].expected, "Lax");
  EXPECT_EQ(m[4].actual, "Strict");
  EXPECT_EQ(m[7].actual, "2100-01-01T00:00:00Z");
  // A value is never shown.
  for (const auto& x : m) {
    EXPECT_EQ(x.expected.find("secret-value"), std::string::npos);
    EXPECT_EQ(x.actual.find("secret-value"), std::string::npos);
  }
  // Only Max-Age missing (Expires alone deletes, but F5 wants both).
  ParsedSetCookie expires_only = Parse(
      "refresh_token=; Path=/; Domain=example.com; HttpOnly; Secure; "
      "SameSite=Lax; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
  m = ClearingMismatches(set, expires_only, kNow);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].attribute, "Max-Age");
  EXPECT_EQ(m[0].actual, "(none)");
}

TEST(PathMatchesTest, WholeSegmentsOnly) {
  EXPECT_TRUE(PathMatches("/", "/"));
  EXPECT_TRUE(PathMatches("/api/v1", "/"));
  EXPECT_TRUE(PathMatches("/api", "/api"));
  EXPECT_TRUE(PathMatches("/api/x", "/api"));
  EXPECT_TRUE(PathMatches("/api/x", "/api/"));
  EXPECT_FALSE(PathMatches("/apix", "/api"));
  EXPECT_FALSE(PathMatches("/", "/api"));
}

class CookieStoreTest : public ::testing::Test {
 protected:
  const WebUrl api_ = Url("https://api.example.com");
  const WebUrl app_ = Url("https://app.example.com");
  const BrowserRequest page_load_{std::nullopt, true};
  CookieStore store_;

  StoreRejection Receive(std::string_view line, const WebUrl& from,
                         std::string_view path = "/api/v1/auth/login") {
    return store_.Receive(Parse(line), from, path, {}, kPsl, kNow, "test");
  }
  std::vector<std::string> NamesSentTo(const WebUrl& url,
                                       std::string_view path = "/") {
    std::vector<std::string> names;
    for (const StoredCookie& c : store_.CookiesFor(url, path, {}, kPsl)) {
      names.push_back(c.name + "@" + (c.host_only ? "" : ".") + c.domain);
    }
    return names;
  }
};

TEST_F(CookieStoreTest, OneCookiePerNameDomainHostOnlyFlagAndPath) {
  EXPECT_EQ(Receive("a=1; Path=/; Secure", api_), StoreRejection::kNone);
  EXPECT_EQ(Receive("a=2; Path=/; Secure; Domain=example.com", api_),
            StoreRejection::kNone);
  // The same key replaces, keeping its place.
  EXPECT_EQ(Receive("a=3; Path=/; Secure", api_), StoreRejection::kNone);
  ASSERT_EQ(store_.cookies().size(), 2u);
  EXPECT_EQ(store_.cookies()[0].value, "3");
  EXPECT_TRUE(store_.cookies()[0].host_only);
  EXPECT_EQ(store_.cookies()[1].domain, "example.com");
  EXPECT_EQ(store_.cookies()[1].source, "test");
  // The API gets both: a host-only one beside a Domain one (F10).
  EXPECT_EQ(NamesSentTo(api_),
            (std::vector<std::string>{"a@api.example.com", "a@.example.com"}));
  // The app only the Domain one.
  EXPECT_EQ(NamesSentTo(app_), (std::vector<std::string>{"a@.example.com"}));
}

TEST_F(CookieStoreTest, ADeletionRemovesOnlyItsOwnKey) {
  ASSERT_EQ(Receive("a=1; Path=/; Secure", api_), StoreRejection::kNone);
  ASSERT_EQ(Receive("a=2; Path=/; Secure; Domain=example.com", api_),
            StoreRejection::kNone);
  // Cleared on the Domain only: the host-only one lives on.
  ASSERT_EQ(Receive("a=; Path=/; Secure; Domain=.example.com; Max-Age=0", api_),
            StoreRejection::kNone);
  EXPECT_EQ(NamesSentTo(api_), (std::vector<std::string>{"a@api.example.com"}));
  // Cleared with another Path: nothing matches, nothing goes.
  ASSERT_EQ(Receive("a=; Path=/api; Secure; Max-Age=0", api_),
            StoreRejection::kNone);
  EXPECT_EQ(store_.cookies().size(), 1u);
  ASSERT_EQ(Receive("a=; Path=/; Max-Age=0", api_), StoreRejection::kNone);
  EXPECT_TRUE(store_.cookies().empty());
}

TEST_F(CookieStoreTest, RefusedCookiesAreNotStored) {
  EXPECT_EQ(Receive("a=1; Path=/; Domain=example.org", api_),
            StoreRejection::kDomainMismatch);
  EXPECT_EQ(Receive("a=1; Path=/; Secure", Url("http://api.example.com")),
            StoreRejection::kSecureFromInsecureUrl);
  EXPECT_TRUE(store_.cookies().empty());
  // A cross-site fetch drops Lax cookies, also in the store.
  BrowserRequest from_vercel{Url("https://web.vercel.app"), false};
  EXPECT_EQ(store_.Receive(Parse("a=1; Path=/; Secure"), api_, "/", from_vercel,
                           kPsl, kNow, "test"),
            StoreRejection::kCrossSiteSameSite);
  EXPECT_TRUE(store_.cookies().empty());
}

TEST_F(CookieStoreTest, DefaultPathAndPathMatchOnSend) {
  // No Path: the directory of the request.
  ASSERT_EQ(Receive("a=1; Secure", api_, "/api/v1/auth/login"),
            StoreRejection::kNone);
  EXPECT_EQ(store_.cookies()[0].path, "/api/v1/auth");
  EXPECT_TRUE(NamesSentTo(api_, "/").empty());
  EXPECT_EQ(NamesSentTo(api_, "/api/v1/auth/refresh").size(), 1u);
  // Longer paths go first.
  ASSERT_EQ(Receive("a=2; Secure; Path=/", api_), StoreRejection::kNone);
  auto sent = store_.CookiesFor(api_, "/api/v1/auth/refresh", {}, kPsl);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].path, "/api/v1/auth");
  EXPECT_EQ(sent[1].path, "/");
}

TEST_F(CookieStoreTest, InsertSeedsWhatTheBrowserAlreadyHolds) {
  StoredCookie seeded;
  seeded.name = "a";
  seeded.value = "old";
  seeded.domain = "api.example.com";
  store_.Insert(seeded);
  seeded.value = "older";
  store_.Insert(seeded);
  ASSERT_EQ(store_.cookies().size(), 1u);
  EXPECT_EQ(store_.cookies()[0].value, "older");
  // A host-only Set-Cookie of the same name replaces it...
  ASSERT_EQ(Receive("a=new; Path=/", api_), StoreRejection::kNone);
  EXPECT_EQ(store_.cookies().size(), 1u);
  // ...a Domain one sits beside it.
  ASSERT_EQ(Receive("a=new; Path=/; Domain=example.com", api_),
            StoreRejection::kNone);
  EXPECT_EQ(NamesSentTo(api_).size(), 2u);
}

TEST(CoveringCookieDomainTest, NarrowestDomainOverApiAndApps) {
  WebUrl api = Url("https://api.school.example.com.np");
  EXPECT_EQ(CoveringCookieDomain(
                api, {Url("https://app.school.example.com.np")}, kPsl),
            "school.example.com.np");
  EXPECT_EQ(
      CoveringCookieDomain(api, {Url("https://web.example.com.np")}, kPsl),
      "example.com.np");
  // Apps on other sites cannot be covered and do not widen it.
  EXPECT_EQ(
      CoveringCookieDomain(api, {Url("https://school-web.vercel.app")}, kPsl),
      "api.school.example.com.np");
  EXPECT_EQ(CoveringCookieDomain(Url("http://127.0.0.1:8080"),
                                 {Url("http://127.0.0.1:3000")}, kPsl),
            "");
  EXPECT_EQ(CoveringCookieDomain(Url("http://localhost:8080"), {}, kPsl), "");
}

}  // namespace
}  // namespace gatehouse
