// Token and session lifetimes, and the refresh grace window (F9).
#include <string>
#include <string_view>

#include "core/checks/deployment_checks_internal.h"
#include "core/duration.h"

namespace gatehouse::checks {
namespace {

std::string DefaultLifetime(std::string_view setting) {
  if (setting == kSettingAccessTtl) return "15m";
  if (setting == kSettingRefreshTtl) return "30d";
  return "90d";
}

}  // namespace

void CheckLifetimes(CheckRun& run) {
  bool positive = true;
  for (const auto& [setting, d] :
       {std::pair{kSettingAccessTtl, run.facts.access_ttl},
        std::pair{kSettingRefreshTtl, run.facts.refresh_ttl},
        std::pair{kSettingSessionMaxAge, run.facts.session_max_age}}) {
    if (d > Duration(0)) continue;
    positive = false;
    run.findings.Add(
        Severity::kError, "lifetime-not-positive", setting,
        std::string(setting) + " is " + FormatDuration(d),
        "A token or session that expires at once signs every user out on "
        "their next request.",
        std::string(setting) + "=" + DefaultLifetime(setting) +
            " (the default)");
  }
  if (positive && run.facts.access_ttl >= run.facts.refresh_ttl) {
    run.findings.Add(
        Severity::kError, "access-ttl-not-below-refresh-ttl", kSettingAccessTtl,
        "GATEHOUSE_ACCESS_TTL (" + FormatDuration(run.facts.access_ttl) +
            ") is not shorter than GATEHOUSE_REFRESH_TTL (" +
            FormatDuration(run.facts.refresh_ttl) + ")",
        "Services that verify access tokens through the JWKS accept them "
        "until they expire, whatever happens to the session; the refresh "
        "token is what keeps a session going. An access token that lives "
        "as long as the refresh token makes sign-out and revocation "
        "toothless for that long.",
        "GATEHOUSE_ACCESS_TTL=15m and GATEHOUSE_REFRESH_TTL=30d (the "
        "defaults)");
  }
  if (positive && run.facts.session_max_age < run.facts.refresh_ttl) {
    run.findings.Add(
        Severity::kError, "session-max-age-below-refresh-ttl",
        kSettingSessionMaxAge,
        "GATEHOUSE_SESSION_MAX_AGE (" +
            FormatDuration(run.facts.session_max_age) +
            ") is shorter than GATEHOUSE_REFRESH_TTL (" +
            FormatDuration(run.facts.refresh_ttl) + ")",
        "Every session ends at its absolute lifetime: refresh cookies are "
        "issued for longer than the session can live, so users are signed "
        "out while their refresh cookie still looks valid.",
        "GATEHOUSE_SESSION_MAX_AGE=90d (the default), at least "
        "GATEHOUSE_REFRESH_TTL");
  }
  if (run.facts.refresh_grace > kMaxSensibleRefreshGrace) {
    run.findings.Add(
        Severity::kWarning, "refresh-grace-too-long", kSettingRefreshGrace,
        "GATEHOUSE_REFRESH_GRACE is " +
            FormatDuration(run.facts.refresh_grace) + ", longer than " +
            FormatDuration(kMaxSensibleRefreshGrace),
        "A superseded refresh token still works during the grace window, "
        "so a stolen one can be replayed for that long before reuse "
        "detection revokes the session.",
        "GATEHOUSE_REFRESH_GRACE=30s (the default): enough for two tabs, "
        "or middleware and browser, refreshing at once");
  } else if (run.facts.refresh_grace <= Duration(0)) {
    run.findings.Add(
        Severity::kWarning, "refresh-grace-zero", kSettingRefreshGrace,
        "GATEHOUSE_REFRESH_GRACE is 0: concurrent refreshes log users out",
        "Two tabs, or the app's middleware and the browser, that refresh "
        "at the same moment present the same token. Without a grace "
        "window the second is taken for a stolen token's reuse and the "
        "whole session is revoked (F9).",
        "GATEHOUSE_REFRESH_GRACE=30s (the default)");
  }
}

}  // namespace gatehouse::checks
