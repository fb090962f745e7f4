// Config checks: the unsafe or contradictory configurations gatehouse
// refuses to start with in production (SPEC §2), each naming the setting.
#ifndef GATEHOUSE_APP_CONFIG_CHECK_H_
#define GATEHOUSE_APP_CONFIG_CHECK_H_

#include <string>
#include <string_view>
#include <vector>

#include "app/config.h"

namespace gatehouse {

struct ConfigProblem {
  enum class Severity { kError, kWarning } severity;
  std::string setting;  // GATEHOUSE_* name
  std::string message;
};

// Every problem of `config`. In production (`!config.dev`) unsafe choices
// are errors; in --dev only contradictions are (a dev server on http://
// with Secure off is the point of --dev).
std::vector<ConfigProblem> CheckConfig(const Config& config);

// True iff `domain` (a leading dot ignored) is a public suffix such as
// "com", "co.uk" or "vercel.app", per the Public Suffix List (libpsl with
// Debian's publicsuffix data).
bool IsPublicSuffix(std::string_view domain);

// True iff `host` is localhost or a loopback address.
bool IsLoopbackHost(std::string_view host);

}  // namespace gatehouse

#endif  // GATEHOUSE_APP_CONFIG_CHECK_H_
