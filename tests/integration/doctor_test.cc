// Black-box tests of `gatehouse doctor` and of the same checks at
// `gatehouse serve` start: the real binary, its text and JSON output, and
// its exit codes, on broken and sound deployments (F4, F6, F7).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "testing/server_process.h"
#include "testing/temp_dir.h"
#include "tests/integration/doctor_json.h"

namespace gatehouse::testkit {
namespace {

using Env = std::map<std::string, std::string>;

constexpr char kMasterKey[] =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
constexpr char kInternalSecret[] = "internal-secret-0123456789abcdef-xyz";

// A sound production deployment: the API at api.example.com, the app at
// app.example.com, cookies on .example.com. Tests break one thing.
Env SoundSubdomains() {
  return {{"GATEHOUSE_PUBLIC_URL", "https://api.example.com"},
          {"GATEHOUSE_TRUSTED_ORIGINS", "https://app.example.com"},
          {"GATEHOUSE_COOKIE_DOMAIN", ".example.com"},
          {"GATEHOUSE_MASTER_KEY", kMasterKey},
          {"GATEHOUSE_INTERNAL_SECRET", kInternalSecret}};
}

// The F6 field topology: the API on the school's own domain, the app on
// Vercel, a public suffix.
Env FieldTopology() {
  return {{"GATEHOUSE_PUBLIC_URL", "https://api.school.example.com.np"},
          {"GATEHOUSE_TRUSTED_ORIGINS", "https://school-web.vercel.app"},
          {"GATEHOUSE_COOKIE_DOMAIN", ".school.example.com.np"},
          {"GATEHOUSE_MASTER_KEY", kMasterKey},
          {"GATEHOUSE_INTERNAL_SECRET", kInternalSecret}};
}

CommandResult Doctor(std::vector<std::string> args, const Env& env) {
  args.insert(args.begin(), "doctor");
  return RunGatehouse(args, env);
}

// The --json document, parsed; a test failure if it is not JSON.
boost::json::object DoctorJson(std::vector<std::string> args, const Env& env,
                               int* exit_code = nullptr) {
  args.push_back("--json");
  CommandResult r = Doctor(args, env);
  if (exit_code) *exit_code = r.exit_code;
  return ParseDoctorJson(r.output);
}

const boost::json::object* FindingById(const boost::json::object& doc,
                                       const std::string& id) {
  for (const auto& f : doc.at("findings").as_array()) {
    if (f.at("id").as_string() == id) return &f.as_object();
  }
  return nullptr;
}

TEST(DoctorTest, HelpNamesTheOptionsAndExitCodes) {
  CommandResult help = Doctor({"--help"}, {});
  EXPECT_EQ(help.exit_code, 0) << help.output;
  for (const char* text :
       {"Usage", "--api-url", "--app-url", "--json", "--cookie-domain",
        "GATEHOUSE_TRUSTED_ORIGINS", "Exit status"}) {
    EXPECT_NE(help.output.find(text), std::string::npos) << text;
  }
  CommandResult top = RunGatehouse({"--help"}, {});
  EXPECT_NE(top.output.find("doctor"), std::string::npos) << top.output;
}

TEST(DoctorTest, BadUsageExitsTwo) {
  CommandResult bad_url = Doctor({"--app-url", "school-web.vercel.app"}, {});
  EXPECT_EQ(bad_url.exit_code, 2) << bad_url.output;
  EXPECT_NE(bad_url.output.find("not an http(s) URL"), std::string::npos)
      << bad_url.output;
  EXPECT_EQ(Doctor({"--api-url", "ftp://api.example.com"}, {}).exit_code, 2);
  EXPECT_EQ(Doctor({"--no-such-option"}, {}).exit_code, 2);
  // A malformed setting stops it before any check, naming the setting.
  CommandResult bad_setting = Doctor({}, {{"GATEHOUSE_ACCESS_TTL", "soon"}});
  EXPECT_EQ(bad_setting.exit_code, 2);
  EXPECT_NE(bad_setting.output.find("GATEHOUSE_ACCESS_TTL"), std::string::npos);
}

// F4: the app on a sibling subdomain with host-only cookies.
TEST(DoctorTest, F4_CrossSubdomainWithoutCookieDomainIsAnError) {
  Env env = SoundSubdomains();
  env.erase("GATEHOUSE_COOKIE_DOMAIN");
  CommandResult r = Doctor({}, env);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  for (const char* text :
       {"gatehouse doctor: the production config\n",
        "  API:  https://api.example.com\n",
        "  apps: https://app.example.com\n",
        "error: The app host app.example.com never receives the auth "
        "cookies\n",
        "  id:      cookie-domain-misses-app\n",
        "  setting: GATEHOUSE_COOKIE_DOMAIN\n",
        "  why:     ", "  fix:     GATEHOUSE_COOKIE_DOMAIN=.example.com ",
        "FAIL 1 error, 0 warnings, 0 notes"}) {
    EXPECT_NE(r.output.find(text), std::string::npos)
        << "missing: " << text << "\nin:\n"
        << r.output;
  }
  // A pipe, not a terminal: no colour.
  EXPECT_EQ(r.output.find('\033'), std::string::npos);
}

TEST(DoctorTest, SoundDeploymentPassesInText) {
  CommandResult r = Doctor({}, SoundSubdomains());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("OK 0 errors, 0 warnings, 0 notes"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("error:"), std::string::npos) << r.output;
}

TEST(DoctorTest, JsonOfABrokenAndASoundDeployment) {
  Env broken = SoundSubdomains();
  broken.erase("GATEHOUSE_COOKIE_DOMAIN");
  broken["GATEHOUSE_REFRESH_GRACE"] = "10m";
  int exit_code = -1;
  boost::json::object doc = DoctorJson({}, broken, &exit_code);
  EXPECT_EQ(exit_code, 1);
  std::vector<std::string> keys;
  for (const auto& member : doc) keys.emplace_back(member.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"ok", "errors", "warnings", "notes",
                                            "mode", "api_url", "app_urls",
                                            "findings"}));
  EXPECT_EQ(doc.at("ok"), false);
  EXPECT_EQ(doc.at("errors"), 1);
  EXPECT_EQ(doc.at("warnings"), 1);
  EXPECT_EQ(doc.at("mode"), "production");
  EXPECT_EQ(doc.at("api_url"), "https://api.example.com");
  EXPECT_EQ(FindingIds(doc, "error"),
            std::set<std::string>{"cookie-domain-misses-app"});
  EXPECT_EQ(FindingIds(doc, "warning"),
            std::set<std::string>{"refresh-grace-too-long"});
  const auto* f4 = FindingById(doc, "cookie-domain-misses-app");
  ASSERT_NE(f4, nullptr);
  std::vector<std::string> finding_keys;
  for (const auto& member : *f4) finding_keys.emplace_back(member.key());
  EXPECT_EQ(finding_keys, (std::vector<std::string>{"id", "severity", "setting",
                                                    "title", "why", "fix"}));
  EXPECT_EQ(f4->at("setting"), "GATEHOUSE_COOKIE_DOMAIN");

  boost::json::object sound = DoctorJson({}, SoundSubdomains(), &exit_code);
  EXPECT_EQ(exit_code, 0);
  EXPECT_EQ(sound.at("ok"), true);
  EXPECT_EQ(sound.at("errors"), 0);
  EXPECT_TRUE(sound.at("findings").as_array().empty())
      << boost::json::serialize(sound);
}

// F6: the field topology, then the app moved under the API's domain.
TEST(DoctorTest, F6_AppOnVercelIsAnErrorAndASubdomainOfTheApisDomainClearsIt) {
  int exit_code = -1;
  boost::json::object field =
      DoctorJson({"--app-url", "https://school-web.vercel.app"},
                 FieldTopology(), &exit_code);
  EXPECT_EQ(exit_code, 1);
  EXPECT_EQ(FindingIds(field, "error"), std::set<std::string>{"app-cross-site"})
      << boost::json::serialize(field);
  const auto* f6 = FindingById(field, "app-cross-site");
  ASSERT_NE(f6, nullptr);
  std::string why(f6->at("why").as_string());
  std::string fix(f6->at("fix").as_string());
  EXPECT_NE(why.find("vercel.app is a public suffix"), std::string::npos)
      << why;
  EXPECT_NE(why.find("third-party"), std::string::npos) << why;
  EXPECT_NE(fix.find("https://app.school.example.com.np"), std::string::npos)
      << fix;
  EXPECT_NE(fix.find("https://school-web.example.com.np"), std::string::npos)
      << fix;

  CommandResult text =
      Doctor({"--app-url", "https://school-web.vercel.app"}, FieldTopology());
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.output.find("error: The app https://school-web.vercel.app "
                             "and the API https://api.school.example.com.np "
                             "are on different sites"),
            std::string::npos)
      << text.output;

  // Moved: the app on a subdomain of the school's domain, trusted.
  Env moved = FieldTopology();
  moved["GATEHOUSE_TRUSTED_ORIGINS"] = "https://app.school.example.com.np";
  boost::json::object fixed =
      DoctorJson({"--app-url", "https://app.school.example.com.np/login"},
                 moved, &exit_code);
  EXPECT_EQ(exit_code, 0) << boost::json::serialize(fixed);
  EXPECT_EQ(fixed.at("ok"), true);
  EXPECT_TRUE(fixed.at("findings").as_array().empty())
      << boost::json::serialize(fixed);

  // Or on a custom domain one level up, with the cookies there too.
  moved["GATEHOUSE_TRUSTED_ORIGINS"] = "https://school-web.example.com.np";
  moved["GATEHOUSE_COOKIE_DOMAIN"] = ".example.com.np";
  CommandResult custom =
      Doctor({"--app-url", "https://school-web.example.com.np"}, moved);
  EXPECT_EQ(custom.exit_code, 0) << custom.output;
}

TEST(DoctorTest, ApiUrlAndAppUrlsDefaultToTheConfigAndCanBeGiven) {
  // Without flags: the API at GATEHOUSE_PUBLIC_URL, the apps at the
  // trusted origins, as serve sees them.
  boost::json::object by_config = DoctorJson({}, FieldTopology());
  EXPECT_EQ(by_config.at("api_url"), "https://api.school.example.com.np");
  EXPECT_EQ(by_config.at("app_urls").as_array().size(), 1u);
  EXPECT_TRUE(FindingIds(by_config).count("app-cross-site"));
  // An app URL that is not a trusted origin: its writes would be refused.
  boost::json::object untrusted =
      DoctorJson({"--app-url", "https://admin.example.com"}, SoundSubdomains());
  const auto* csrf = FindingById(untrusted, "app-origin-untrusted");
  ASSERT_NE(csrf, nullptr) << boost::json::serialize(untrusted);
  EXPECT_EQ(csrf->at("severity"), "error");
  EXPECT_NE(std::string(csrf->at("fix").as_string())
                .find("GATEHOUSE_TRUSTED_ORIGINS=https://app.example.com,"
                      "https://admin.example.com"),
            std::string::npos);
  // --api-url replaces the public URL for the browser's view, and says
  // that the two differ.
  boost::json::object other_api =
      DoctorJson({"--api-url", "https://auth.example.com"}, SoundSubdomains());
  EXPECT_EQ(other_api.at("api_url"), "https://auth.example.com");
  EXPECT_EQ(FindingIds(other_api, "warning"),
            std::set<std::string>{"api-url-not-public-url"});
}

TEST(DoctorTest, ConfigFileFlagsAndEnvironmentAllApply) {
  TempDir dir;
  auto file = dir.path() / "gatehouse.toml";
  std::ofstream(file) << "cookie_domain = \".example.com\"\n"
                         "trusted_origins = [\"https://app.example.com\"]\n";
  Env env = SoundSubdomains();
  env.erase("GATEHOUSE_COOKIE_DOMAIN");
  env.erase("GATEHOUSE_TRUSTED_ORIGINS");
  env["GATEHOUSE_CONFIG"] = file.string();
  EXPECT_EQ(Doctor({}, env).exit_code, 0) << Doctor({}, env).output;
  // A flag beats the file.
  boost::json::object doc = DoctorJson({"--cookie-domain", ".vercel.app"}, env);
  EXPECT_TRUE(FindingIds(doc, "error").count("cookie-domain-public-suffix"))
      << boost::json::serialize(doc);
}

TEST(DoctorTest, SecretsAreDescribedNeverPrinted) {
  Env env = SoundSubdomains();
  env["GATEHOUSE_INTERNAL_SECRET"] = "tiny-secret-value";
  env["GATEHOUSE_JWT_ALG"] = "HS256";
  env["GATEHOUSE_JWT_SECRET"] = "short-jwt-secret";
  env["GATEHOUSE_MASTER_KEY"] = "not-a-master-key";
  for (bool json : {false, true}) {
    std::vector<std::string> args;
    if (json) args.push_back("--json");
    CommandResult r = Doctor(args, env);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("GATEHOUSE_INTERNAL_SECRET is 17 bytes"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("GATEHOUSE_JWT_SECRET is 16 bytes"),
              std::string::npos);
    EXPECT_NE(r.output.find("master-key-malformed"), std::string::npos);
    for (const char* secret :
         {"tiny-secret-value", "short-jwt-secret", "not-a-master-key"}) {
      EXPECT_EQ(r.output.find(secret), std::string::npos) << secret;
    }
  }
}

// Finding 8: URLs with a password in them are shown redacted, in the
// findings that quote them and in the report's header, text and JSON.
TEST(DoctorTest, SecretsInOutputUrlPasswordsAreNeverPrinted) {
  Env env = SoundSubdomains();
  env["GATEHOUSE_PUBLIC_URL"] = "https://ops:pw-SECRET-1@api.example.com";
  env["GATEHOUSE_TRUSTED_ORIGINS"] = "https://ops:pw-SECRET-2@app.example.com";
  for (bool json : {false, true}) {
    std::vector<std::string> args;
    if (json) args.push_back("--json");
    CommandResult r = Doctor(args, env);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("public-url-invalid"), std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("(redacted)"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("pw-SECRET"), std::string::npos) << r.output;
  }
  CommandResult app =
      Doctor({"--app-url", "https://ops:pw-SECRET-3@app.example.com"},
             SoundSubdomains());
  EXPECT_EQ(app.exit_code, 2) << app.output;
  EXPECT_EQ(app.output.find("pw-SECRET"), std::string::npos) << app.output;
}

TEST(DoctorTest, DevIsLenientAboutWhatDevIsFor) {
  // serve --dev's own defaults: http://localhost, Secure off, no master key.
  CommandResult r = Doctor({"--dev"}, {});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("the --dev config"), std::string::npos);
  // The same config in production is refused.
  CommandResult prod = Doctor({}, {});
  EXPECT_EQ(prod.exit_code, 1) << prod.output;
  EXPECT_NE(prod.output.find("master-key-missing"), std::string::npos);
  EXPECT_NE(prod.output.find("public-url-missing"), std::string::npos);
}

// One set of checks: whatever doctor calls an error, production serve
// refuses to start on, naming the same setting; and the other way round.
TEST(ServeStartupCheckTest, ServeRefusesExactlyWhatDoctorCallsAnError) {
  TempDir dir;
  Env f4 = SoundSubdomains();
  f4.erase("GATEHOUSE_COOKIE_DOMAIN");
  Env weak = SoundSubdomains();
  weak["GATEHOUSE_INTERNAL_SECRET"] = "short";
  Env lifetimes = SoundSubdomains();
  lifetimes["GATEHOUSE_SESSION_MAX_AGE"] = "1d";
  for (Env env : {FieldTopology(), f4, weak, lifetimes}) {
    env["GATEHOUSE_DATABASE_URL"] =
        "sqlite://" + (dir.path() / "never-opened.db").string();
    env["GATEHOUSE_LISTEN"] = "127.0.0.1:0";
    boost::json::object doc = DoctorJson({}, env);
    ASSERT_EQ(doc.at("ok"), false) << boost::json::serialize(doc);
    CommandResult serve = RunGatehouse({"serve"}, env);
    EXPECT_EQ(serve.exit_code, 2) << serve.output;
    for (const auto& f : doc.at("findings").as_array()) {
      if (f.at("severity") != "error") continue;
      std::string setting(f.at("setting").as_string());
      EXPECT_NE(serve.output.find("refusing to start: " + setting + ": "),
                std::string::npos)
          << setting << " in:\n"
          << serve.output;
      EXPECT_NE(serve.output.find(std::string(f.at("title").as_string())),
                std::string::npos)
          << serve.output;
    }
  }
}

TEST(ServeStartupCheckTest, DevServeOnlyWarnsAboutTheTopology) {
  TempDir dir;
  ServerOptions options;
  options.env = FieldTopology();
  ServerProcess server(dir, options);
  ASSERT_TRUE(server.started()) << server.Output();
  EXPECT_NE(server.Output().find("app-cross-site"), std::string::npos)
      << server.Output();
}

TEST(ServeStartupCheckTest, ProductionServeLogsWarningsAndStarts) {
  TempDir dir;
  ServerOptions options;
  options.args = {"serve"};
  options.env = {{"GATEHOUSE_PUBLIC_URL", "http://localhost:8080"},
                 {"GATEHOUSE_MASTER_KEY", kMasterKey},
                 {"GATEHOUSE_REFRESH_GRACE", "10m"}};
  ServerProcess server(dir, options);
  ASSERT_TRUE(server.started()) << server.Output();
  EXPECT_NE(server.Output().find("refresh-grace-too-long"), std::string::npos)
      << server.Output();
}

}  // namespace
}  // namespace gatehouse::testkit
