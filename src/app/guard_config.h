// LoadGuardRules: the edge guard's rules from the [guard] table of the
// config file (SPEC §7). app/config.cc reads the file's other settings and
// skips [guard]; this reads only [guard].
//
//   [guard]
//   login_path = "/auth"        # required
//   landing_path = "/admin"     # optional, "/" when left out
//   public = ["/auth", "/_next", "/favicon.ico"]   # optional
//
//   [[guard.rules]]             # optional, any number
//   prefix = "/admin"           # required
//   roles = ["admin"]           # required, at least one
//
// Every error is one startup message naming the file, the line and the
// field, e.g. "GATEHOUSE_CONFIG: /etc/gatehouse.toml line 9:
// guard.rules[1].roles: must name at least one role".
#ifndef GATEHOUSE_APP_GUARD_CONFIG_H_
#define GATEHOUSE_APP_GUARD_CONFIG_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/guard_policy.h"
#include "core/result.h"

namespace gatehouse {

// The rules of the [guard] table of `toml_path`, already accepted by
// GuardPolicy::FindProblem (so GuardPolicy::Create of them succeeds);
// nullopt when the file has no [guard] table (the guard is not
// configured). kValidationFailed naming the file and line for a file that
// cannot be read or parsed, a value of the wrong type, a missing
// login_path or prefix or roles, an unknown key under [guard] or a rule,
// and every problem GuardPolicy::FindProblem finds.
[[nodiscard]] Result<std::optional<GuardRules>> LoadGuardRules(
    const std::string& toml_path);

// As LoadGuardRules, for TOML text already in memory (tests/fuzz feeds it
// arbitrary bytes); `source_name` stands where the file's path would in
// messages. A TOML syntax error is returned, as for a file.
[[nodiscard]] Result<std::optional<GuardRules>> ParseGuardRules(
    std::string_view toml_text, const std::string& source_name);

}  // namespace gatehouse

#endif  // GATEHOUSE_APP_GUARD_CONFIG_H_
