// Config checks: the deployment checks (core/checks/deployment_checks.h) run on
// the effective config. `serve` runs them at start with the API at
// GATEHOUSE_PUBLIC_URL and the apps at GATEHOUSE_TRUSTED_ORIGINS, and in
// production refuses to start on any error (SPEC §2); `gatehouse doctor`
// runs the same checks, optionally with the URLs it is given.
#ifndef GATEHOUSE_APP_CONFIG_CHECK_H_
#define GATEHOUSE_APP_CONFIG_CHECK_H_

#include <string>
#include <vector>

#include "app/config.h"
#include "core/checks/deployment_checks.h"
#include "core/public_suffix.h"

namespace gatehouse {

// Where browsers meet the deployment, when it is not what the config says.
struct DeploymentUrls {
  // The API's external URL; "" means GATEHOUSE_PUBLIC_URL.
  std::string api_url;
  // The URLs the app(s) are loaded from; empty means the origins in
  // GATEHOUSE_TRUSTED_ORIGINS.
  std::vector<std::string> app_urls;
};

// The facts the checks weigh, drawn from `config` and `urls`. Secrets
// appear only as set or not and their length, never their value.
DeploymentFacts FactsFromConfig(const Config& config,
                                const DeploymentUrls& urls = {});

// Every finding for `config` with the deployment at `urls`, errors first.
// In production (`!config.dev`) unsafe choices are errors; in --dev only
// contradictions are (a dev server on http:// with Secure off is the
// point of --dev).
FindingList CheckConfig(const Config& config, const PublicSuffixList& psl,
                        const DeploymentUrls& urls = {});

}  // namespace gatehouse

#endif  // GATEHOUSE_APP_CONFIG_CHECK_H_
