// The guard's TOML (app/guard_config.h ParseGuardRules: toml++ then the
// [guard] reader), as an operator writes it; a config file is trusted
// less than it seems when it is templated from other inputs.
//
// Invariants: nothing is thrown; a refusal is kValidationFailed naming
// the file; accepted rules are ones GuardPolicy::Create accepts (the
// header's promise), and the policy they make cannot loop: the login path
// is open to the signed-out, sends the signed-in to the landing path, and
// the landing path never sends anyone back.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/guard_config.h"
#include "core/guard_policy.h"
#include "core/path_normalizer.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gatehouse;
  constexpr char kSource[] = "fuzz.toml";
  Result<std::optional<GuardRules>> read =
      ParseGuardRules(fuzz::AsText(data, size), kSource);
  if (!read.ok()) {
    FUZZ_CHECK(read.error().code == ErrorCode::kValidationFailed &&
                   read.error().message.starts_with(
                       std::string("GATEHOUSE_CONFIG: ") + kSource),
               "a refusal names the file");
    return 0;
  }
  if (!read->has_value()) return 0;
  const GuardRules& rules = **read;

  FUZZ_CHECK(!GuardPolicy::FindProblem(rules).has_value(),
             "accepted rules have no problem");
  Result<GuardPolicy> policy = GuardPolicy::Create(rules);
  FUZZ_CHECK(policy.ok(), "GuardPolicy::Create accepts what was read");

  Result<NormalizedPath> login = NormalizePath(rules.login_path);
  FUZZ_CHECK(login.ok() && login->other_readings.empty(),
             "the login path has one reading");
  FUZZ_CHECK(policy->Decide(*login, std::nullopt) == GuardDecision::kAllow,
             "the signed-out can load the login page");
  std::vector<std::string> roles = {"nobody"};
  for (const GuardRules::Rule& rule : rules.rules) {
    roles.insert(roles.end(), rule.roles.begin(), rule.roles.end());
  }
  Result<NormalizedPath> landing = NormalizePath(rules.landing_path);
  FUZZ_CHECK(landing.ok(), "the landing path is a path");
  for (const std::string& role : roles) {
    FUZZ_CHECK(policy->Decide(*login, role) == GuardDecision::kSendToLanding,
               "the signed-in are sent on from the login page");
    FUZZ_CHECK(policy->Decide(*landing, role) != GuardDecision::kSendToLanding,
               "and the landing page does not send them back");
  }
  FUZZ_CHECK(policy->LoginRedirect("/x").starts_with(rules.login_path),
             "redirects go to the login path");
  return 0;
}
