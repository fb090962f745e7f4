// The live cookie checks: what a browser at the API and at each app URL
// makes of the cookies login set (stored? sent to the app's host, F4? to
// a cross-site app, F6?), whether refresh sets them again alike (F3), and
// whether logout's clearing repeats their setting exactly (F5).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "cli/doctor/live_checks_internal.h"
#include "core/origin_policy.h"

namespace gatehouse::live {
namespace {

std::vector<std::string> NamesOf(const std::vector<ParsedSetCookie>& cookies) {
  std::vector<std::string> names;
  for (const ParsedSetCookie& c : cookies) names.push_back(c.name);
  return names;
}

bool Contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The Set-Cookie lines as a "why" quotes them, values left out.
std::string Lines(const std::vector<const ParsedSetCookie*>& cookies) {
  std::vector<std::string> quoted;
  for (const ParsedSetCookie* c : cookies) {
    quoted.push_back("\"" + Summary(*c) + "\"");
  }
  return JoinNames(quoted);
}

// The cookie Domain to suggest, with the leading dot: the narrowest over
// the API and every app on its site; "" when only host-only cookies can
// work (the API host is an address).
std::string SuggestedDomain(const LiveCheckRun& run) {
  std::string domain = CoveringCookieDomain(run.run.api, run.run.apps, run.psl);
  return domain.empty() ? "" : "." + domain;
}

void SetsNoCookies(LiveCheckRun& run) {
  const LiveStep& login = *run.Step("login");
  std::vector<std::string> missing;
  for (const std::string& name : {run.run.access_name, run.run.refresh_name}) {
    if (!Contains(NamesOf(run.login_cookies()), name)) missing.push_back(name);
  }
  std::vector<std::string> others;
  for (const ParsedSetCookie& c : run.login_cookies()) {
    if (c.name != run.run.access_name && c.name != run.run.refresh_name) {
      others.push_back(c.name);
    }
  }
  if (missing.empty()) return;
  if (missing.size() == 2 && !others.empty()) {
    run.findings.Add(
        Severity::kWarning, "live-cookie-names-differ", kSettingAccessCookie,
        "The server sets " + CookiesNamed(others) + ", not " +
            JoinNames(missing) + " as this config names them",
        "doctor reads its config from its own flags, environment and "
        "GATEHOUSE_CONFIG file, and the server answered with other cookie "
        "names: the two configs differ, so the static checks above "
        "judged another deployment than the one running. The live "
        "checks follow the server.",
        "Run doctor with the server's config (its GATEHOUSE_* "
        "environment or GATEHOUSE_CONFIG file), or make "
        "GATEHOUSE_ACCESS_COOKIE and GATEHOUSE_REFRESH_COOKIE agree");
    return;
  }
  run.findings.Add(
      Severity::kError, "live-login-sets-no-cookies", "",
      "Login set no " + JoinNames(missing) +
          (missing.size() == 1 ? " cookie" : " cookies"),
      "POST " + login.url +
          " signed in (200) but its answer has no Set-Cookie that sets " +
          JoinNames(missing) +
          ": browsers stay signed out. gatehouse sets both on every "
          "login, so something between it and the browser (a proxy, a "
          "CDN, a cache) drops or renames Set-Cookie headers.",
      "Let every proxy in front of gatehouse pass Set-Cookie through "
      "unchanged, and never cache /api/v1/auth/ answers");
}

std::string StoreFix(StoreRejection reason, const LiveCheckRun& run,
                     std::string& setting) {
  switch (reason) {
    case StoreRejection::kDomainIsPublicSuffix:
    case StoreRejection::kDomainMismatch: {
      setting = kSettingCookieDomain;
      std::string domain = SuggestedDomain(run);
      return domain.empty()
                 ? "GATEHOUSE_COOKIE_DOMAIN empty (host-only cookies)"
                 : "GATEHOUSE_COOKIE_DOMAIN=" + domain +
                       " (covers the API and the apps)";
    }
    case StoreRejection::kSecureFromInsecureUrl:
      setting = kSettingCookieSecure;
      return "Serve the API over https (and GATEHOUSE_PUBLIC_URL=https://" +
             run.run.api.host +
             "); a local server on plain http runs as gatehouse serve --dev";
    case StoreRejection::kSameSiteNoneWithoutSecure:
      setting = kSettingCookieSameSite;
      return "GATEHOUSE_COOKIE_SAMESITE=Lax, or Secure cookies over https";
    case StoreRejection::kSecurePrefixWithoutSecure:
    case StoreRejection::kHostPrefixRequirements:
      setting = kSettingAccessCookie;
      return "Cookie names without the __Secure-/__Host- prefix, or Secure "
             "on over https (and no GATEHOUSE_COOKIE_DOMAIN for __Host-)";
    case StoreRejection::kCrossSiteSameSite:
    case StoreRejection::kNone:
      break;
  }
  return "";
}

// The cookies a browser at the API keeps, signing in on the API's own
// page (same-site, so only the cookie's own attributes decide). Reports
// the others, grouped by reason.
std::vector<const ParsedSetCookie*> StoredAtApi(LiveCheckRun& run) {
  std::vector<const ParsedSetCookie*> stored;
  std::map<StoreRejection, std::vector<const ParsedSetCookie*>> dropped;
  for (const ParsedSetCookie& c : run.auth_cookies()) {
    StoreRejection r = WhyNotStored(c.Attributes(), run.run.api, {}, run.psl);
    if (r == StoreRejection::kNone) {
      stored.push_back(&c);
    } else {
      dropped[r].push_back(&c);
    }
  }
  for (const auto& [reason, cookies] : dropped) {
    std::vector<std::string> names;
    for (const ParsedSetCookie* c : cookies) names.push_back(c->name);
    std::string setting;
    std::string fix = StoreFix(reason, run, setting);
    run.findings.Add(
        Severity::kError, "live-cookie-not-stored", setting,
        "A browser drops " + CookiesNamed(names) + " login sets",
        "A browser at " + run.run.api.origin + " ignores " + Lines(cookies) +
            ": " + std::string(Describe(reason)) +
            " (RFC 6265bis). Sign-in seems to work, and the next request "
            "is signed out.",
        fix);
  }
  return stored;
}

void UnsafeAttributes(LiveCheckRun& run,
                      const std::vector<const ParsedSetCookie*>& stored) {
  std::vector<std::string> readable;
  std::vector<std::string> insecure;
  for (const ParsedSetCookie* c : stored) {
    if (!c->http_only) readable.push_back(c->name);
    if (!c->secure && run.run.api.scheme == "https") {
      insecure.push_back(c->name);
    }
  }
  if (!readable.empty()) {
    run.findings.Add(
        Severity::kError, "live-cookie-not-httponly", "",
        "Page scripts can read " + CookiesNamed(readable),
        "login set " + JoinNames(readable) +
            " without HttpOnly: any script on a page of the site (one "
            "XSS bug, a compromised npm package) can read the tokens and "
            "use them elsewhere. gatehouse always sets HttpOnly, so a "
            "proxy or another component rewrites its Set-Cookie headers.",
        "Let every proxy in front of gatehouse pass Set-Cookie through "
        "unchanged");
  }
  if (!insecure.empty()) {
    run.findings.Add(
        Severity::kError, "live-cookie-not-secure", kSettingCookieSecure,
        CookiesNamed(insecure) + " lack Secure on an https API",
        "The API is served over https, but login set " + JoinNames(insecure) +
            " without Secure: browsers also send them over plain http "
            "(a typed or linked http:// address, a forged request on a "
            "shared network), where anyone on the path reads them.",
        "GATEHOUSE_COOKIE_SECURE=true (the default outside --dev)");
  }
}

// The app's fetch() calls carry credentials only if every answer grants
// its origin by CORS.
void Cors(LiveCheckRun& run) {
  if (run.run.apps.empty() || run.run.origin == run.run.api.origin) return;
  const HttpResponse& answer = run.Step("login")->response;
  std::string allowed = answer.Header("Access-Control-Allow-Origin");
  std::string credentials = answer.Header("Access-Control-Allow-Credentials");
  if (allowed == run.run.origin && credentials == "true") return;
  std::string list;
  for (const std::string& o : run.run.trusted_origins) {
    if (o != run.run.origin) list += o + ",";
  }
  run.findings.Add(
      Severity::kError, "live-cors-missing", kSettingTrustedOrigins,
      "The login answer does not let the app at " + run.run.origin + " read it",
      "The app's fetch(..., {credentials: \"include\"}) gets an answer only "
      "with Access-Control-Allow-Origin: " +
          run.run.origin +
          " and Access-Control-Allow-Credentials: true. To Origin: " +
          run.run.origin + " the login answer had " +
          (allowed.empty() ? "no Access-Control-Allow-Origin"
                           : "Access-Control-Allow-Origin: " + allowed) +
          (credentials == "true"
               ? ""
               : " and no Access-Control-Allow-Credentials: true") +
          ": the browser hides every answer from the app, which sees a "
          "network error. gatehouse grants exactly its trusted origins.",
      "GATEHOUSE_TRUSTED_ORIGINS=" + list + run.run.origin +
          " in the server's config");
}

void AppNotSecureContext(LiveCheckRun& run, const WebUrl& app,
                         const std::vector<std::string>& names) {
  run.findings.Add(
      Severity::kError, "live-app-not-secure-context", "",
      "The app at " + app.origin + " never receives " + CookiesNamed(names),
      "login set " + JoinNames(names) +
          " with Secure: browsers send them only over https (or to a "
          "loopback host), and the app is served over plain http, so its "
          "own server (middleware, server rendering) never sees them.",
      "Serve the app over https://" + app.host +
          " and list that origin in GATEHOUSE_TRUSTED_ORIGINS");
}

std::string CrossSiteFix(const LiveCheckRun& run) {
  std::string registrable = run.psl.RegistrableDomain(run.run.api.host);
  if (registrable.empty()) {
    return "Give the API and the app host names under one domain you own "
           "(api.example.com and app.example.com), or, on one machine, the "
           "same host";
  }
  return "Serve the app from a subdomain of " + registrable + " over " +
         run.run.api.scheme + "://, e.g. " + run.run.api.scheme + "://app." +
         registrable +
         "; then set GATEHOUSE_COOKIE_DOMAIN to cover the API and the app and "
         "put the new origin in GATEHOUSE_TRUSTED_ORIGINS";
}

// F6: the app on another site than the API.
void CrossSite(LiveCheckRun& run, const WebUrl& app,
               const std::vector<const ParsedSetCookie*>& stored) {
  const BrowserRequest fetch{app, false};
  std::vector<const ParsedSetCookie*> blocked;
  std::vector<std::string> blocked_names;
  std::vector<std::string> third_party;
  for (const ParsedSetCookie* c : stored) {
    CookieAttributes a = c->Attributes();
    if (WhyNotStored(a, run.run.api, fetch, run.psl) ==
            StoreRejection::kCrossSiteSameSite ||
        WhyNotSent(a, run.run.api, run.run.api, fetch, run.psl) ==
            SendExclusion::kCrossSite) {
      blocked.push_back(c);
      blocked_names.push_back(c->name);
    } else {
      third_party.push_back(c->name);
    }
  }
  std::string sites =
      "Browsers group URLs into sites by scheme and "
      "registrable domain (the Public Suffix List): the app "
      "is on " +
      SiteOf(app, run.psl) + ", the API on " + SiteOf(run.run.api, run.psl) +
      ".";
  if (!blocked.empty()) {
    run.findings.Add(
        Severity::kError, "live-cookies-cross-site", "",
        "The app at " + app.origin + " is cross-site to the API: its " +
            "requests carry none of " + CookiesNamed(blocked_names),
        sites + " login set " + Lines(blocked) +
            ": SameSite=Lax and Strict cookies are neither stored from "
            "nor sent with the fetch() calls of a page on another site, "
            "so every call the app makes is signed out, and no cookie "
            "Domain can span two sites for the app's own server.",
        CrossSiteFix(run));
  }
  if (!third_party.empty()) {
    run.findings.Add(
        Severity::kWarning, "live-third-party-cookies", "",
        "The app at " + app.origin + " gets " + CookiesNamed(third_party) +
            " only as third-party cookies",
        sites + " SameSite=None lets browsers send " + JoinNames(third_party) +
            " with the app's cross-site fetch() calls, but Safari, "
            "Firefox's strict mode and Chrome with third-party cookies "
            "blocked drop them, and no cookie Domain covers the app's "
            "own host.",
        CrossSiteFix(run));
  }
}

// F4: the app on the API's site whose host the cookies do not cover.
void MissesApp(LiveCheckRun& run, const WebUrl& app,
               const std::vector<const ParsedSetCookie*>& misses) {
  std::vector<std::string> names;
  for (const ParsedSetCookie* c : misses) names.push_back(c->name);
  const std::optional<std::string>& domain = misses.front()->domain;
  std::string where = domain ? "hosts in " + *domain + " only"
                             : run.run.api.host + " alone (host-only)";
  std::string suggested = SuggestedDomain(run);
  run.findings.Add(
      Severity::kError, "live-cookies-miss-app", kSettingCookieDomain,
      "The app host " + app.host + " never receives " + CookiesNamed(names) +
          " login set",
      "login set " + Lines(misses) + ": the browser sends " +
          (names.size() == 1 ? "it" : "them") + " back to " + where +
          ", never to " + app.host +
          ". The app's own server (Next.js "
          "middleware, server rendering, an edge guard on " +
          app.host +
          ") never sees who is signed in and sends signed-in users to "
          "the login page.",
      suggested.empty()
          ? "Give the API and the app host names under one domain you "
            "own, or serve the app from the API's host"
          : "GATEHOUSE_COOKIE_DOMAIN=" + suggested +
                " on the server (covers the API and the apps), and "
                "GATEHOUSE_COOKIE_OLD_DOMAINS=" +
                DomainSetting(domain) +
                " so the browsers' old cookies are cleared");
}

void CheckApp(LiveCheckRun& run, const WebUrl& app,
              const std::vector<const ParsedSetCookie*>& stored) {
  const WebUrl& api = run.run.api;
  std::vector<std::string> insecure;
  std::vector<const ParsedSetCookie*> misses;
  for (const ParsedSetCookie* c : stored) {
    if (c->secure && !IsPotentiallyTrustworthy(app))
      insecure.push_back(c->name);
    // Whether the app's host is in the cookie's scope at all: Secure and
    // SameSite are weighed apart.
    CookieAttributes scope = c->Attributes();
    scope.secure = false;
    scope.same_site = SameSite::kNone;
    if (WhyNotSent(scope, api, app, {std::nullopt, true}, run.psl) ==
        SendExclusion::kHostNotCovered) {
      misses.push_back(c);
    }
  }
  if (!insecure.empty()) AppNotSecureContext(run, app, insecure);
  if (!IsSameSite(app, api, run.psl)) {
    bool only_scheme = SiteOf(app, run.psl).substr(app.scheme.size()) ==
                       SiteOf(api, run.psl).substr(api.scheme.size());
    // An http:// app beside an https:// API: live-app-not-secure-context
    // says it.
    if (!(only_scheme && !insecure.empty())) CrossSite(run, app, stored);
    return;  // no Domain spans two sites: F4 would add nothing
  }
  if (!misses.empty()) MissesApp(run, app, misses);
}

std::string MismatchText(const std::vector<AttributeMismatch>& mismatches,
                         std::string_view expected_label,
                         std::string_view actual_label) {
  std::string out;
  for (const AttributeMismatch& m : mismatches) {
    out += (out.empty() ? "" : "; ") + m.attribute + ": " +
           std::string(expected_label) + " " + m.expected + ", " +
           std::string(actual_label) + " " + m.actual;
  }
  return out;
}

std::vector<std::string> AttributeNames(
    const std::vector<AttributeMismatch>& mismatches) {
  std::vector<std::string> names;
  for (const AttributeMismatch& m : mismatches) names.push_back(m.attribute);
  return names;
}

}  // namespace

void CheckLoginCookies(LiveCheckRun& run) {
  if (!run.Succeeded("login")) return;
  SetsNoCookies(run);
  Cors(run);
  std::vector<const ParsedSetCookie*> stored = StoredAtApi(run);
  UnsafeAttributes(run, stored);
  if (stored.empty()) return;
  for (const WebUrl& app : run.run.apps) CheckApp(run, app, stored);
}

void CheckRefreshCookies(LiveCheckRun& run) {
  if (!run.Succeeded("login") || !run.Succeeded("refresh")) return;
  const LiveStep& refresh = *run.Step("refresh");
  std::vector<ParsedSetCookie> lines = SetCookiesOf(refresh);
  std::vector<std::string> missing;
  std::vector<std::string> reused;
  for (const ParsedSetCookie& login : run.auth_cookies()) {
    const ParsedSetCookie* again = SettingLine(lines, login.name, run.run.now);
    if (again == nullptr) {
      missing.push_back(login.name);
      continue;
    }
    // Compared in memory only; a value is never shown.
    if (again->value == login.value) reused.push_back(login.name);
    std::vector<AttributeMismatch> m = ScopeMismatches(login, *again);
    if (m.empty()) continue;
    run.findings.Add(
        Severity::kError, "live-refresh-attributes-differ", "",
        "refresh sets " + login.name + " with another " +
            JoinNames(AttributeNames(m)) + " than login",
        MismatchText(m, "login", "refresh") +
            ". A browser keeps one cookie per name, Domain and Path: "
            "a refresh that sets it on another scope leaves the old one "
            "beside the new (F10), and one with other flags changes who "
            "receives it (F3, F5). gatehouse builds both from one "
            "policy, so a proxy or another component rewrites its "
            "Set-Cookie headers.",
        "Let every proxy in front of gatehouse pass Set-Cookie through "
        "unchanged");
  }
  if (!missing.empty()) {
    run.findings.Add(
        Severity::kError, "live-refresh-sets-no-cookies", "",
        "refresh did not set " + CookiesNamed(missing) + " again",
        "POST " + refresh.url + " answered 200 without a Set-Cookie for " +
            JoinNames(missing) +
            ": browsers keep the old tokens, which stop working when "
            "they expire or the grace window ends, and users are signed "
            "out (F3).",
        "Let every proxy in front of gatehouse pass Set-Cookie through "
        "unchanged, and never cache /api/v1/auth/ answers");
  }
  if (!reused.empty()) {
    run.findings.Add(
        Severity::kError, "live-refresh-reuses-token", "",
        "refresh set " + CookiesNamed(reused) + " to the same token",
        "POST " + refresh.url +
            " answered with the very value login set "
            "for " +
            JoinNames(reused) +
            " (compared, never shown): a rotation must issue new tokens "
            "and send those (F3). A cache or proxy may replay an old "
            "answer.",
        "Never cache /api/v1/auth/ answers (Cache-Control: no-store is "
        "sent; keep it)");
  }
}

void CheckLogoutCookies(LiveCheckRun& run) {
  if (!run.Succeeded("login") || !run.Succeeded("logout")) return;
  const LiveStep& logout = *run.Step("logout");
  std::vector<ParsedSetCookie> lines = SetCookiesOf(logout);
  std::vector<std::string> missing;
  for (const ParsedSetCookie& set : run.auth_cookies()) {
    // The clearing of `set` is the line of its name on its Domain; lines
    // for other Domains clear old variants (F10).
    const ParsedSetCookie* clearing = nullptr;
    for (const ParsedSetCookie& line : lines) {
      if (line.name != set.name) continue;
      if (clearing == nullptr ||
          (line.domain == set.domain && clearing->domain != set.domain)) {
        clearing = &line;
      }
    }
    if (clearing == nullptr) {
      missing.push_back(set.name);
      continue;
    }
    std::vector<AttributeMismatch> m =
        ClearingMismatches(set, *clearing, run.run.now);
    if (m.empty()) continue;
    run.findings.Add(
        Severity::kError, "live-clear-attributes-differ", "",
        "logout clears " + set.name + " with another " +
            JoinNames(AttributeNames(m)) + " than login set it",
        "login set \"" + Summary(set) + "\", logout sent \"" +
            Summary(*clearing) + "\" (" + MismatchText(m, "expected", "got") +
            "). A browser deletes a cookie only with a Set-Cookie of "
            "its name, Domain and Path that has expired: this one " +
            (IsDeletion(*clearing, run.run.now) &&
                     !ScopeMismatches(set, *clearing).empty()
                 ? "deletes another cookie, or none"
                 : "may leave it in place") +
            ", and users who signed out stay signed in (F5).",
        "Clearing must repeat Name, Domain, Path, Secure, HttpOnly and "
        "SameSite with an empty value, Max-Age=0 and an Expires in the "
        "past; gatehouse builds both from one policy, so let every proxy "
        "pass Set-Cookie through unchanged");
  }
  if (!missing.empty()) {
    run.findings.Add(
        Severity::kError, "live-logout-clear-missing", "",
        "logout did not clear " + CookiesNamed(missing),
        "POST " + logout.url + " answered 200 without a Set-Cookie for " +
            JoinNames(missing) +
            ": browsers keep the cookies, and a signed-out user still "
            "looks signed in to any page that checks for them (F5, F8).",
        "Let every proxy in front of gatehouse pass Set-Cookie through "
        "unchanged, and never cache /api/v1/auth/ answers");
  }
}

}  // namespace gatehouse::live
