// Internal to the live checks (cli/doctor/live_checks.h): what the check
// groups share. Each group lives in a file of its own and adds findings to
// one LiveCheckRun; JudgeLiveRun runs them in the order of docs/doctor.md.
#ifndef GATEHOUSE_CLI_DOCTOR_LIVE_CHECKS_INTERNAL_H_
#define GATEHOUSE_CLI_DOCTOR_LIVE_CHECKS_INTERNAL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/doctor/live_checks.h"
#include "core/cookie_rules.h"
#include "core/setting_names.h"

namespace gatehouse::live {

// The source a --cookie-header cookie is recorded with in the store.
inline constexpr char kPastedSource[] = "--cookie-header";

// One judgement of one LiveRun.
class LiveCheckRun {
 public:
  LiveCheckRun(const LiveRun& checked, const PublicSuffixList& list);

  const LiveRun& run;
  const PublicSuffixList& psl;

  // The step named `name` if it was taken, else nullptr.
  const LiveStep* Step(std::string_view name) const;
  // True iff the step named `name` was taken and succeeded.
  bool Succeeded(std::string_view name) const;

  // The cookies login set (not cleared), the first line of each name, in
  // the order sent. Empty unless login succeeded.
  const std::vector<ParsedSetCookie>& login_cookies() const {
    return login_cookies_;
  }
  // The auth cookies among them: those with this config's names, or, when
  // the server uses other names (live-cookie-names-differ), every one.
  // The reference each later answer is compared with.
  const std::vector<ParsedSetCookie>& auth_cookies() const {
    return auth_cookies_;
  }

  // What the groups found, in the order they ran.
  FindingList findings;

 private:
  std::vector<ParsedSetCookie> login_cookies_;
  std::vector<ParsedSetCookie> auth_cookies_;
};

// The Set-Cookie lines of `step`'s answer a browser reads, in order.
std::vector<ParsedSetCookie> SetCookiesOf(const LiveStep& step);

// The first line of `name` in `cookies` that sets (does not delete) a
// cookie at `now`, or nullptr.
const ParsedSetCookie* SettingLine(const std::vector<ParsedSetCookie>& cookies,
                                   std::string_view name, Time now);

// "a", "a and b", "a, b and c".
std::string JoinNames(const std::vector<std::string>& names);
// "the access_token cookie" or "the access_token and refresh_token
// cookies".
std::string CookiesNamed(const std::vector<std::string>& names);

// How a fix spells a cookie's Domain: ".example.com", or "host-only".
std::string DomainSetting(const std::optional<std::string>& domain);

// A Set-Cookie as a report may show it: every attribute, the value
// replaced by "…" (or nothing, when empty).
std::string Summary(const ParsedSetCookie& cookie);

// The groups, in the order docs/doctor.md lists them.
void CheckSteps(LiveCheckRun& run);             // live_checks.cc
void CheckLoginCookies(LiveCheckRun& run);      // live_cookie_checks.cc
void CheckRefreshCookies(LiveCheckRun& run);    // live_cookie_checks.cc
void CheckLogoutCookies(LiveCheckRun& run);     // live_cookie_checks.cc
void CheckDuplicateCookies(LiveCheckRun& run);  // live_store_checks.cc

}  // namespace gatehouse::live

#endif  // GATEHOUSE_CLI_DOCTOR_LIVE_CHECKS_INTERNAL_H_
