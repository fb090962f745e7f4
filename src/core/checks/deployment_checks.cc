#include "core/checks/deployment_checks.h"

#include <algorithm>

#include "core/checks/deployment_checks_internal.h"

namespace gatehouse {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "";
}

std::vector<Finding> CheckDeployment(const DeploymentFacts& facts,
                                     const PublicSuffixList& psl) {
  checks::CheckRun run(facts, psl);
  checks::CheckCookieSettings(run);
  checks::CheckApiUrl(run);
  checks::CheckTrustedOrigins(run);
  checks::CheckBrowserView(run);
  checks::CheckLifetimes(run);
  checks::CheckSecrets(run);
  std::vector<Finding> findings = run.Take();
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) {
                     return a.severity < b.severity;
                   });
  return findings;
}

}  // namespace gatehouse
