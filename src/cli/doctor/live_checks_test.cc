#include "cli/doctor/live_checks.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/cookie_policy.h"
#include "testing/fake_public_suffix_list.h"

namespace gatehouse {
namespace {

const FakePublicSuffixList kPsl({"com.np", "vercel.app"});
const Time kNow = Time(std::chrono::sys_days(
    std::chrono::year(2026) / std::chrono::month(3) / std::chrono::day(1)));

// Token values the answers carry: no finding may ever show one.
constexpr char kAccess1[] = "access-one-SECRET";
constexpr char kRefresh1[] = "refresh-one-SECRET";
constexpr char kAccess2[] = "access-two-SECRET";
constexpr char kRefresh2[] = "refresh-two-SECRET";

WebUrl Url(const char* text) {
  auto url = ParseWebUrl(text);
  EXPECT_TRUE(url) << text;
  return url.value_or(WebUrl{});
}

std::string Envelope(bool success, std::string code = "") {
  boost::json::object o{{"success", success}, {"message", "m"}};
  if (!code.empty()) o["code"] = code;
  return boost::json::serialize(o);
}

HttpResponse Answer(int status, std::string body,
                    const std::vector<std::string>& set_cookies = {},
                    HttpHeaders extra = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = {{"Content-Type", "application/json"}};
  for (const std::string& line : set_cookies) {
    r.headers.emplace_back("Set-Cookie", line);
  }
  for (auto& h : extra) r.headers.push_back(std::move(h));
  return r;
}

HttpResponse Ok(const std::vector<std::string>& set_cookies = {},
                HttpHeaders extra = {}) {
  return Answer(200, Envelope(true), set_cookies, std::move(extra));
}

LiveStep Step(std::string name, HttpResponse response) {
  std::string path = "/api/v1/auth/" + name;
  return {name, "https://api.example.com" + path, path, "",
          std::move(response)};
}

// A deployment and the answers gatehouse gives with `settings`, built by
// the very policy the server uses: login, refresh, logout, all 200.
class LiveChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_.domain = ".example.com";
    run_.api = Url("https://api.example.com");
    run_.apps = {Url("https://app.example.com")};
    run_.email = "doctor@example.com";
    run_.origin = "https://app.example.com";
    run_.access_name = "access_token";
    run_.refresh_name = "refresh_token";
    run_.trusted_origins = {"https://app.example.com"};
    run_.now = kNow;
  }

  HttpHeaders Cors() const {
    return {{"Access-Control-Allow-Origin", run_.origin},
            {"Access-Control-Allow-Credentials", "true"}};
  }

  // The three answers of `settings_` (login's CORS granted to the origin).
  void Answers() {
    CookiePolicy policy(settings_);
    run_.steps = {
        Step("login",
             Ok(policy.SetAuthCookies(kAccess1, std::chrono::minutes(15),
                                      kRefresh1, std::chrono::hours(24)),
                Cors())),
        Step("refresh",
             Ok(policy.SetAuthCookies(kAccess2, std::chrono::minutes(15),
                                      kRefresh2, std::chrono::hours(24)))),
        Step("logout", Ok(policy.ClearAuthCookies()))};
  }

  FindingList Judge() {
    FindingList findings = JudgeLiveRun(run_, kPsl);
    for (const Finding& f : findings) {
      for (const char* secret : {kAccess1, kRefresh1, kAccess2, kRefresh2}) {
        for (const std::string* text : {&f.title, &f.why, &f.fix}) {
          EXPECT_EQ(text->find(secret), std::string::npos)
              << f.id << " shows a token: " << *text;
        }
      }
    }
    return findings;
  }

  std::set<std::string> Ids() {
    std::set<std::string> ids;
    for (const Finding& f : Judge()) ids.insert(f.id);
    return ids;
  }

  const Finding* Find(const FindingList& findings, const std::string& id) {
    for (const Finding& f : findings) {
      if (f.id == id) return &f;
    }
    return nullptr;
  }

  CookieSettings settings_;
  LiveRun run_;
};

TEST_F(LiveChecksTest, ASoundDeploymentHasNoFinding) {
  Answers();
  EXPECT_EQ(Ids(), std::set<std::string>{});
  // Also host-only cookies with the app on the API's own host.
  settings_.domain = "";
  run_.apps = {Url("https://api.example.com/app")};
  run_.origin = "https://api.example.com";
  Answers();
  EXPECT_EQ(Ids(), std::set<std::string>{});
}

// F4 from the real Set-Cookie: host-only cookies, the app on a sibling.
TEST_F(LiveChecksTest, HostOnlyCookiesMissTheAppHost) {
  settings_.domain = "";
  Answers();
  FindingList findings = Judge();
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.id, "live-cookies-miss-app");
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.setting, "GATEHOUSE_COOKIE_DOMAIN");
  EXPECT_NE(f.title.find("app.example.com never receives the access_token "
                         "and refresh_token cookies"),
            std::string::npos)
      << f.title;
  EXPECT_NE(f.why.find("api.example.com alone (host-only)"), std::string::npos)
      << f.why;
  EXPECT_NE(f.why.find("refresh_token=…; Path=/;"), std::string::npos) << f.why;
  EXPECT_NE(f.fix.find("GATEHOUSE_COOKIE_DOMAIN=.example.com"),
            std::string::npos);
  EXPECT_NE(f.fix.find("GATEHOUSE_COOKIE_OLD_DOMAINS=host-only"),
            std::string::npos)
      << f.fix;
  // A Domain beside the app's does not cover it either.
  settings_.domain = ".api.example.com";
  Answers();
  findings = Judge();
  const Finding* beside = Find(findings, "live-cookies-miss-app");
  ASSERT_NE(beside, nullptr);
  EXPECT_NE(beside->fix.find("OLD_DOMAINS=.api.example.com"), std::string::npos)
      << beside->fix;
}

// The Domain the fixes suggest: the narrowest covering the API host and
// every app host on its site.
struct SuggestedDomainCase {
  const char* api;
  std::vector<const char*> apps;
  const char* cookie_domain;
  std::string fix;
};

TEST_F(LiveChecksTest, TheFixOfAnAppTheCookiesMissNamesTheNarrowestDomain) {
  auto fix = [](const std::string& domain, const std::string& old) {
    return "GATEHOUSE_COOKIE_DOMAIN=" + domain +
           " on the server (covers the API and the apps), and "
           "GATEHOUSE_COOKIE_OLD_DOMAINS=" +
           old + " so the browsers' old cookies are cleared";
  };
  for (const SuggestedDomainCase& c : std::vector<SuggestedDomainCase>{
           {"https://api.example.com",
            {"https://app.example.com"},
            "",
            fix(".example.com", "host-only")},
           {"https://api.x.example.com",
            {"https://app.x.example.com"},
            "",
            fix(".x.example.com", "host-only")},
           {"https://api.school.example.com.np",
            {"https://app.school.example.com.np"},
            ".api.school.example.com.np",
            fix(".school.example.com.np", ".api.school.example.com.np")},
           // Every app on the API's site widens it, up to the registrable
           // domain...
           {"https://api.school.example.com.np",
            {"https://app.school.example.com.np", "https://web.example.com.np"},
            ".api.school.example.com.np",
            fix(".example.com.np", ".api.school.example.com.np")},
           // ...an app on another site does not.
           {"https://api.school.example.com.np",
            {"https://app.school.example.com.np",
             "https://school-web.vercel.app"},
            "",
            fix(".school.example.com.np", "host-only")},
           // The apex beside a subdomain: the registrable domain.
           {"https://api.example.com",
            {"https://example.com"},
            "",
            fix(".example.com", "host-only")},
       }) {
    run_.api = Url(c.api);
    run_.apps.clear();
    for (const char* app : c.apps) run_.apps.push_back(Url(app));
    run_.origin = run_.apps.front().origin;
    settings_.domain = c.cookie_domain;
    Answers();
    FindingList findings = Judge();
    const Finding* f = Find(findings, "live-cookies-miss-app");
    ASSERT_NE(f, nullptr) << c.api;
    EXPECT_EQ(f->fix, c.fix) << c.api;
  }
}

TEST_F(LiveChecksTest, TheFixOfCookiesABrowserDropsNamesADomainThatCovers) {
  for (const SuggestedDomainCase& c : std::vector<SuggestedDomainCase>{
           {"https://api.example.com",
            {"https://app.example.com"},
            ".example.org",
            "GATEHOUSE_COOKIE_DOMAIN=.example.com (covers the API and the "
            "apps)"},
           {"https://api.x.example.com",
            {"https://app.x.example.com"},
            ".example.org",
            "GATEHOUSE_COOKIE_DOMAIN=.x.example.com (covers the API and the "
            "apps)"},
           // Without an app, the API's own host.
           {"https://api.x.example.com",
            {},
            ".example.org",
            "GATEHOUSE_COOKIE_DOMAIN=.api.x.example.com (covers the API and "
            "the apps)"},
           {"https://api.school.example.com.np",
            {"https://app.school.example.com.np", "https://web.example.com.np",
             "https://school-web.vercel.app"},
            ".example.org",
            "GATEHOUSE_COOKIE_DOMAIN=.example.com.np (covers the API and the "
            "apps)"},
           // A public-suffix Domain: browsers refuse it outright.
           {"https://api.school.example.com.np",
            {"https://app.school.example.com.np"},
            ".com.np",
            "GATEHOUSE_COOKIE_DOMAIN=.school.example.com.np (covers the API "
            "and the apps)"},
           // A host that has no registrable domain takes host-only cookies
           // only: never a public suffix ("localhost"), nor an address.
           {"http://localhost:8080",
            {"http://localhost:3000"},
            ".example.com",
            "GATEHOUSE_COOKIE_DOMAIN empty (host-only cookies)"},
           {"http://127.0.0.1:8080",
            {"http://127.0.0.1:3000"},
            ".example.com",
            "GATEHOUSE_COOKIE_DOMAIN empty (host-only cookies)"},
       }) {
    run_.api = Url(c.api);
    run_.apps.clear();
    for (const char* app : c.apps) run_.apps.push_back(Url(app));
    run_.origin = run_.apps.empty() ? run_.api.origin : run_.apps[0].origin;
    settings_.domain = c.cookie_domain;
    settings_.secure = run_.api.scheme == "https";
    Answers();
    FindingList findings = Judge();
    const Finding* f = Find(findings, "live-cookie-not-stored");
    ASSERT_NE(f, nullptr) << c.api;
    EXPECT_EQ(f->setting, "GATEHOUSE_COOKIE_DOMAIN") << c.api;
    EXPECT_EQ(f->fix, c.fix) << c.api;
  }
}

// F6: the app on a public suffix, another site.
TEST_F(LiveChecksTest, ACrossSiteAppGetsNoLaxCookies) {
  run_.api = Url("https://api.school.example.com.np");
  run_.apps = {Url("https://school-web.vercel.app")};
  run_.origin = "https://school-web.vercel.app";
  settings_.domain = ".school.example.com.np";
  Answers();
  FindingList findings = Judge();
  const Finding* f6 = Find(findings, "live-cookies-cross-site");
  ASSERT_NE(f6, nullptr);
  EXPECT_EQ(f6->severity, Severity::kError);
  EXPECT_NE(f6->why.find("the app is on https://school-web.vercel.app, the API "
                         "on https://example.com.np"),
            std::string::npos)
      << f6->why;
  EXPECT_NE(f6->fix.find("https://app.example.com.np"), std::string::npos)
      << f6->fix;
  // No F4 on top: no Domain spans two sites.
  EXPECT_EQ(Find(findings, "live-cookies-miss-app"), nullptr);

  // SameSite=None; Secure: sent, but only as third-party cookies.
  settings_.same_site = SameSite::kNone;
  Answers();
  EXPECT_EQ(Ids(), std::set<std::string>{"live-third-party-cookies"});
}

TEST_F(LiveChecksTest, AnHttpAppNeverGetsSecureCookies) {
  run_.apps = {Url("http://app.example.com")};
  run_.origin = "http://app.example.com";
  Answers();
  // The scheme alone makes it cross-site; the insecure app says it all.
  EXPECT_EQ(Ids(), std::set<std::string>{"live-app-not-secure-context"});
  // A --dev setup on loopback is fine.
  settings_.domain = "";
  settings_.secure = false;
  run_.api = Url("http://localhost:8080");
  run_.apps = {Url("http://localhost:3000")};
  run_.origin = "http://localhost:3000";
  Answers();
  EXPECT_EQ(Ids(), std::set<std::string>{});
}

TEST_F(LiveChecksTest, CookiesTheBrowserDropsAtTheApi) {
  // Secure cookies from a plain-http API that is not loopback.
  run_.api = Url("http://api.example.com");
  run_.apps = {};
  run_.origin = "http://api.example.com";
  Answers();
  FindingList findings = Judge();
  const Finding* dropped = Find(findings, "live-cookie-not-stored");
  ASSERT_NE(dropped, nullptr);
  EXPECT_EQ(dropped->setting, "GATEHOUSE_COOKIE_SECURE");
  EXPECT_NE(dropped->why.find("Secure but arrived over plain http"),
            std::string::npos)
      << dropped->why;
  // A Domain the API host is not under.
  run_.api = Url("https://api.example.com");
  settings_.domain = ".example.org";
  Answers();
  findings = Judge();
  dropped = Find(findings, "live-cookie-not-stored");
  ASSERT_NE(dropped, nullptr);
  EXPECT_EQ(dropped->setting, "GATEHOUSE_COOKIE_DOMAIN");
  EXPECT_NE(dropped->fix.find("GATEHOUSE_COOKIE_DOMAIN=.api.example.com"),
            std::string::npos)
      << dropped->fix;
  // A __Host- name with a Domain, and SameSite=None without Secure.
  settings_.domain = ".example.com";
  settings_.access_name = "__Host-access";
  settings_.refresh_name = "__Host-refresh";
  run_.access_name = "__Host-access";
  run_.refresh_name = "__Host-refresh";
  Answers();
  findings = Judge();
  dropped = Find(findings, "live-cookie-not-stored");
  ASSERT_NE(dropped, nullptr);
  EXPECT_EQ(dropped->setting, "GATEHOUSE_ACCESS_COOKIE");
  EXPECT_NE(dropped->why.find("a __Host- name needs Secure and no Domain"),
            std::string::npos)
      << dropped->why;
  settings_ = CookieSettings{};
  settings_.secure = false;
  settings_.same_site = SameSite::kNone;
  run_.access_name = "access_token";
  run_.refresh_name = "refresh_token";
  run_.api = Url("http://localhost:8080");
  run_.origin = run_.api.origin;
  Answers();
  findings = Judge();
  dropped = Find(findings, "live-cookie-not-stored");
  ASSERT_NE(dropped, nullptr);
  EXPECT_EQ(dropped->setting, "GATEHOUSE_COOKIE_SAMESITE");
  // Secure over http to a loopback host is stored.
  settings_ = CookieSettings{};
  settings_.domain = "";
  run_.api = Url("http://127.0.0.1:8080");
  run_.origin = "http://127.0.0.1:8080";
  Answers();
  EXPECT_EQ(Ids(), std::set<std::string>{});
}

TEST_F(LiveChecksTest, UnsafeAttributesOnTheRealLines) {
  run_.apps = {};
  run_.origin = run_.api.origin;
  // What a rewriting proxy might leave: no HttpOnly, no Secure on https.
  const std::string access =
      "access_token=a; Path=/; Domain=example.com; Max-Age=900; SameSite=Lax";
  const std::string refresh =
      "refresh_token=r; Path=/; Domain=example.com; Max-Age=900; HttpOnly; "
      "SameSite=Lax";
  run_.steps = {Step("login", Ok({access, refresh}))};
  FindingList findings = Judge();
  const Finding* readable = Find(findings, "live-cookie-not-httponly");
  ASSERT_NE(readable, nullptr);
  EXPECT_NE(readable->title.find("the access_token cookie"), std::string::npos)
      << readable->title;
  const Finding* insecure = Find(findings, "live-cookie-not-secure");
  ASSERT_NE(insecure, nullptr);
  EXPECT_NE(insecure->title.find("access_token and refresh_token"),
            std::string::npos);
  // On a plain-http loopback API, Secure off is what --dev does.
  run_.api = Url("http://localhost:8080");
  run_.origin = run_.api.origin;
  EXPECT_EQ(Find(Judge(), "live-cookie-not-secure"), nullptr);
}

TEST_F(LiveChecksTest, TheLoginAnswerMustGrantTheAppByCors) {
  Answers();
  run_.steps[0].response.headers.erase(run_.steps[0].response.headers.end() - 2,
                                       run_.steps[0].response.headers.end());
  FindingList findings = Judge();
  const Finding* cors = Find(findings, "live-cors-missing");
  ASSERT_NE(cors, nullptr);
  EXPECT_EQ(cors->setting, "GATEHOUSE_TRUSTED_ORIGINS");
  EXPECT_NE(cors->why.find("no Access-Control-Allow-Origin"),
            std::string::npos);
  // Same origin as the API: no CORS is involved.
  run_.apps = {};
  run_.origin = run_.api.origin;
  EXPECT_EQ(Find(Judge(), "live-cors-missing"), nullptr);
}

TEST_F(LiveChecksTest, LoginWithoutCookiesOrWithOtherNames) {
  run_.steps = {Step("login", Ok({}, Cors()))};
  FindingList findings = Judge();
  const Finding* none = Find(findings, "live-login-sets-no-cookies");
  ASSERT_NE(none, nullptr);
  EXPECT_NE(none->title.find("access_token and refresh_token cookies"),
            std::string::npos)
      << none->title;
  // The server names them otherwise: doctor's config is not the server's.
  settings_.access_name = "__Secure-at";
  settings_.refresh_name = "__Secure-rt";
  Answers();
  findings = Judge();
  const Finding* names = Find(findings, "live-cookie-names-differ");
  ASSERT_NE(names, nullptr);
  EXPECT_EQ(names->severity, Severity::kWarning);
  EXPECT_EQ(findings.size(), 1u);  // and the rest follows the server's names
}

TEST_F(LiveChecksTest, RefreshMustSetNewTokensAlike) {
  Answers();
  // Another SameSite on refresh.
  CookieSettings strict = settings_;
  strict.same_site = SameSite::kStrict;
  run_.steps[1] = Step("refresh", Ok(CookiePolicy(strict).SetAuthCookies(
                                      kAccess2, std::chrono::minutes(15),
                                      kRefresh2, std::chrono::hours(24))));
  FindingList findings = Judge();
  const Finding* differ = Find(findings, "live-refresh-attributes-differ");
  ASSERT_NE(differ, nullptr);
  EXPECT_NE(differ->title.find("another SameSite than login"),
            std::string::npos)
      << differ->title;
  EXPECT_NE(differ->why.find("SameSite: login Lax, refresh Strict"),
            std::string::npos)
      << differ->why;

  // The same tokens again (F3), and no refresh cookie at all.
  Answers();
  run_.steps[1] = Step("refresh", Ok({CookiePolicy(settings_).SetAuthCookies(
                                      kAccess1, std::chrono::minutes(15),
                                      kRefresh1, std::chrono::hours(24))[0]}));
  findings = Judge();
  const Finding* reused = Find(findings, "live-refresh-reuses-token");
  ASSERT_NE(reused, nullptr);
  EXPECT_NE(reused->title.find("the access_token cookie"), std::string::npos);
  const Finding* missing = Find(findings, "live-refresh-sets-no-cookies");
  ASSERT_NE(missing, nullptr);
  EXPECT_NE(missing->title.find("the refresh_token cookie"), std::string::npos);
}

// F5: logout's clearing must repeat the setting exactly.
TEST_F(LiveChecksTest, LogoutMustClearWithTheAttributesOfSetting) {
  Answers();
  // Cleared host-only, while login set Domain=example.com.
  CookieSettings host_only = settings_;
  host_only.domain = "";
  run_.steps[2] =
      Step("logout", Ok(CookiePolicy(host_only).ClearAuthCookies()));
  FindingList findings = Judge();
  const Finding* differ = Find(findings, "live-clear-attributes-differ");
  ASSERT_NE(differ, nullptr);
  EXPECT_NE(differ->title.find("another Domain than login set it"),
            std::string::npos)
      << differ->title;
  EXPECT_NE(differ->why.find("Domain: expected example.com, got (none)"),
            std::string::npos)
      << differ->why;
  // Without Expires, and not on its Domain's line: another finding text.
  run_.steps[2] = Step(
      "logout",
      Ok({"access_token=; Path=/; Domain=example.com; Max-Age=0; HttpOnly; "
          "Secure; SameSite=Lax",
          "refresh_token=; Path=/; Domain=example.com; Max-Age=0; Expires=Thu, "
          "01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"}));
  findings = Judge();
  ASSERT_EQ(findings.size(), 1u) << findings[0].title;
  EXPECT_NE(findings[0].title.find("logout clears access_token with another "
                                   "Expires"),
            std::string::npos)
      << findings[0].title;
  // Nothing cleared at all.
  run_.steps[2] = Step("logout", Ok({}));
  findings = Judge();
  const Finding* missing = Find(findings, "live-logout-clear-missing");
  ASSERT_NE(missing, nullptr);
  EXPECT_NE(missing->title.find("access_token and refresh_token"),
            std::string::npos);
}

TEST_F(LiveChecksTest, OldDomainClearsBesideTheRealOneAreNotMistakenForIt) {
  settings_.old_domains = {"host-only", ".api.example.com"};
  Answers();
  EXPECT_EQ(Ids(), std::set<std::string>{});
}

// F10: a host-only pair from before left beside the new Domain cookies.
TEST_F(LiveChecksTest, DuplicatesWhenOldHostOnlyCookiesAreNotCleared) {
  run_.browser_cookies = {{"access_token", "old-SECRET"},
                          {"refresh_token", "old-SECRET"}};
  Answers();
  FindingList findings = Judge();
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.id, "live-duplicate-cookies");
  EXPECT_EQ(f.setting, "GATEHOUSE_COOKIE_OLD_DOMAINS");
  EXPECT_EQ(f.title,
            "A browser would send two access_token and two refresh_token "
            "cookies to api.example.com");
  EXPECT_NE(f.why.find("After login and refresh"), std::string::npos) << f.why;
  EXPECT_NE(f.why.find("host-only on api.example.com (from --cookie-header) "
                       "and on Domain example.com (from login)"),
            std::string::npos)
      << f.why;
  EXPECT_NE(f.fix.find("GATEHOUSE_COOKIE_OLD_DOMAINS=host-only "),
            std::string::npos)
      << f.fix;
  EXPECT_EQ(f.why.find("old-SECRET"), std::string::npos);
  // Old domains already listed stay in the fix.
  run_.old_domains = {".legacy.example.com"};
  findings = Judge();
  const Finding* kept = Find(findings, "live-duplicate-cookies");
  ASSERT_NE(kept, nullptr);
  EXPECT_NE(kept->fix.find("OLD_DOMAINS=.legacy.example.com,host-only"),
            std::string::npos)
      << kept->fix;

  // The server clears host-only variants: none left.
  settings_.old_domains = {"host-only"};
  Answers();
  EXPECT_EQ(Ids(), std::set<std::string>{});
  // Host-only cookies are replaced by a host-only server, no duplicate.
  settings_ = CookieSettings{};
  run_.apps = {};
  run_.origin = run_.api.origin;
  Answers();
  EXPECT_EQ(Ids(), std::set<std::string>{});
}

TEST_F(LiveChecksTest, DuplicatesInThePastedHeaderItself) {
  settings_.old_domains = {"host-only"};
  Answers();
  run_.browser_cookies = {{"refresh_token", "a"}, {"refresh_token", "b"}};
  FindingList findings = Judge();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "live-cookie-header-duplicates");
  EXPECT_EQ(findings[0].severity, Severity::kWarning);
  EXPECT_EQ(findings[0].title,
            "The browser's Cookie header carries two refresh_token cookies");
  run_.browser_cookies = {{"refresh_token", "a"}, {"access_token", "b"}};
  EXPECT_EQ(Ids(), std::set<std::string>{});
}

TEST_F(LiveChecksTest, NoAnswerAtAll) {
  run_.steps = {{"login",
                 "https://api.example.com/api/v1/auth/login",
                 "/api/v1/auth/login",
                 "cannot connect: Connection refused",
                 {}}};
  run_.browser_cookies = {{"a", "1"}};
  FindingList findings = Judge();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "live-api-unreachable");
  EXPECT_NE(findings[0].why.find("Connection refused"), std::string::npos);
  EXPECT_NE(findings[0].fix.find("--resolve"), std::string::npos);
}

TEST_F(LiveChecksTest, AnAnswerThatIsNotGatehouses) {
  HttpResponse page = Answer(502, "<html>Bad Gateway</html>");
  page.headers = {{"Content-Type", "text/html"}};
  run_.steps = {Step("login", page)};
  FindingList findings = Judge();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "live-not-gatehouse");
  EXPECT_NE(findings[0].title.find("(HTTP 502)"), std::string::npos);
  EXPECT_NE(findings[0].why.find("Content-Type text/html"), std::string::npos);
  // A redirect says where to.
  HttpResponse moved = Answer(301, "");
  moved.headers = {{"Location", "https://api.example.com/api/v1/auth/login"}};
  run_.steps = {Step("login", moved)};
  findings = Judge();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].why.find("to gatehouse. It redirects to "
                                 "https://api.example.com/api/v1/auth/login"),
            std::string::npos)
      << findings[0].why;
  // JSON without the envelope is not gatehouse's either.
  run_.steps = {Step("login", Answer(200, "{\"ok\": true}"))};
  EXPECT_EQ(Ids(), std::set<std::string>{"live-not-gatehouse"});
}

TEST_F(LiveChecksTest, LoginRefusals) {
  run_.steps = {
      Step("login", Answer(401, Envelope(false, "INVALID_CREDENTIALS")))};
  FindingList findings = Judge();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "live-login-rejected");
  EXPECT_EQ(findings[0].title,
            "Signing in as doctor@example.com failed: wrong email or password");
  EXPECT_NE(findings[0].fix.find("GATEHOUSE_DOCTOR_PASSWORD"),
            std::string::npos);

  run_.steps = {
      Step("login", Answer(403, Envelope(false, "ACCOUNT_DISABLED")))};
  findings = Judge();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].fix.find("gatehouse user enable doctor@example.com"),
            std::string::npos);

  run_.steps = {Step("login", Answer(429, Envelope(false, "RATE_LIMITED"), {},
                                     {{"Retry-After", "42"}}))};
  findings = Judge();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "live-rate-limited");
  EXPECT_NE(findings[0].fix.find("Wait 42 s"), std::string::npos);
}

TEST_F(LiveChecksTest, RefreshAndLogoutRefusals) {
  Answers();
  run_.steps[1] =
      Step("refresh", Answer(403, Envelope(false, "CSRF_REJECTED")));
  run_.steps[2] = Step("logout", Answer(403, Envelope(false, "CSRF_REJECTED")));
  run_.trusted_origins = {"https://admin.example.com"};
  FindingList findings = Judge();
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].id, "live-csrf-rejected");
  EXPECT_EQ(findings[0].setting, "GATEHOUSE_TRUSTED_ORIGINS");
  EXPECT_NE(findings[0].fix.find("GATEHOUSE_TRUSTED_ORIGINS=https://"
                                 "admin.example.com,https://app.example.com"),
            std::string::npos)
      << findings[0].fix;
  EXPECT_NE(findings[1].why.find("stays active"), std::string::npos);
  // With the session ended from the API's own origin afterwards.
  run_.steps.push_back(Step(kLiveCleanupStep, Ok()));
  findings = Judge();
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_NE(findings[1].why.find("ended its session"), std::string::npos);

  Answers();
  run_.steps[1] =
      Step("refresh", Answer(401, Envelope(false, "INVALID_REFRESH_TOKEN")));
  run_.steps[2] = Step("logout", Answer(503, Envelope(false, "UNAVAILABLE")));
  findings = Judge();
  std::set<std::string> ids;
  for (const Finding& f : findings) ids.insert(f.id);
  EXPECT_EQ(ids, (std::set<std::string>{"live-refresh-rejected",
                                        "live-logout-rejected"}));
  EXPECT_NE(Find(findings, "live-refresh-rejected")->why.find("one database"),
            std::string::npos);
}

TEST(StepSucceededTest, TwoHundredWithASuccessfulEnvelope) {
  EXPECT_TRUE(StepSucceeded(Step("login", Ok())));
  EXPECT_FALSE(StepSucceeded(Step("login", Answer(200, Envelope(false)))));
  EXPECT_FALSE(StepSucceeded(Step("login", Answer(201, Envelope(true)))));
  EXPECT_FALSE(StepSucceeded(Step("login", Answer(200, "not json"))));
  LiveStep failed = Step("login", Ok());
  failed.error = "refused";
  EXPECT_FALSE(StepSucceeded(failed));
}

}  // namespace
}  // namespace gatehouse
