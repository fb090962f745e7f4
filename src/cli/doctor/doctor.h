// `gatehouse doctor`: finds the cookie, domain and origin mistakes of a
// deployment before users do, and says why and what to change.
//
// It loads the config the way every subcommand does (flags > GATEHOUSE_*
// environment > GATEHOUSE_CONFIG file > defaults) and runs the same checks
// `serve` runs at start (app/config_check.h), with the API and app URLs it
// is given. Checks, ids and output: docs/doctor.md.
//
// --live adds a second stage after the static one (cli/doctor/live.h): as
// a test account it signs in, refreshes and signs out against the running
// server at the API URL, and weighs the real Set-Cookie headers as a
// browser at the API and at each app URL would (cli/doctor/live_checks.h,
// on core/cookie_rules.h). Its findings go into the same DoctorReport
// (cli/doctor/report.h), so text, JSON and the exit code are shared.
#ifndef GATEHOUSE_CLI_DOCTOR_DOCTOR_H_
#define GATEHOUSE_CLI_DOCTOR_DOCTOR_H_

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

  // --live: the live stage, against the server at the API URL.
  bool live = false;
  std::string email;     // the test account
  std::string password;  // its password; never printed
  // What a real browser sent the API ("a=b; c=d"): seeds the model of its
  // cookie store; never sent to the server, values never printed.
  std::string cookie_header;
  std::vector<std::string> resolve;  // curl's HOST:PORT:ADDRESS
  std::string ca_file;               // PEM CAs trusted besides the system's
};

// The environment variable --live reads the password from when
// --password is not given, so it stays out of shell history.
inline constexpr char kDoctorPasswordEnv[] = "GATEHOUSE_DOCTOR_PASSWORD";

// Runs the checks (the static ones, then with `options.live` the live
// stage) and prints the report on stdout. Returns 0 without errors, 1
// with errors, 2 when the config cannot be loaded or --live lacks what it
// needs (an API URL, an email, a password, well-formed --resolve rules).
int RunDoctor(const CommandContext& ctx, const DoctorOptions& options);

// The reason `url` is not acceptable as --api-url or --app-url (an
// absolute http(s) URL), or "" if it is.
std::string DoctorUrlProblem(const std::string& url);

// The reason `rule` is not acceptable as --resolve (HOST:PORT:ADDRESS),
// or "" if it is.
std::string DoctorResolveProblem(const std::string& rule);

}  // namespace gatehouse

#endif  // GATEHOUSE_CLI_DOCTOR_DOCTOR_H_
