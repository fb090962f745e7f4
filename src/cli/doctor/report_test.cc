#include "cli/doctor/report.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace gatehouse {
namespace {

DoctorReport Broken() {
  DoctorReport r;
  r.api_url = "https://api.example.com";
  r.app_urls = {"https://app.example.com"};
  r.findings = {
      {Severity::kError, "cookie-domain-misses-app", "GATEHOUSE_COOKIE_DOMAIN",
       "The app host app.example.com never receives the auth cookies",
       "GATEHOUSE_COOKIE_DOMAIN is empty, so the cookies are host-only: the "
       "browser sends them to api.example.com alone, and a \"quoted\" word.",
       "GATEHOUSE_COOKIE_DOMAIN=.example.com"},
      {Severity::kWarning, "refresh-grace-too-long", "GATEHOUSE_REFRESH_GRACE",
       "GATEHOUSE_REFRESH_GRACE is 10m", "why", "fix"},
      {Severity::kNote, "no-app-urls", "", "No app URL to check", "why", "fix"},
  };
  return r;
}

TEST(DoctorReportTest, CountsAndExitCode) {
  DoctorReport r = Broken();
  EXPECT_EQ(r.findings.Count(Severity::kError), 1);
  EXPECT_EQ(r.findings.Count(Severity::kWarning), 1);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(ExitCode(r), 1);
  r.findings = {r.findings[1], r.findings[2]};  // without the error
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(ExitCode(r), 0);
}

TEST(DoctorReportTest, TextHasOneBlockPerFindingAndASummary) {
  std::string text = RenderText(Broken(), {});
  EXPECT_NE(text.find("error: The app host app.example.com never receives"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  id:      cookie-domain-misses-app\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  setting: GATEHOUSE_COOKIE_DOMAIN\n"),
            std::string::npos);
  EXPECT_NE(text.find("  fix:     GATEHOUSE_COOKIE_DOMAIN=.example.com\n"),
            std::string::npos);
  EXPECT_NE(text.find("warning: GATEHOUSE_REFRESH_GRACE is 10m"),
            std::string::npos);
  EXPECT_NE(text.find("note: No app URL to check"), std::string::npos);
  EXPECT_NE(text.find("FAIL 1 error, 1 warning, 1 note"), std::string::npos)
      << text;
  // A finding without a setting has no setting line.
  size_t note = text.find("note: ");
  EXPECT_EQ(text.find("setting:", note), std::string::npos);
  // No colour unless asked for.
  EXPECT_EQ(text.find('\033'), std::string::npos);
}

TEST(DoctorReportTest, TextNamesTheLiveStepsOnlyAfterALiveRun) {
  DoctorReport r = Broken();
  EXPECT_EQ(RenderText(r, {}).find("  live:"), std::string::npos);
  r.live = "login 200, refresh 200, logout 200 as a@example.com";
  std::string text = RenderText(r, {});
  EXPECT_NE(text.find("  apps: https://app.example.com\n"
                      "  live: login 200, refresh 200, logout 200 as "
                      "a@example.com\n"),
            std::string::npos)
      << text;
  // The JSON document keeps its shape.
  EXPECT_EQ(RenderJson(r).find("login 200"), std::string::npos);
}

TEST(DoctorReportTest, TextWrapsAtTheWidthAndLinesUpContinuations) {
  std::string text = RenderText(Broken(), {false, 60});
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    // Titles and the header stay on one line; wrapped fields do not.
    if (line.starts_with("  why:") || line.starts_with("           ")) {
      EXPECT_LE(line.size(), 60u) << line;
    }
    start = end + 1;
  }
  EXPECT_NE(text.find("\n           "), std::string::npos)
      << "a continuation line, indented under the text:\n"
      << text;
}

TEST(DoctorReportTest, ColourOnlyWhenAskedAndASoundReportSaysOk) {
  EXPECT_NE(RenderText(Broken(), {true, 80}).find("\033[1;31merror\033[0m"),
            std::string::npos);
  DoctorReport sound;
  sound.api_url = "https://api.example.com";
  std::string text = RenderText(sound, {});
  EXPECT_NE(text.find("OK 0 errors, 0 warnings, 0 notes"), std::string::npos)
      << text;
  EXPECT_NE(text.find("apps: (none)"), std::string::npos);
}

TEST(DoctorReportTest, JsonHasAStableShapeAndKeyOrder) {
  std::string text = RenderJson(Broken());
  boost::json::value doc = boost::json::parse(text);
  const auto& o = doc.as_object();
  std::vector<std::string> keys;
  for (const auto& member : o) keys.emplace_back(member.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"ok", "errors", "warnings", "notes",
                                            "mode", "api_url", "app_urls",
                                            "findings"}));
  EXPECT_EQ(o.at("ok"), false);
  EXPECT_EQ(o.at("errors"), 1);
  EXPECT_EQ(o.at("mode"), "production");
  const auto& findings = o.at("findings").as_array();
  ASSERT_EQ(findings.size(), 3u);
  std::vector<std::string> finding_keys;
  for (const auto& member : findings[0].as_object()) {
    finding_keys.emplace_back(member.key());
  }
  EXPECT_EQ(finding_keys, (std::vector<std::string>{"id", "severity", "setting",
                                                    "title", "why", "fix"}));
  // Quotes and all, the text survives the escaping.
  EXPECT_EQ(findings[0].at("why").as_string(), Broken().findings[0].why);
  EXPECT_TRUE(findings[2].at("setting").is_null());
  EXPECT_EQ(findings[1].at("severity"), "warning");
  EXPECT_EQ(text.back(), '\n');
  EXPECT_NE(text.find("\n  \"findings\": [\n    {\n      \"id\": "),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace gatehouse
