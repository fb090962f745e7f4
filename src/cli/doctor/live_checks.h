// The judgement of `gatehouse doctor --live`: what a browser at the API's
// URL and at each app URL would make of the answers a running gatehouse
// really gave to login → refresh → logout. Pure: the answers come in, the
// findings go out (the FindingList of the static checks, so the same
// text, JSON and exit code). The rules of storing and sending cookies are
// core/cookie_rules.h; each check and id: docs/doctor.md.
//
// Secrets never reach a finding: no password, token or cookie value, only
// cookie names and attributes.
#ifndef GATEHOUSE_CLI_DOCTOR_LIVE_CHECKS_H_
#define GATEHOUSE_CLI_DOCTOR_LIVE_CHECKS_H_

#include <string>
#include <utility>
#include <vector>

#include "cli/doctor/http_client.h"
#include "core/checks/finding.h"
#include "core/clock.h"
#include "core/public_suffix.h"
#include "core/web_url.h"

namespace gatehouse {

// The name of the step that ends doctor's session from the API's own
// origin after the app's sign-out was refused (cli/doctor/live.h). Not a
// browser's request: the checks leave it out.
inline constexpr char kLiveCleanupStep[] = "cleanup";

// One request of the live run and what came back.
struct LiveStep {
  std::string name;       // "login", "refresh", "logout" or kLiveCleanupStep
  std::string url;        // where it went
  std::string path;       // its path, which a cookie without Path is scoped to
  std::string error;      // why no answer came; "" when one did
  HttpResponse response;  // the answer, when error is ""
};

// Everything the judgement weighs.
struct LiveRun {
  WebUrl api;
  std::vector<WebUrl> apps;  // the app URLs, parsed
  std::string email;         // the test account
  // The Origin the requests carried: the first app's, else the API's own.
  std::string origin;
  // The cookie names of this config; the server may disagree.
  std::string access_name;
  std::string refresh_name;
  // GATEHOUSE_COOKIE_OLD_DOMAINS and GATEHOUSE_TRUSTED_ORIGINS of this
  // config, to spell fixes that keep what is there.
  std::vector<std::string> old_domains;
  std::vector<std::string> trusted_origins;
  // --cookie-header: the cookies a real browser sent, name and value.
  std::vector<std::pair<std::string, std::string>> browser_cookies;
  // The steps taken, in order; the run stops at the first that fails.
  std::vector<LiveStep> steps;
  Time now;  // when the answers came: whether an Expires is in the past
};

// Every finding for `run`, in the order of docs/doctor.md (the caller
// sorts the whole report by severity).
FindingList JudgeLiveRun(const LiveRun& run, const PublicSuffixList& psl);

// True iff `step` got gatehouse's JSON envelope with status 200, so the
// run may go on.
bool StepSucceeded(const LiveStep& step);

}  // namespace gatehouse

#endif  // GATEHOUSE_CLI_DOCTOR_LIVE_CHECKS_H_
