#include "app/config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace gatehouse {
namespace {

using std::chrono::minutes;

class TempToml {
 public:
  explicit TempToml(const std::string& text)
      : path_(std::filesystem::temp_directory_path() /
              ("gatehouse-config-" + std::to_string(::getpid()) + "-" +
               std::to_string(counter_++) + ".toml")) {
    std::ofstream(path_) << text;
  }
  ~TempToml() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

TEST(ConfigTest, DefaultsFollowTheSpec) {
  auto loaded = LoadConfig(false, {}, {});
  ASSERT_TRUE(loaded.ok());
  const Config& c = loaded->config;
  EXPECT_EQ(c.listen, "127.0.0.1:8080");
  EXPECT_EQ(c.database_url, "sqlite://./data/gatehouse.db");
  EXPECT_EQ(c.cookie.access_name, "access_token");
  EXPECT_EQ(c.cookie.refresh_name, "refresh_token");
  EXPECT_TRUE(c.cookie.secure);
  EXPECT_EQ(c.cookie.same_site, SameSite::kLax);
  EXPECT_EQ(c.auth.access_ttl, minutes(15));
  EXPECT_EQ(c.auth.refresh_ttl, std::chrono::days(30));
  EXPECT_EQ(c.auth.refresh_grace, std::chrono::seconds(30));
  EXPECT_EQ(c.auth.session_max_age, std::chrono::days(90));
  EXPECT_FALSE(c.auth.signup_open);
  EXPECT_EQ(c.jwt_alg, "EdDSA");
}

TEST(ConfigTest, DevTurnsSecureOffAndSignupOn) {
  auto loaded = LoadConfig(true, {}, {});
  ASSERT_TRUE(loaded.ok());
  EXPECT_FALSE(loaded->config.cookie.secure);
  EXPECT_TRUE(loaded->config.auth.signup_open);
  EXPECT_EQ(loaded->config.public_url, "http://localhost:8080");
}

TEST(ConfigTest, FlagsBeatEnvironmentBeatFileBeatDefaults) {
  TempToml file(
      "access_ttl = \"5m\"\nrefresh_ttl = \"7d\"\ncookie_domain = "
      "\".file.example\"\n"
      "trusted_origins = [\"https://a.example\", \"https://b.example\"]\n"
      "cookie_secure = false\n[guard]\nlogin_path = \"/auth\"\n");
  RawSettings env = {{"config", file.path()},
                     {"refresh_ttl", "14d"},
                     {"cookie_domain", ".env.example"}};
  RawSettings flags = {{"cookie_domain", ".flag.example"}};
  auto loaded = LoadConfig(false, flags, env);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const Config& c = loaded->config;
  EXPECT_EQ(c.auth.access_ttl, minutes(5));              // file
  EXPECT_EQ(c.auth.refresh_ttl, std::chrono::days(14));  // env over file
  EXPECT_EQ(c.cookie.domain, ".flag.example");           // flag over env
  EXPECT_FALSE(c.cookie.secure);
  EXPECT_EQ(c.trusted_origins, (std::vector<std::string>{"https://a.example",
                                                         "https://b.example"}));
  EXPECT_EQ(loaded->sources.at("access_ttl"), SettingSource::kFile);
  EXPECT_EQ(loaded->sources.at("refresh_ttl"), SettingSource::kEnvironment);
  EXPECT_EQ(loaded->sources.at("cookie_domain"), SettingSource::kFlag);
  EXPECT_EQ(loaded->sources.at("listen"), SettingSource::kDefault);
}

TEST(ConfigTest, MalformedValuesNameTheSetting) {
  auto bad_duration = LoadConfig(false, {}, {{"access_ttl", "15 minutes"}});
  ASSERT_FALSE(bad_duration.ok());
  EXPECT_NE(bad_duration.error().message.find("GATEHOUSE_ACCESS_TTL"),
            std::string::npos);
  auto bad_samesite = LoadConfig(false, {{"cookie_samesite", "relaxed"}}, {});
  ASSERT_FALSE(bad_samesite.ok());
  EXPECT_NE(bad_samesite.error().message.find("GATEHOUSE_COOKIE_SAMESITE"),
            std::string::npos);
}

TEST(ConfigTest, UnknownOrBrokenFileNamesTheLine) {
  TempToml unknown(
      "listen = \"127.0.0.1:9\"\n\ncookie_domian = \".x.example\"\n");
  auto loaded = LoadConfig(false, {{"config", unknown.path()}}, {});
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("line 3"), std::string::npos)
      << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("cookie_domian"), std::string::npos);
  TempToml broken("listen = \n");
  auto parse_error = LoadConfig(false, {{"config", broken.path()}}, {});
  ASSERT_FALSE(parse_error.ok());
  EXPECT_NE(parse_error.error().message.find("line 1"), std::string::npos);
}

TEST(ConfigTest, SecretsAreRedactedWhenPrinted) {
  auto loaded = LoadConfig(false, {{"internal_secret", "s3cr3t-value"}}, {});
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(SettingValue(loaded->config, "internal_secret", true),
            "(set, redacted)");
  EXPECT_EQ(SettingValue(loaded->config, "internal_secret", false),
            "s3cr3t-value");
  EXPECT_EQ(SettingValue(loaded->config, "access_ttl", true), "15m");
  auto pg = LoadConfig(
      false, {{"database_url", "postgres://gh:hunter2@db:5432/gh"}}, {});
  ASSERT_TRUE(pg.ok());
  EXPECT_EQ(SettingValue(pg->config, "database_url", true),
            "postgres://gh:(redacted)@db:5432/gh");
}

// Finding 8: a password in the query, or one holding '@', was printed.
TEST(ConfigTest, SecretsInOutputEveryUrlPasswordIsRedactedWhenPrinted) {
  auto loaded = LoadConfig(
      false,
      {{"database_url", "postgres://gh:p@ss@db/gh?sslpassword=k3y"},
       {"public_url", "https://ops:hunter2@api.example.com"},
       {"trusted_origins",
        "https://app.example.com,https://ops:hunter3@admin.example.com"}},
      {});
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(SettingValue(loaded->config, "database_url", true),
            "postgres://gh:(redacted)@db/gh?sslpassword=(redacted)");
  EXPECT_EQ(SettingValue(loaded->config, "public_url", true),
            "https://ops:(redacted)@api.example.com");
  EXPECT_EQ(SettingValue(loaded->config, "trusted_origins", true),
            "https://app.example.com,https://ops:(redacted)@admin.example.com");
  // Unredacted, for the code that uses them.
  EXPECT_EQ(SettingValue(loaded->config, "database_url", false),
            "postgres://gh:p@ss@db/gh?sslpassword=k3y");
  // Several hosts: one URL, not a list.
  auto hosts =
      LoadConfig(false, {{"database_url", "postgres://gh:pw@h1,h2/gh"}}, {});
  ASSERT_TRUE(hosts.ok());
  EXPECT_EQ(SettingValue(hosts->config, "database_url", true),
            "postgres://gh:(redacted)@h1,h2/gh");
}

// Finding 12c: the audit log grew forever. GATEHOUSE_AUDIT_RETENTION says
// how long its rows are kept (SPEC §9).
TEST(ConfigTest, AuditLogRetentionIsASettingOf400DaysByDefault) {
  auto defaults = LoadConfig(false, {}, {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(SettingValue(defaults->config, "audit_retention", true), "400d");
  auto set = LoadConfig(false, {}, {{"audit_retention", "90d"}});
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->config.audit_retention, std::chrono::days(90));
  EXPECT_EQ(set->sources["audit_retention"], SettingSource::kEnvironment);
  for (const char* bad : {"0d", "0s", "forever", "-1d"}) {
    auto refused = LoadConfig(false, {{"audit_retention", bad}}, {});
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_NE(refused.error().message.find("GATEHOUSE_AUDIT_RETENTION"),
              std::string::npos)
        << refused.error().message;
  }
}

TEST(ConfigTest, EnvironmentNamesFollowTheSpec) {
  std::vector<std::string> names;
  for (const SettingInfo& s : AllSettings()) names.push_back(s.env);
  for (const char* expected :
       {"GATEHOUSE_LISTEN",          "GATEHOUSE_DATABASE_URL",
        "GATEHOUSE_CONFIG",          "GATEHOUSE_PUBLIC_URL",
        "GATEHOUSE_COOKIE_DOMAIN",   "GATEHOUSE_ACCESS_COOKIE",
        "GATEHOUSE_REFRESH_COOKIE",  "GATEHOUSE_COOKIE_SECURE",
        "GATEHOUSE_COOKIE_SAMESITE", "GATEHOUSE_COOKIE_OLD_DOMAINS",
        "GATEHOUSE_TRUSTED_ORIGINS", "GATEHOUSE_ACCESS_TTL",
        "GATEHOUSE_REFRESH_TTL",     "GATEHOUSE_REFRESH_GRACE",
        "GATEHOUSE_SESSION_MAX_AGE", "GATEHOUSE_SIGNUP",
        "GATEHOUSE_INTERNAL_SECRET", "GATEHOUSE_MASTER_KEY",
        "GATEHOUSE_JWT_ALG",         "GATEHOUSE_JWT_SECRET"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end())
        << expected;
  }
}

// SPEC §9: GATEHOUSE_METRICS_TOKEN, none (an open /metrics) by default,
// read from every source like the others and redacted when printed.
TEST(ConfigTest, MetricsTokenIsASecretSetting) {
  auto info = std::find_if(
      AllSettings().begin(), AllSettings().end(),
      [](const SettingInfo& s) { return s.key == "metrics_token"; });
  ASSERT_NE(info, AllSettings().end());
  EXPECT_EQ(info->env, "GATEHOUSE_METRICS_TOKEN");
  EXPECT_EQ(info->flag, "--metrics-token");
  EXPECT_TRUE(info->secret);

  auto defaults = LoadConfig(false, {}, {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(SettingValue(defaults->config, "metrics_token", false), "");
  RawSettings env = SettingsFromEnvironment([](const char* name) {
    return std::string_view(name) == "GATEHOUSE_METRICS_TOKEN" ? "scrape-me"
                                                               : nullptr;
  });
  auto loaded = LoadConfig(false, {}, env);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(SettingValue(loaded->config, "metrics_token", false), "scrape-me");
  EXPECT_EQ(SettingValue(loaded->config, "metrics_token", true),
            "(set, redacted)");
}

TEST(ConfigTest, ConnectionCapsFollowTheSpec) {
  auto defaults = LoadConfig(false, {}, {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->config.max_connections, 10000);
  EXPECT_EQ(defaults->config.max_connections_per_ip, 256);

  RawSettings env =
      SettingsFromEnvironment([](const char* name) -> const char* {
        if (std::string(name) == "GATEHOUSE_MAX_CONNECTIONS") return "500";
        if (std::string(name) == "GATEHOUSE_MAX_CONNECTIONS_PER_IP")
          return "20";
        return nullptr;
      });
  auto set = LoadConfig(false, {{"max_connections_per_ip", "30"}}, env);
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->config.max_connections, 500);
  EXPECT_EQ(set->config.max_connections_per_ip, 30) << "the flag wins";

  for (const char* key : {"max_connections", "max_connections_per_ip"}) {
    for (const char* value : {"0", "-1", "many"}) {
      auto bad = LoadConfig(false, {}, {{key, value}});
      ASSERT_FALSE(bad.ok()) << key << "=" << value;
      std::string env_name = "GATEHOUSE_" + std::string(key);
      for (char& ch : env_name) ch = static_cast<char>(std::toupper(ch));
      EXPECT_NE(bad.error().message.find(env_name + ":"), std::string::npos)
          << bad.error().message;
    }
  }
}

TEST(ConfigTest, MasterKeyMustBe64Hex) {
  Config c;
  c.master_key_hex = std::string(64, 'a');
  auto key = DecodeMasterKey(c);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ((*key)->size(), 32u);
  c.master_key_hex = std::string(63, 'a') + "g";
  EXPECT_FALSE(DecodeMasterKey(c).ok());
  c.master_key_hex = "abcd";
  EXPECT_FALSE(DecodeMasterKey(c).ok());
}

}  // namespace
}  // namespace gatehouse
