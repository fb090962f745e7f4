#include "core/guard_policy.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/path_normalizer.h"

namespace gatehouse {
namespace {

constexpr auto kAllow = GuardDecision::kAllow;
constexpr auto kLogin = GuardDecision::kLoginRequired;
constexpr auto kForbid = GuardDecision::kForbidden;
constexpr auto kLanding = GuardDecision::kSendToLanding;

// The example config of SPEC §7.
GuardRules SpecRules() {
  return GuardRules{
      .login_path = "/auth",
      .landing_path = "/admin",
      .public_prefixes = {"/auth", "/_next", "/favicon.ico"},
      .rules = {{"/admin", {"admin"}}, {"/teacher", {"admin", "teacher"}}},
  };
}

GuardPolicy MustCreate(GuardRules rules) {
  auto policy = GuardPolicy::Create(std::move(rules));
  EXPECT_TRUE(policy.ok()) << policy.error().message;
  return std::move(policy).value();
}

// One path, judged for the signed-out and for three roles.
struct Row {
  std::string_view path;
  GuardDecision signed_out;
  GuardDecision admin;
  GuardDecision teacher;
  GuardDecision user;
};

void ExpectTable(const GuardPolicy& policy, const std::vector<Row>& table) {
  for (const Row& row : table) {
    EXPECT_EQ(GuardDecisionName(policy.Decide(row.path, std::nullopt)),
              GuardDecisionName(row.signed_out))
        << row.path << " signed out";
    EXPECT_EQ(GuardDecisionName(policy.Decide(row.path, "admin")),
              GuardDecisionName(row.admin))
        << row.path << " as admin";
    EXPECT_EQ(GuardDecisionName(policy.Decide(row.path, "teacher")),
              GuardDecisionName(row.teacher))
        << row.path << " as teacher";
    EXPECT_EQ(GuardDecisionName(policy.Decide(row.path, "user")),
              GuardDecisionName(row.user))
        << row.path << " as user";
  }
}

TEST(GuardPolicyTest, SpecExampleTable) {
  const GuardPolicy policy = MustCreate(SpecRules());
  ExpectTable(
      policy,
      {
          // path                    out     admin    teacher  user
          {"/", kAllow, kAllow, kAllow, kAllow},
          {"/dashboard", kAllow, kAllow, kAllow, kAllow},
          {"/admin", kLogin, kAllow, kForbid, kForbid},
          {"/admin/", kLogin, kAllow, kForbid, kForbid},
          {"/admin/users/1", kLogin, kAllow, kForbid, kForbid},
          {"/administrator", kAllow, kAllow, kAllow, kAllow},
          {"/admin.php", kAllow, kAllow, kAllow, kAllow},
          {"/teacher", kLogin, kAllow, kAllow, kForbid},
          {"/teacher/class/7", kLogin, kAllow, kAllow, kForbid},
          {"/teachers", kAllow, kAllow, kAllow, kAllow},
          // The login path: open to the signed-out, and a signed-in user
          // (valid session) is sent on to the landing path.
          {"/auth", kAllow, kLanding, kLanding, kLanding},
          {"/auth/", kAllow, kLanding, kLanding, kLanding},
          // Its sub-pages are public and stay reachable when signed in.
          {"/auth/register", kAllow, kAllow, kAllow, kAllow},
          {"/auth/callback/x", kAllow, kAllow, kAllow, kAllow},
          {"/authority", kAllow, kAllow, kAllow, kAllow},
          {"/_next/static/chunks/main.js", kAllow, kAllow, kAllow, kAllow},
          {"/_next", kAllow, kAllow, kAllow, kAllow},
          {"/favicon.ico", kAllow, kAllow, kAllow, kAllow},
          // Rules match case-insensitively (Express, IIS route so).
          {"/ADMIN", kLogin, kAllow, kForbid, kForbid},
          {"/Admin/x", kLogin, kAllow, kForbid, kForbid},
          {"/TEACHER/x", kLogin, kAllow, kAllow, kForbid},
          // Public prefixes and the login path match exactly.
          {"/AUTH", kAllow, kAllow, kAllow, kAllow},
          {"/Auth/", kAllow, kAllow, kAllow, kAllow},
          // Not a reading: denied whoever asks.
          {"", kLogin, kForbid, kForbid, kForbid},
          {"admin", kLogin, kForbid, kForbid, kForbid},
      });
}

TEST(GuardPolicyTest, LongestPrefixWinsAcrossPublicAndRules) {
  // A rule inside a public area.
  const GuardPolicy inside_public = MustCreate({
      .login_path = "/auth",
      .landing_path = "/",
      .public_prefixes = {"/auth"},
      .rules = {{"/auth/admin", {"admin"}}},
  });
  ExpectTable(inside_public,
              {
                  {"/auth/x", kAllow, kAllow, kAllow, kAllow},
                  {"/auth/admin", kLogin, kAllow, kForbid, kForbid},
                  {"/auth/admin/x", kLogin, kAllow, kForbid, kForbid},
                  {"/auth/administrator", kAllow, kAllow, kAllow, kAllow},
                  {"/auth/ADMIN", kLogin, kAllow, kForbid, kForbid},
              });

  // A public area inside a rule, and a longer rule inside a rule.
  const GuardPolicy inside_rule = MustCreate({
      .login_path = "/login",
      .landing_path = "/",
      .public_prefixes = {"/login", "/docs/public/"},
      .rules = {{"/docs", {"teacher"}},
                {"/docs/admin", {"admin"}},
                {"/", {"admin", "teacher", "user"}}},
  });
  ExpectTable(inside_rule,
              {
                  {"/docs/public", kAllow, kAllow, kAllow, kAllow},
                  {"/docs/public/a.pdf", kAllow, kAllow, kAllow, kAllow},
                  {"/docs/publicity", kLogin, kForbid, kAllow, kForbid},
                  {"/docs", kLogin, kForbid, kAllow, kForbid},
                  {"/docs/admin/x", kLogin, kAllow, kForbid, kForbid},
                  {"/docs/administer", kLogin, kForbid, kAllow, kForbid},
                  // The root rule covers every other path.
                  {"/", kLogin, kAllow, kAllow, kAllow},
                  {"/anything", kLogin, kAllow, kAllow, kAllow},
                  {"/login", kAllow, kLanding, kLanding, kLanding},
                  {"/login/reset", kAllow, kAllow, kAllow, kAllow},
              });
}

TEST(GuardPolicyTest, ARoleOutsideEveryRuleIsForbiddenOnlyWhereRulesApply) {
  const GuardPolicy policy = MustCreate(SpecRules());
  EXPECT_EQ(policy.Decide("/admin", ""), kForbid);
  EXPECT_EQ(policy.Decide("/admin", "Admin"), kForbid) << "roles are exact";
  EXPECT_EQ(policy.Decide("/elsewhere", ""), kAllow);
}

// Request URIs as the proxy forwards them, through NormalizePath and the
// strictest of their readings.
struct UriRow {
  std::string_view uri;
  GuardDecision signed_out;
  GuardDecision user;  // signed in, role "user"
};

TEST(GuardPolicyTest, EveryReadingOfAnAttackIsJudged) {
  const GuardPolicy policy = MustCreate(SpecRules());
  const UriRow kRows[] = {
      {"/admin?x=1", kLogin, kForbid},
      {"//admin", kLogin, kForbid},
      {"/./admin", kLogin, kForbid},
      {"/auth/../admin", kLogin, kForbid},
      {"/auth/%2e%2e/admin", kLogin, kForbid},
      {"/auth/%2E%2E/admin", kLogin, kForbid},
      {"/auth/.%2e/admin", kLogin, kForbid},
      {"/_next/../admin", kLogin, kForbid},
      {"/favicon.ico/../admin/x", kLogin, kForbid},
      {"/%61dmin", kLogin, kForbid},
      {"/%41DMIN", kLogin, kForbid},
      {"/admin/", kLogin, kForbid},
      // Judged /auth by nginx, but /admin/... by a router that removes no
      // dot segments (Express): the strictest reading wins.
      {"/admin/../auth", kLogin, kForbid},
      {"/admin/..", kLogin, kForbid},
      // nginx reads /auth, WHATWG /admin/auth.
      {"/admin//../auth/x", kLogin, kForbid},
      // Servlet containers drop ;parameters.
      {"/admin;jsessionid=1", kLogin, kForbid},
      {"/_next/..;/admin", kLogin, kForbid},
      {"/auth;/../admin", kLogin, kForbid},
      // Servers that decode twice.
      {"/auth/%252e%252e/admin", kLogin, kForbid},
      {"/%2561dmin", kLogin, kForbid},
      // Plain pages stay as they were.
      {"/", kAllow, kAllow},
      {"/auth?next=%2Fadmin", kAllow, kLanding},
      {"/auth/register", kAllow, kAllow},
      {"/_next/static/x.js?v=1", kAllow, kAllow},
      {"/administrator", kAllow, kAllow},
      {"/a%20b", kAllow, kAllow},
  };
  for (const UriRow& row : kRows) {
    auto path = NormalizePath(row.uri);
    ASSERT_TRUE(path.ok()) << row.uri << ": " << path.error().message;
    EXPECT_EQ(GuardDecisionName(policy.Decide(*path, std::nullopt)),
              GuardDecisionName(row.signed_out))
        << row.uri << " signed out";
    EXPECT_EQ(GuardDecisionName(policy.Decide(*path, "user")),
              GuardDecisionName(row.user))
        << row.uri << " as user";
  }
}

TEST(GuardPolicyTest, StrictestReadingBeatsTheLandingRedirect) {
  const GuardPolicy policy = MustCreate(SpecRules());
  auto path = NormalizePath("/admin/../auth");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(policy.Decide(*path, "admin"), kLanding);
  EXPECT_EQ(policy.Decide(*path, "user"), kForbid);
}

// A rule set with one thing wrong, and the field the problem names.
struct BadRules {
  std::string_view what;
  GuardRules rules;
  std::string_view field;
  std::string_view reason_part;
};

TEST(GuardPolicyTest, RefusesUnsoundRules) {
  auto with = [](auto change) {
    GuardRules rules = SpecRules();
    change(rules);
    return rules;
  };
  const BadRules kCases[] = {
      {"empty login path", with([](GuardRules& r) { r.login_path = ""; }),
       "guard.login_path", "must not be empty"},
      {"relative login path",
       with([](GuardRules& r) { r.login_path = "auth"; }), "guard.login_path",
       "must start with '/'"},
      {"login path with a query",
       with([](GuardRules& r) { r.login_path = "/auth?x=1"; }),
       "guard.login_path", "without '?'"},
      {"login path not in normal form",
       with([](GuardRules& r) { r.login_path = "//auth"; }), "guard.login_path",
       "normal form, '/auth'"},
      {"landing path with dot segments",
       with([](GuardRules& r) { r.landing_path = "/admin/../x"; }),
       "guard.landing_path", "read differently"},
      {"landing path is the login path",
       with([](GuardRules& r) { r.landing_path = "/auth/"; }),
       "guard.landing_path", "redirect loop"},
      {"public prefix with an encoded slash",
       with([](GuardRules& r) { r.public_prefixes[1] = "/_next%2Fx"; }),
       "guard.public[1]", "not a usable path"},
      {"public prefix with lower-case hex",
       with([](GuardRules& r) { r.public_prefixes[2] = "/caf%c3%a9"; }),
       "guard.public[2]", "'/caf%C3%A9'"},
      {"public prefix with ;parameters",
       with([](GuardRules& r) { r.public_prefixes[2] = "/a;b"; }),
       "guard.public[2]", "read differently"},
      {"public prefix ending in a dot (IIS reads /auth)",
       with([](GuardRules& r) { r.public_prefixes[0] = "/auth."; }),
       "guard.public[0]", "a segment ending in '.' or a space"},
      {"relative rule prefix",
       with([](GuardRules& r) { r.rules[1].prefix = "teacher"; }),
       "guard.rules[1].prefix", "must start with '/'"},
      {"duplicate rule prefix",
       with([](GuardRules& r) { r.rules[1].prefix = "/admin/"; }),
       "guard.rules[1].prefix", "already the prefix of guard.rules[0]"},
      {"duplicate rule prefix by case",
       with([](GuardRules& r) { r.rules[1].prefix = "/Admin"; }),
       "guard.rules[1].prefix", "already the prefix of guard.rules[0]"},
      {"a prefix both public and protected",
       with([](GuardRules& r) { r.rules[1].prefix = "/_next"; }),
       "guard.rules[1].prefix", "both public and protected"},
      {"no roles", with([](GuardRules& r) { r.rules[0].roles.clear(); }),
       "guard.rules[0].roles", "at least one role"},
      {"an empty role", with([](GuardRules& r) {
         r.rules[1].roles = {"admin", ""};
       }),
       "guard.rules[1].roles[1]", "must not be empty"},
      {"login path behind a rule", with([](GuardRules& r) {
         r.public_prefixes = {"/_next"};
         r.rules.push_back({"/", {"user"}});
       }),
       "guard.login_path", "protected by guard.rules[2] ('/')"},
      {"login path under a rule prefix",
       with([](GuardRules& r) { r.login_path = "/admin/login"; }),
       "guard.login_path", "protected by guard.rules[0] ('/admin')"},
  };
  for (const BadRules& c : kCases) {
    auto problem = GuardPolicy::FindProblem(c.rules);
    ASSERT_TRUE(problem.has_value()) << c.what;
    EXPECT_EQ(problem->field, c.field) << c.what << ": " << problem->reason;
    EXPECT_NE(problem->reason.find(c.reason_part), std::string::npos)
        << c.what << ": " << problem->reason;
    auto policy = GuardPolicy::Create(c.rules);
    ASSERT_FALSE(policy.ok()) << c.what;
    EXPECT_EQ(policy.error().code, ErrorCode::kValidationFailed);
    EXPECT_EQ(policy.error().message.rfind(std::string(c.field) + ": ", 0), 0u)
        << policy.error().message;
  }
}

TEST(GuardPolicyTest, AcceptsSoundRules) {
  EXPECT_FALSE(GuardPolicy::FindProblem(SpecRules()).has_value());
  GuardRules rules = SpecRules();
  rules.public_prefixes.push_back("/_next/");  // the same prefix again
  rules.public_prefixes.push_back("/caf%C3%A9");
  rules.rules.push_back({"/reports/", {"admin"}});
  rules.landing_path = "/";
  const GuardPolicy policy = MustCreate(rules);
  EXPECT_EQ(policy.Decide("/reports", std::nullopt), kLogin);
  EXPECT_EQ(policy.Decide("/caf%C3%A9/menu", std::nullopt), kAllow);
  EXPECT_EQ(policy.login_path(), "/auth");
  EXPECT_EQ(policy.landing_path(), "/");
  // A policy without rules guards nothing.
  const GuardPolicy open = MustCreate({.login_path = "/login",
                                       .landing_path = "/",
                                       .public_prefixes = {},
                                       .rules = {}});
  EXPECT_EQ(open.Decide("/admin", std::nullopt), kAllow);
  EXPECT_EQ(open.Decide("/login", "user"), kLanding);
}

struct RedirectRow {
  std::string_view original_uri;
  std::string_view location;
};

TEST(GuardPolicyTest, LoginRedirectCarriesOnlyALocalNext) {
  const GuardPolicy policy = MustCreate(SpecRules());
  const RedirectRow kRows[] = {
      {"/admin", "/auth?next=%2Fadmin"},
      {"/", "/auth?next=%2F"},
      {"/admin/x?tab=1&q=a%20b",
       "/auth?next=%2Fadmin%2Fx%3Ftab%3D1%26q%3Da%2520b"},
      {"/teacher/~me/a-b_c.d", "/auth?next=%2Fteacher%2F~me%2Fa-b_c.d"},
      // Unsafe: no next at all, so the login page goes to its default.
      {"", "/auth"},
      {"//evil.example", "/auth"},
      {"/\\evil.example", "/auth"},
      {"/%2F%2Fevil.example", "/auth"},
      {"/%5Cevil.example", "/auth"},
      {"https://evil.example/", "/auth"},
      {"/..//evil.example", "/auth"},
      {"/admin/../..//evil.example", "/auth"},
      {"/a\r\nSet-Cookie: x=1", "/auth"},
  };
  for (const RedirectRow& row : kRows) {
    EXPECT_EQ(policy.LoginRedirect(row.original_uri), row.location)
        << row.original_uri;
  }
  std::string long_uri = "/" + std::string(kMaxNextLength, 'a');
  EXPECT_EQ(policy.LoginRedirect(long_uri), "/auth");
}

TEST(IsSafeNextTest, LocalPathsAreSafe) {
  for (std::string_view next : {
           "/",
           "/admin",
           "/admin/x?y=1#z",
           "/search?q=a%20b",
           "/search?q=100%25",
           "/search?q=100%",
           "/caf%C3%A9",
           "/a//b",
           "/?next=//evil.example",
           "/?next=https://evil.example",
           "/@evil.example",
           "/evil.example",
           "/javascript:alert(1)",
           "/.well-known/x",
           "/a/.b/..c",
           "/#//evil.example",
       }) {
    EXPECT_TRUE(IsSafeNext(next)) << next;
  }
}

TEST(IsSafeNextTest, AnythingThatCanLeaveTheOriginIsNot) {
  const std::string_view kAttacks[] = {
      "", "admin", "evil.example",
      // Scheme-relative and backslash forms.
      "//evil.example", "///evil.example", "//evil.example/%2F..",
      "/\\evil.example", "\\/evil.example", "\\\\evil.example",
      "/\\/evil.example", "/x\\..\\..\\evil.example",
      // Absolute URLs and other schemes.
      "https://evil.example", "http:evil.example", "https:/evil.example",
      "javascript:alert(1)", "JaVaScRiPt:alert(1)",
      "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
      // Whitespace and control characters, which browsers drop or trim.
      " /admin", "/admin ", " //evil.example", "/\t/evil.example",
      "/\n/evil.example", "/\r/evil.example",
      std::string_view("/\0/evil.example", 15), "/\x7f",
      "/a\r\nSet-Cookie: x=1",
      // Encoded once.
      "/%2F%2Fevil.example", "/%2f%2fevil.example", "/%2F/evil.example",
      "%2F%2Fevil.example", "/%5Cevil.example", "/%5C%5Cevil.example",
      "/%09/evil.example", "/%0D%0ASet-Cookie:%20x=1", "/%00",
      "/%2e%2e//evil.example", "/%2e%2e%2f%2fevil.example",
      // Encoded twice and three times.
      "/%252F%252Fevil.example", "/%255Cevil.example",
      "/%25252F%25252Fevil.example", "/%2525252F%2525252Fevil.example",
      // Dot segments, which a resolver can climb to "//".
      "/..//evil.example", "/./", "/.", "/..", "/a/../..//evil.example",
      "/admin/./x",
      // Non-ASCII as received: a browser would have encoded it.
      "/caf\xC3\xA9",
      "/\xEF\xBC\x8F\xEF\xBC\x8F"
      "evil.example",  // fullwidth solidus
  };
  for (std::string_view next : kAttacks) {
    EXPECT_FALSE(IsSafeNext(next)) << next;
  }
  EXPECT_TRUE(IsSafeNext("/" + std::string(kMaxNextLength - 1, 'a')));
  EXPECT_FALSE(IsSafeNext("/" + std::string(kMaxNextLength, 'a')));
}

// Finding 9: the C++ guard and the Next.js middleware read one path one
// way. testing/testdata/guard_paths.json holds the shared cases (normal
// form, every other reading, verdicts under SPEC §7's rules); the JS side
// runs the same file (clients/js/test/guard-paths.test.ts).
class GuardPathVectorsTest : public ::testing::Test {
 protected:
  static boost::json::object Load() {
    std::ifstream in(std::string(GATEHOUSE_TESTDATA_DIR) + "/guard_paths.json",
                     std::ios::binary);
    EXPECT_TRUE(in) << "testing/testdata/guard_paths.json is missing";
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    boost::json::value doc = boost::json::parse(text.str(), ec);
    EXPECT_FALSE(ec) << ec.message();
    return ec ? boost::json::object() : doc.as_object();
  }

  static std::vector<std::string> Strings(const boost::json::value& v) {
    std::vector<std::string> out;
    for (const auto& s : v.as_array()) out.emplace_back(s.as_string());
    return out;
  }

  static GuardRules RulesOf(const boost::json::object& doc) {
    const auto& r = doc.at("rules").as_object();
    GuardRules rules{
        .login_path = std::string(r.at("login_path").as_string()),
        .landing_path = std::string(r.at("landing_path").as_string()),
        .public_prefixes = Strings(r.at("public")),
        .rules = {}};
    for (const auto& rule : r.at("rules").as_array()) {
      rules.rules.push_back({std::string(rule.at("prefix").as_string()),
                             Strings(rule.at("roles"))});
    }
    return rules;
  }
};

TEST_F(GuardPathVectorsTest, PathReadingsTheGuardMissedAreSharedVectors) {
  const boost::json::object doc = Load();
  ASSERT_FALSE(doc.empty());
  EXPECT_EQ(doc.at("decodings").as_int64(), kMaxPathDecodings)
      << "one decoding depth for the guard and the middleware";
  const GuardPolicy policy = MustCreate(RulesOf(doc));
  const auto& cases = doc.at("cases").as_array();
  ASSERT_GE(cases.size(), 40u);
  for (const auto& value : cases) {
    const auto& c = value.as_object();
    const std::string uri(c.at("path").as_string());
    SCOPED_TRACE("path '" + uri + "'");
    auto path = NormalizePath(uri);
    const bool rejected = c.contains("rejected");
    EXPECT_EQ(!path.ok(), rejected)
        << (path.ok() ? "read as '" + path->path + "'" : path.error().message);
    if (!path.ok() != rejected) continue;
    for (std::string_view who : {"signed_out", "user", "admin"}) {
      std::optional<std::string_view> role;
      if (who != "signed_out") role = who;
      // A path that cannot be read is denied whoever asks (the check's
      // 403 FORBIDDEN).
      const std::string_view verdict =
          rejected ? GuardDecisionName(kForbid)
                   : GuardDecisionName(policy.Decide(*path, role));
      EXPECT_EQ(verdict, std::string_view(c.at(who).as_string())) << who;
    }
    if (rejected) continue;
    EXPECT_EQ(path->path, std::string_view(c.at("normal").as_string()));
    EXPECT_EQ(path->other_readings, Strings(c.at("readings")));
  }
}

TEST(GuardDecisionNameTest, NamesEveryDecision) {
  EXPECT_EQ(GuardDecisionName(kAllow), "allow");
  EXPECT_EQ(GuardDecisionName(kLogin), "login_required");
  EXPECT_EQ(GuardDecisionName(kForbid), "forbidden");
  EXPECT_EQ(GuardDecisionName(kLanding), "send_to_landing");
}

}  // namespace
}  // namespace gatehouse
