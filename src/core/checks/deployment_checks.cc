#include "core/checks/deployment_checks.h"

#include <utility>

#include "core/checks/deployment_checks_internal.h"

namespace gatehouse {

FindingList CheckDeployment(const DeploymentFacts& facts,
                            const PublicSuffixList& psl) {
  checks::CheckRun run(facts, psl);
  checks::CheckCookieSettings(run);
  checks::CheckApiUrl(run);
  checks::CheckTrustedOrigins(run);
  checks::CheckBrowserView(run);
  checks::CheckLifetimes(run);
  checks::CheckSecrets(run);
  run.findings.SortBySeverity();
  return std::move(run.findings);
}

}  // namespace gatehouse
