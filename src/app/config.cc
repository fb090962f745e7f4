#include "app/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <sstream>

#include "core/duration.h"
#include "core/setting_names.h"
#include "core/url_redaction.h"

namespace gatehouse {
namespace {

using Apply = std::function<Status(Config&, const std::string&)>;
using Get = std::function<std::string(const Config&)>;

struct Setting {
  SettingInfo info;
  Apply apply;
  Get get;
};

Error Invalid(const std::string& key, const std::string& why) {
  std::string env = kSettingPrefix;
  for (char c : key) env.push_back(static_cast<char>(std::toupper(c)));
  return MakeError(ErrorCode::kValidationFailed, env + ": " + why);
}

std::vector<std::string> SplitList(const std::string& value) {
  std::vector<std::string> out;
  std::stringstream in(value);
  std::string item;
  while (std::getline(in, item, ',')) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ",";
    out += item;
  }
  return out;
}

// Getters reuse the setters' field accessors on a copy; config is only
// printed, never read through these on a hot path.
Config& Copy(const Config& c) {
  thread_local Config copy;
  copy = c;
  return copy;
}

Setting Text(std::string key, std::string help, std::string Config::*field,
             bool secret = false) {
  return {{key, "", "", std::move(help), secret},
          [field](Config& c, const std::string& v) {
            c.*field = v;
            return Ok();
          },
          [field](const Config& c) { return c.*field; }};
}

Setting Bool(std::string key, std::string help,
             std::function<bool&(Config&)> field) {
  return {
      {key, "", "", std::move(help), false},
      [key, field](Config& c, const std::string& v) -> Status {
        if (v == "true" || v == "1" || v == "yes") {
          field(c) = true;
        } else if (v == "false" || v == "0" || v == "no") {
          field(c) = false;
        } else {
          return Invalid(key, "must be true or false, not '" + v + "'");
        }
        return Ok();
      },
      [field](const Config& c) { return field(Copy(c)) ? "true" : "false"; }};
}

Setting Dur(std::string key, std::string help,
            std::function<Duration&(Config&)> field) {
  return {{key, "", "", std::move(help), false},
          [key, field](Config& c, const std::string& v) -> Status {
            auto d = ParseDuration(v);
            if (!d) {
              return Invalid(
                  key, "must be a duration like 900s, 15m, 12h or 30d, not '" +
                           v + "'");
            }
            field(c) = *d;
            return Ok();
          },
          [field](const Config& c) { return FormatDuration(field(Copy(c))); }};
}

Setting Count(std::string key, std::string help,
              std::function<int&(Config&)> field) {
  return {{key, "", "", std::move(help), false},
          [key, field](Config& c, const std::string& v) -> Status {
            int n = 0;
            auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
            if (ec != std::errc() || ptr != v.data() + v.size() || n < 1) {
              return Invalid(
                  key, "must be a positive whole number, not '" + v + "'");
            }
            field(c) = n;
            return Ok();
          },
          [field](const Config& c) { return std::to_string(field(Copy(c))); }};
}

Setting List(std::string key, std::string help,
             std::function<std::vector<std::string>&(Config&)> field) {
  return {{key, "", "", std::move(help), false},
          [field](Config& c, const std::string& v) {
            field(c) = SplitList(v);
            return Ok();
          },
          [field](const Config& c) { return JoinList(field(Copy(c))); }};
}

std::vector<Setting> BuildTable() {
  std::vector<Setting> t = {
      Text(SettingKey(kSettingListen), "address and port to listen on",
           &Config::listen),
      Text(SettingKey(kSettingDatabaseUrl),
           "sqlite://PATH or postgres://user:pass@host:port/db",
           &Config::database_url),
      Text(SettingKey(kSettingConfig), "TOML config file",
           &Config::config_file),
      Text(SettingKey(kSettingPublicUrl),
           "the API's own external URL (JWT iss, CSRF origin)",
           &Config::public_url),
      {{SettingKey(kSettingCookieDomain), "", "",
        "cookie Domain, e.g. .example.com (empty: host-only)", false},
       [](Config& c, const std::string& v) {
         c.cookie.domain = v;
         return Ok();
       },
       [](const Config& c) { return c.cookie.domain; }},
      {{SettingKey(kSettingAccessCookie), "", "", "access cookie name", false},
       [](Config& c, const std::string& v) {
         c.cookie.access_name = v;
         return Ok();
       },
       [](const Config& c) { return c.cookie.access_name; }},
      {{SettingKey(kSettingRefreshCookie), "", "", "refresh cookie name",
        false},
       [](Config& c, const std::string& v) {
         c.cookie.refresh_name = v;
         return Ok();
       },
       [](const Config& c) { return c.cookie.refresh_name; }},
      Bool(SettingKey(kSettingCookieSecure), "Secure attribute on cookies",
           [](Config& c) -> bool& { return c.cookie.secure; }),
      {{SettingKey(kSettingCookieSameSite), "", "", "Strict, Lax or None",
        false},
       [](Config& c, const std::string& v) -> Status {
         auto s = ParseSameSite(v);
         if (!s)
           return Invalid(SettingKey(kSettingCookieSameSite),
                          "must be Strict, Lax or None, not '" + v + "'");
         c.cookie.same_site = *s;
         return Ok();
       },
       [](const Config& c) {
         return std::string(SameSiteName(c.cookie.same_site));
       }},
      List(SettingKey(kSettingCookieOldDomains),
           "Domains used before, cleared on sight (host-only for none)",
           [](Config& c) -> std::vector<std::string>& {
             return c.cookie.old_domains;
           }),
      List(SettingKey(kSettingTrustedOrigins),
           "origins allowed credentialed CORS and cookie writes",
           [](Config& c) -> std::vector<std::string>& {
             return c.trusted_origins;
           }),
      Dur(SettingKey(kSettingAccessTtl), "access token lifetime",
          [](Config& c) -> Duration& { return c.auth.access_ttl; }),
      Dur(SettingKey(kSettingRefreshTtl), "refresh token lifetime",
          [](Config& c) -> Duration& { return c.auth.refresh_ttl; }),
      Dur(SettingKey(kSettingRefreshGrace),
          "grace window for superseded refresh tokens",
          [](Config& c) -> Duration& { return c.auth.refresh_grace; }),
      Dur(SettingKey(kSettingSessionMaxAge), "absolute session lifetime",
          [](Config& c) -> Duration& { return c.auth.session_max_age; }),
      {{SettingKey(kSettingAuditRetention), "", "",
        "audit events older than this are deleted", false},
       [](Config& c, const std::string& v) -> Status {
         auto d = ParseDuration(v);
         if (!d || *d <= Duration(0)) {
           return Invalid(
               SettingKey(kSettingAuditRetention),
               "must be a positive duration like 400d, not '" + v + "'");
         }
         c.audit_retention = *d;
         return Ok();
       },
       [](const Config& c) { return FormatDuration(c.audit_retention); }},
      {{SettingKey(kSettingSignup), "", "", "open or closed", false},
       [](Config& c, const std::string& v) -> Status {
         if (v != "open" && v != "closed") {
           return Invalid(SettingKey(kSettingSignup),
                          "must be open or closed, not '" + v + "'");
         }
         c.auth.signup_open = v == "open";
         return Ok();
       },
       [](const Config& c) {
         return std::string(c.auth.signup_open ? "open" : "closed");
       }},
      Text(SettingKey(kSettingInternalSecret),
           "shared secret of the X-Internal-Secret header",
           &Config::internal_secret, true),
      Text(SettingKey(kSettingMetricsToken),
           "bearer token /metrics requires (empty: /metrics is open)",
           &Config::metrics_token, true),
      Text(SettingKey(kSettingMasterKey),
           "64 hex characters; encrypts signing keys at rest",
           &Config::master_key_hex, true),
      Text(SettingKey(kSettingJwtAlg), "EdDSA or HS256", &Config::jwt_alg),
      Text(SettingKey(kSettingJwtSecret), "HS256 secret (at least 32 bytes)",
           &Config::jwt_secret, true),
      Text(SettingKey(kSettingJwtAudience), "JWT aud claim",
           &Config::jwt_audience),
      Dur(SettingKey(kSettingHeaderTimeout),
          "time a client has to send request headers; idle keep-alive limit",
          [](Config& c) -> Duration& { return c.header_timeout; }),
      Text(SettingKey(kSettingLogLevel), "trace, debug, info, warn, error",
           &Config::log_level),
      List(SettingKey(kSettingTrustedProxies),
           "proxies (IPs or CIDRs) whose X-Forwarded-For is believed",
           [](Config& c) -> std::vector<std::string>& {
             return c.trusted_proxies;
           }),
      Bool(SettingKey(kSettingAccountPage),
           "serve the account page at /account",
           [](Config& c) -> bool& { return c.account_page; }),
      Count(
          SettingKey(kSettingLoginAccountLimit),
          "failed sign-ins per account within the window",
          [](Config& c) -> int& { return c.auth.account_limit.max_failures; }),
      Count(SettingKey(kSettingLoginIpLimit),
            "failed sign-ins per client IP within the window",
            [](Config& c) -> int& { return c.auth.ip_limit.max_failures; }),
      {{SettingKey(kSettingLoginLimitWindow), "", "",
        "window of the sign-in failure limits", false},
       [](Config& c, const std::string& v) -> Status {
         auto d = ParseDuration(v);
         if (!d || *d <= Duration(0)) {
           return Invalid(SettingKey(kSettingLoginLimitWindow),
                          "must be a positive duration like 15m");
         }
         c.auth.account_limit.window = c.auth.ip_limit.window = *d;
         return Ok();
       },
       [](const Config& c) {
         return FormatDuration(c.auth.account_limit.window);
       }},
      Count(SettingKey(kSettingMaxPendingLogins),
            "sign-ins hashing or queued at once; past it 503",
            [](Config& c) -> int& { return c.max_pending_logins; }),
      Count(SettingKey(kSettingMaxConnections),
            "open connections at once (at most the descriptor limit less a "
            "reserve); past it a new one is refused",
            [](Config& c) -> int& { return c.max_connections; }),
      Count(SettingKey(kSettingMaxConnectionsPerIp),
            "open connections per client IP (IPv6: per /64); past it a new "
            "one is refused",
            [](Config& c) -> int& { return c.max_connections_per_ip; }),
  };
  for (Setting& s : t) {
    s.info.env = kSettingPrefix;
    s.info.flag = "--";
    for (char c : s.info.key) {
      s.info.env.push_back(static_cast<char>(std::toupper(c)));
      s.info.flag.push_back(c == '_' ? '-' : c);
    }
  }
  return t;
}

const std::vector<Setting>& Table() {
  static const std::vector<Setting> table = BuildTable();
  return table;
}

const Setting* FindSetting(const std::string& key) {
  for (const Setting& s : Table()) {
    if (s.info.key == key) return &s;
  }
  return nullptr;
}

// TOML scalars and arrays as the same text an environment variable holds.
std::optional<std::string> TomlToText(const toml::node& node) {
  if (auto s = node.value<std::string>()) return *s;
  if (auto b = node.value<bool>()) return *b ? "true" : "false";
  if (node.is_integer()) return std::to_string(*node.value<int64_t>());
  if (const toml::array* a = node.as_array()) {
    std::vector<std::string> items;
    for (const toml::node& item : *a) {
      auto text = TomlToText(item);
      if (!text) return std::nullopt;
      items.push_back(*text);
    }
    return JoinList(items);
  }
  return std::nullopt;
}

Result<RawSettings> SettingsFromFile(const std::string& path) {
  // Debian's toml++ is built with exceptions: a parse error is thrown, and
  // stops here.
  toml::table parsed;
  try {
    parsed = toml::parse_file(path);
  } catch (const toml::parse_error& err) {
    return MakeError(ErrorCode::kValidationFailed,
                     std::string(kSettingConfig) + ": " + path + " line " +
                         std::to_string(err.source().begin.line) + ": " +
                         std::string(err.description()));
  }
  RawSettings raw;
  for (auto&& [k, node] : parsed) {
    std::string key(k.str());
    if (key == "guard") continue;  // edge guard rules, read by the guard
    std::string where =
        path + " line " + std::to_string(node.source().begin.line);
    if (!FindSetting(key) || key == SettingKey(kSettingConfig)) {
      return MakeError(ErrorCode::kValidationFailed,
                       std::string(kSettingConfig) + ": " + where +
                           ": unknown setting '" + key + "'");
    }
    auto text = TomlToText(node);
    if (!text) {
      return MakeError(ErrorCode::kValidationFailed,
                       std::string(kSettingConfig) + ": " + where + ": '" +
                           key +
                           "' must be a string, boolean, integer or list");
    }
    raw[key] = *text;
  }
  return raw;
}

}  // namespace

const std::vector<SettingInfo>& AllSettings() {
  static const std::vector<SettingInfo> infos = [] {
    std::vector<SettingInfo> out;
    for (const Setting& s : Table()) out.push_back(s.info);
    return out;
  }();
  return infos;
}

RawSettings SettingsFromEnvironment(
    const std::function<const char*(const char*)>& getenv) {
  RawSettings raw;
  for (const Setting& s : Table()) {
    if (const char* v = getenv(s.info.env.c_str())) raw[s.info.key] = v;
  }
  return raw;
}

Result<LoadedConfig> LoadConfig(bool dev, const RawSettings& flags,
                                const RawSettings& environment) {
  LoadedConfig loaded;
  Config& c = loaded.config;
  c.dev = dev;
  if (dev) {
    // SPEC §2: host-only cookies (the default), Secure off, signup open,
    // account page on.
    c.cookie.secure = false;
    c.auth.signup_open = true;
    c.account_page = true;
    c.public_url = "http://localhost:8080";
  }
  for (const Setting& s : Table())
    loaded.sources[s.info.key] = SettingSource::kDefault;

  std::string file;
  if (auto it = flags.find(SettingKey(kSettingConfig)); it != flags.end()) {
    file = it->second;
  } else if (auto env = environment.find(SettingKey(kSettingConfig));
             env != environment.end()) {
    file = env->second;
  }
  RawSettings from_file;
  if (!file.empty()) {
    GH_ASSIGN_OR_RETURN(from_file, SettingsFromFile(file));
  }

  using Layer = std::pair<SettingSource, const RawSettings*>;
  for (auto [source, raw] : {Layer{SettingSource::kFile, &from_file},
                             Layer{SettingSource::kEnvironment, &environment},
                             Layer{SettingSource::kFlag, &flags}}) {
    for (const auto& [key, value] : *raw) {
      const Setting* s = FindSetting(key);
      if (!s) return Invalid(key, "unknown setting");
      GH_RETURN_IF_ERROR(s->apply(c, value));
      loaded.sources[key] = source;
    }
  }
  c.config_file = file;
  return loaded;
}

std::string SettingValue(const Config& config, const std::string& key,
                         bool redact) {
  const Setting* s = FindSetting(key);
  if (!s) return "";
  std::string value = s->get(config);
  if (redact && s->info.secret && !value.empty()) return "(set, redacted)";
  if (!redact) return value;
  // URLs may carry a password (postgres://user:password@host/db, or in
  // the query): shown with it redacted. A list is redacted URL by URL; a
  // database URL is one URL even with commas (several hosts).
  if (key == SettingKey(kSettingDatabaseUrl) ||
      key == SettingKey(kSettingPublicUrl)) {
    return RedactUrl(value);
  }
  if (key == SettingKey(kSettingTrustedOrigins)) {
    std::vector<std::string> urls = SplitList(value);
    for (std::string& url : urls) url = RedactUrl(url);
    return JoinList(urls);
  }
  return value;
}

Result<std::optional<std::string>> DecodeMasterKey(const Config& config) {
  const std::string& hex = config.master_key_hex;
  if (hex.empty()) return std::optional<std::string>();
  auto nibble = [](char ch) -> int {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
  };
  if (hex.size() != 64) {
    return Invalid(SettingKey(kSettingMasterKey),
                   "must be 64 hex characters (openssl rand -hex 32)");
  }
  std::string key(32, '\0');
  for (size_t i = 0; i < 32; ++i) {
    int hi = nibble(hex[2 * i]);
    int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return Invalid(SettingKey(kSettingMasterKey),
                     "must be 64 hex characters (openssl rand -hex 32)");
    }
    key[i] = static_cast<char>(hi * 16 + lo);
  }
  return std::optional<std::string>(std::move(key));
}

}  // namespace gatehouse
