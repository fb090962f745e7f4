// Config: every setting of gatehouse, where it came from, and how it is
// read: flags > GATEHOUSE_* environment > TOML file > defaults (SPEC §9).
//
// Settings are one table (config.cc): a key ("cookie_domain"), its
// environment name (GATEHOUSE_COOKIE_DOMAIN), its flag (--cookie-domain),
// whether it is secret (redacted in `config print`), and how to apply a
// value. The TOML file uses the keys at top level; [guard] holds the edge
// guard rules.
#ifndef GATEHOUSE_APP_CONFIG_H_
#define GATEHOUSE_APP_CONFIG_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/cookie_policy.h"
#include "core/result.h"
#include "service/audit_sweeper.h"
#include "service/auth_service.h"

namespace gatehouse {

struct Config {
  bool dev = false;
  std::string listen = "127.0.0.1:8080";
  std::string database_url = "sqlite://./data/gatehouse.db";
  std::string config_file;
  std::string public_url;  // defaults to http://localhost:8080 in --dev
  CookieSettings cookie;
  std::vector<std::string> trusted_origins;
  AuthSettings auth;
  std::string internal_secret;
  // Bearer token /metrics requires; empty: /metrics is open.
  std::string metrics_token;
  std::string master_key_hex;
  std::string jwt_alg = "EdDSA";
  std::string jwt_secret;
  std::string jwt_audience = "gatehouse";
  Duration header_timeout{std::chrono::seconds(10)};
  // Audit events older than this are swept (service/audit_sweeper.h).
  Duration audit_retention = kDefaultAuditRetention;
  std::string log_level = "info";
  // Peers whose X-Forwarded-For is believed (IPs or CIDRs).
  std::vector<std::string> trusted_proxies;
  bool account_page = false;
  // Sign-ins (argon2id runs) waiting or running at once; past it, 503.
  int max_pending_logins = 64;
  // Open connections in total and per client IP (an IPv6 client by its
  // /64); past either, a new connection is refused. ServerLimits gives the
  // reasons for the defaults; the total is lowered to fit the process's
  // descriptor limit.
  int max_connections = 10000;
  int max_connections_per_ip = 256;
};

// One row of the settings table, for listing and help.
struct SettingInfo {
  std::string key;   // cookie_domain
  std::string env;   // GATEHOUSE_COOKIE_DOMAIN
  std::string flag;  // --cookie-domain
  std::string help;
  bool secret = false;
};

const std::vector<SettingInfo>& AllSettings();

// Raw values by setting key, as given by one source.
using RawSettings = std::map<std::string, std::string>;

// Where each effective value came from, for `config print`.
enum class SettingSource { kDefault, kFile, kEnvironment, kFlag };

struct LoadedConfig {
  Config config;
  std::map<std::string, SettingSource> sources;
};

// Reads GATEHOUSE_* variables from `environ`-style lookup `getenv`.
RawSettings SettingsFromEnvironment(
    const std::function<const char*(const char*)>& getenv);

// Builds the effective config: defaults for `dev`, then the TOML file
// (named by the flag, else the environment), then the environment, then
// flags. kValidationFailed naming the setting (and the file line) for a
// malformed value or an unknown key.
Result<LoadedConfig> LoadConfig(bool dev, const RawSettings& flags,
                                const RawSettings& environment);

// The effective value of `key` as text. With `redact`, a secret setting
// reads "(set, redacted)" and the passwords in URLs (database, public URL,
// trusted origins) are redacted by RedactUrl (core/url_redaction.h).
std::string SettingValue(const Config& config, const std::string& key,
                         bool redact);

// The master key as 32 raw bytes; nullopt if unset; kValidationFailed if
// it is not 64 hex characters.
Result<std::optional<std::string>> DecodeMasterKey(const Config& config);

}  // namespace gatehouse

#endif  // GATEHOUSE_APP_CONFIG_H_
