#include "app/config_check.h"

#include "core/setting_names.h"
#include "http/client_ip.h"

namespace gatehouse {
namespace {

SecretShape ShapeOf(const std::string& secret) {
  return {!secret.empty(), secret.size()};
}

// The master key's shape and, if malformed, why, without its value.
std::pair<MasterKeyShape, std::string> MasterKeyOf(const Config& config) {
  auto decoded = DecodeMasterKey(config);
  if (!decoded.ok()) {
    const std::string& hex = config.master_key_hex;
    return {MasterKeyShape::kMalformed,
            hex.size() != 64
                ? "It is " + std::to_string(hex.size()) +
                      " characters; a master key is 32 bytes written as 64 "
                      "hex characters."
                : "It holds characters other than 0-9 and a-f; a master key "
                  "is 32 bytes written as 64 hex characters."};
  }
  if (!decoded->has_value()) return {MasterKeyShape::kUnset, ""};
  return {MasterKeyShape::kValid, ""};
}

// TrustedProxies' own message, without the setting name it starts with
// (the finding names the setting).
std::string TrustedProxiesProblem(const Config& config) {
  auto proxies = TrustedProxies::Parse(config.trusted_proxies);
  if (proxies.ok()) return "";
  std::string message = proxies.error().message;
  const std::string prefix = std::string(kTrustedProxiesSetting) + ": ";
  if (message.starts_with(prefix)) message.erase(0, prefix.size());
  return message;
}

}  // namespace

DeploymentFacts FactsFromConfig(const Config& config,
                                const DeploymentUrls& urls) {
  DeploymentFacts f;
  f.dev = config.dev;
  f.cookie = config.cookie;
  f.trusted_origins = config.trusted_origins;
  f.access_ttl = config.auth.access_ttl;
  f.refresh_ttl = config.auth.refresh_ttl;
  f.refresh_grace = config.auth.refresh_grace;
  f.session_max_age = config.auth.session_max_age;
  f.internal_secret = ShapeOf(config.internal_secret);
  std::tie(f.master_key, f.master_key_problem) = MasterKeyOf(config);
  f.jwt_alg = config.jwt_alg;
  f.jwt_secret = ShapeOf(config.jwt_secret);
  f.trusted_proxies_problem = TrustedProxiesProblem(config);
  f.public_url = config.public_url;
  f.api_url = urls.api_url.empty() ? config.public_url : urls.api_url;
  if (urls.app_urls.empty()) {
    f.app_urls = config.trusted_origins;
    f.app_urls_setting = kSettingTrustedOrigins;
  } else {
    f.app_urls = urls.app_urls;
  }
  return f;
}

FindingList CheckConfig(const Config& config, const PublicSuffixList& psl,
                        const DeploymentUrls& urls) {
  return CheckDeployment(FactsFromConfig(config, urls), psl);
}

}  // namespace gatehouse
