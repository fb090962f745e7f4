// `gatehouse doctor`: finds the cookie, domain and origin mistakes of a
// deployment before users do, and says why and what to change.
//
// It loads the config the way every subcommand does (flags > GATEHOUSE_*
// environment > GATEHOUSE_CONFIG file > defaults) and runs the same checks
// `serve` runs at start (app/config_check.h), with the API and app URLs it
// is given. Checks, ids and output: docs/doctor.md.
//
// Extension point, --live: a second stage after the static one would sign
// in, refresh and sign out against the running server at the API URL, and
// weigh the real Set-Cookie headers with core/cookie_rules.h (WhyNotStored,
// WhyNotSent) as a browser at each app URL would. Its findings go into the
// same DoctorReport (cli/doctor_report.h), so text, JSON and the exit code
// need nothing new. See RunDoctor in doctor.cc.
#ifndef GATEHOUSE_CLI_DOCTOR_H_
#define GATEHOUSE_CLI_DOCTOR_H_

#include <string>
#include <vector>

#include "cli/commands.h"

namespace gatehouse {

struct DoctorOptions {
  // The API's external URL; "" means GATEHOUSE_PUBLIC_URL.
  std::string api_url;
  // URLs the app is loaded from; empty means GATEHOUSE_TRUSTED_ORIGINS.
  std::vector<std::string> app_urls;
  bool json = false;  // the JSON document instead of text
};

// Runs the checks and prints the report on stdout. Returns 0 without
// errors, 1 with errors, 2 when the config cannot be loaded.
int RunDoctor(const CommandContext& ctx, const DoctorOptions& options);

// The reason `url` is not acceptable as --api-url or --app-url (an
// absolute http(s) URL), or "" if it is.
std::string DoctorUrlProblem(const std::string& url);

}  // namespace gatehouse

#endif  // GATEHOUSE_CLI_DOCTOR_H_
