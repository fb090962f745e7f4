// Internal to the deployment checks (core/checks/deployment_checks.h): what the
// check groups share. Each group lives in a file of its own and adds its
// findings to one CheckRun; CheckDeployment runs them all.
#ifndef GATEHOUSE_CORE_CHECKS_DEPLOYMENT_CHECKS_INTERNAL_H_
#define GATEHOUSE_CORE_CHECKS_DEPLOYMENT_CHECKS_INTERNAL_H_

#include <optional>
#include <string>
#include <vector>

#include "core/checks/deployment_checks.h"
#include "core/public_suffix.h"
#include "core/setting_names.h"
#include "core/web_url.h"

namespace gatehouse::checks {

// How a fix spells "a new random secret".
inline constexpr char kNewSecret[] = "$(openssl rand -hex 32)";

// One run of the checks over one set of facts.
class CheckRun {
 public:
  CheckRun(const DeploymentFacts& checked, const PublicSuffixList& list)
      : facts(checked), psl(list), api(ParseWebUrl(checked.api_url)) {}

  const DeploymentFacts& facts;
  const PublicSuffixList& psl;
  // facts.api_url, parsed; nullopt if it is unset or not an http(s) URL
  // (then the browser's view cannot be checked).
  const std::optional<WebUrl> api;

  // Unsafe in production, tolerated by --dev (a local server on http://).
  Severity Production() const {
    return facts.dev ? Severity::kWarning : Severity::kError;
  }
  // The API host's registrable domain; "" if none or no API URL.
  std::string ApiRegistrableDomain() const {
    return api ? psl.RegistrableDomain(api->host) : "";
  }

  // What the groups found, in the order they ran.
  FindingList findings;
};

// The groups, in the order docs/doctor.md lists them.
void CheckCookieSettings(CheckRun& run);  // cookie_setting_checks.cc
void CheckApiUrl(CheckRun& run);          // url_checks.cc
void CheckTrustedOrigins(CheckRun& run);  // url_checks.cc
void CheckBrowserView(CheckRun& run);     // browser_view_checks.cc
void CheckLifetimes(CheckRun& run);       // lifetime_checks.cc
void CheckSecrets(CheckRun& run);         // secret_checks.cc

}  // namespace gatehouse::checks

#endif  // GATEHOUSE_CORE_CHECKS_DEPLOYMENT_CHECKS_INTERNAL_H_
