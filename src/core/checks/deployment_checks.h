// Deployment checks: the configuration mistakes that only show in a
// browser in production (cookies refused or never arriving, writes
// rejected as CSRF, tokens living too long), found from the settings and
// the deployment's URLs before any user meets them.
//
// One set of checks serves `gatehouse serve` (at start, with the API at
// GATEHOUSE_PUBLIC_URL and the apps at GATEHOUSE_TRUSTED_ORIGINS; errors
// stop it in production) and `gatehouse doctor` (with the URLs it is
// given). Pure: the caller gathers the facts, the Public Suffix List comes
// in through its port. Every check, with its id: docs/doctor.md.
#ifndef GATEHOUSE_CORE_CHECKS_DEPLOYMENT_CHECKS_H_
#define GATEHOUSE_CORE_CHECKS_DEPLOYMENT_CHECKS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/checks/finding.h"
#include "core/clock.h"
#include "core/cookie_policy.h"
#include "core/public_suffix.h"

namespace gatehouse {

// A secret as the checks see it: whether it is set and how long, never
// its value.
struct SecretShape {
  bool set = false;
  size_t bytes = 0;
};

enum class MasterKeyShape { kUnset, kMalformed, kValid };

// Everything the checks weigh. The caller (app/config_check.h) derives it
// from the effective config.
struct DeploymentFacts {
  // --dev: a local server on http:// with Secure off on purpose. Choices
  // that are unsafe only in production are warnings then, not errors.
  bool dev = false;
  CookieSettings cookie;
  std::vector<std::string> trusted_origins;  // as configured
  Duration access_ttl{};
  Duration refresh_ttl{};
  Duration refresh_grace{};
  Duration session_max_age{};
  SecretShape internal_secret;
  MasterKeyShape master_key = MasterKeyShape::kUnset;
  std::string master_key_problem;  // why it is malformed, if it is
  std::string jwt_alg;
  SecretShape jwt_secret;
  // Why GATEHOUSE_TRUSTED_PROXIES does not parse; "" when it does. The
  // HTTP layer owns that syntax, so the caller asks it.
  std::string trusted_proxies_problem;
  // GATEHOUSE_PUBLIC_URL as configured ("" when unset).
  std::string public_url;
  // The API's external URL, as browsers reach it: public_url unless the
  // caller was told otherwise.
  std::string api_url;
  // The URLs browsers load the app(s) from.
  std::vector<std::string> app_urls;
  // Where app_urls came from, named in findings about them:
  // "GATEHOUSE_TRUSTED_ORIGINS", or "" when given on the command line.
  std::string app_urls_setting;
};

// Every finding for `facts`, errors first, then warnings, then notes; in
// each, in the order of docs/doctor.md.
FindingList CheckDeployment(const DeploymentFacts& facts,
                            const PublicSuffixList& psl);

// The shortest secret the checks accept (internal secret, HS256 key):
// 256 bits, the strength of the Ed25519 keys and of the refresh tokens.
inline constexpr size_t kMinSecretBytes = 32;

// A refresh grace window longer than this is warned about: a stolen,
// already rotated refresh token works for that long (SPEC §4). Five
// minutes covers any real race between two tabs or middleware and client.
inline constexpr Duration kMaxSensibleRefreshGrace = std::chrono::minutes(5);

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_CHECKS_DEPLOYMENT_CHECKS_H_
