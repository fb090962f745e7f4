// What a browser at each app URL makes of the cookies the API sets: are
// they stored, do they reach the app's host (F4), is the app on the API's
// site at all (F6), may it write (CSRF).
#include <optional>
#include <string>
#include <vector>

#include "core/checks/deployment_checks_internal.h"
#include "core/cookie_rules.h"
#include "core/origin_policy.h"
#include "core/web_url.h"

namespace gatehouse::checks {
namespace {

// The Domain the fixes suggest: the narrowest covering the API host and
// every app host on its site (the one rule --live suggests by too), but
// never a public suffix, which browsers refuse; "" when only host-only
// cookies work (the API host is an address, or has no registrable domain).
std::string SuggestedDomain(const CheckRun& run,
                            const std::vector<WebUrl>& apps) {
  if (!run.api) return "";
  std::string domain = CoveringCookieDomain(*run.api, apps, run.psl);
  return run.psl.IsPublicSuffix(domain) ? run.ApiRegistrableDomain() : domain;
}

std::string FixCrossSite(const CheckRun& run, const WebUrl& app) {
  std::string registrable = run.ApiRegistrableDomain();
  if (registrable.empty()) {
    return "Give the API and the app host names under one domain you own "
           "(api.example.com and app.example.com), or, on one machine, the "
           "same host (http://localhost:3000 and http://localhost:8080)";
  }
  // The API's parent domain ("school.example.com.np" for
  // "api.school.example.com.np") keeps the cookies narrowest.
  std::string parent = run.api->host.substr(run.api->host.find('.') + 1);
  if (parent.size() < registrable.size()) parent = registrable;
  std::string label = app.host.substr(0, app.host.find('.'));
  std::string near = "https://app." + parent;
  std::string custom = "https://" + label + "." + registrable;
  std::string fix =
      "Serve the app from a subdomain of " + registrable + ", e.g. " + near;
  if (custom != near) fix += " or " + custom;
  fix += " (a custom domain at your host); then set GATEHOUSE_COOKIE_DOMAIN=." +
         parent;
  if (custom != near && parent != registrable) {
    fix += " (." + registrable + " for the second)";
  }
  fix += " and put the new origin in GATEHOUSE_TRUSTED_ORIGINS";
  return fix;
}

void CrossSite(CheckRun& run, const WebUrl& app, bool only_scheme) {
  std::string app_site = SiteOf(app, run.psl);
  std::string api_site = SiteOf(*run.api, run.psl);
  std::string why;
  std::string fix;
  if (only_scheme) {
    why = "Browsers compare sites with their scheme: " + app.origin + " and " +
          run.api->origin +
          " differ in it, so they are different sites and the API's "
          "SameSite=Lax/Strict cookies are neither stored from nor sent "
          "with the app's requests.";
    fix = "Serve the app and the API over the same scheme, https://";
  } else {
    why =
        "Browsers group hosts into sites by registrable domain (the "
        "Public Suffix List): the app is on " +
        app_site + ", the API on " + api_site + ".";
    std::string app_registrable = run.psl.RegistrableDomain(app.host);
    std::string suffix = app.host.substr(app.host.find('.') + 1);
    // A hosting platform's suffix (vercel.app, github.io) is the surprise;
    // that "org" is one needs no saying.
    if (app_registrable == app.host && suffix.find('.') != std::string::npos) {
      why += " " + suffix +
             " is a public suffix, so every name under it is a site of "
             "its own.";
    }
    why +=
        " To the app the API's cookies are third-party: SameSite=Lax or "
        "Strict cookies are neither stored from nor sent with its fetch() "
        "calls, browsers that block third-party cookies (Safari, Firefox, "
        "Chrome with them off) drop even SameSite=None ones, and no cookie "
        "Domain can span two sites, so the app's own server (e.g. Next.js "
        "middleware) never sees them. Users sign in and are signed out at "
        "once.";
    fix = FixCrossSite(run, app);
  }
  run.findings.Add(run.Production(), "app-cross-site",
                   run.facts.app_urls_setting,
                   "The app " + app.origin + " and the API " + run.api->origin +
                       " are on different sites",
                   why, fix);
}

void MissesApp(CheckRun& run, const WebUrl& app,
               const std::vector<WebUrl>& apps) {
  std::string domain = SuggestedDomain(run, apps);
  std::string old =
      run.facts.cookie.domain.empty() ? "host-only" : run.facts.cookie.domain;
  std::string why =
      run.facts.cookie.domain.empty()
          ? "GATEHOUSE_COOKIE_DOMAIN is empty, so the cookies are "
            "host-only: the browser sends them to " +
                run.api->host + " alone."
          : "The cookies have Domain=" + run.facts.cookie.domain +
                ", which does not cover " + app.host + ".";
  why +=
      " The app's own server (Next.js middleware, server rendering, an "
      "edge guard on " +
      app.host +
      ") never sees who is signed in and sends signed-in users to the "
      "login page.";
  run.findings.Add(
      run.Production(), "cookie-domain-misses-app", kSettingCookieDomain,
      "The app host " + app.host + " never receives the auth cookies", why,
      "GATEHOUSE_COOKIE_DOMAIN=." + domain +
          " (covers the API and the app), and "
          "GATEHOUSE_COOKIE_OLD_DOMAINS=" +
          old + " so the browser's old cookies are cleared");
}

// What the browser at `app` makes of the cookies the API sets (`stored`:
// whether it keeps them at all): may the app write, is it on the API's
// site (F6), do the cookies reach its host (F4).
void CheckApp(CheckRun& run, const WebUrl& app, const std::vector<WebUrl>& apps,
              const CookieAttributes& cookie, bool stored) {
  OriginPolicy origins(run.facts.public_url, run.facts.trusted_origins);
  if (!origins.IsTrusted(app.origin)) {
    std::string list;
    for (const std::string& o : run.facts.trusted_origins) list += o + ",";
    run.findings.Add(
        Severity::kError, "app-origin-untrusted", kSettingTrustedOrigins,
        "The app origin " + app.origin + " is not in GATEHOUSE_TRUSTED_ORIGINS",
        "gatehouse accepts a cookie-authenticated write (refresh, "
        "logout, password change) only from a trusted origin: every one "
        "the app at " +
            app.origin +
            " makes gets 403 CSRF_REJECTED, and without CORS headers its "
            "pages cannot read the API's answers.",
        "GATEHOUSE_TRUSTED_ORIGINS=" + list + app.origin);
  }
  const bool app_insecure =
      cookie.secure && app.scheme == "http" && !IsLoopbackHost(app.host);
  if (app_insecure) {
    run.findings.Add(
        run.Production(), "app-url-not-https", run.facts.app_urls_setting,
        "The app is served over plain http: " + app.origin,
        "The auth cookies are Secure, so browsers send them only over "
        "https (or to a loopback host): the app's server at " +
            app.origin +
            " never receives them, and its pages are not a secure "
            "context.",
        "Serve the app over https://" + app.host +
            " and list that origin in GATEHOUSE_TRUSTED_ORIGINS");
  }
  if (!IsSameSite(app, *run.api, run.psl)) {
    bool only_scheme = SiteOf(app, run.psl).substr(app.scheme.size()) ==
                       SiteOf(*run.api, run.psl).substr(run.api->scheme.size());
    // An http:// app beside an https:// API: app-url-not-https says it.
    if (!(only_scheme && app_insecure)) CrossSite(run, app, only_scheme);
    // No cookie Domain spans two sites: F4 would add nothing.
    return;
  }
  // The app's own server (middleware, server rendering, an edge guard on
  // its host) on a page load.
  const BrowserRequest page_load{std::nullopt, true};
  if (stored && WhyNotSent(cookie, *run.api, app, page_load, run.psl) ==
                    SendExclusion::kHostNotCovered) {
    MissesApp(run, app, apps);
  }
}

}  // namespace

void CheckBrowserView(CheckRun& run) {
  std::vector<WebUrl> apps;
  for (const std::string& url : run.facts.app_urls) {
    if (auto app = ParseWebUrl(url)) apps.push_back(*app);
  }
  if (run.facts.app_urls.empty()) {
    run.findings.Add(
        Severity::kNote, "no-app-urls", "", "No app URL to check",
        "Without the app's URL only the API side can be checked: whether "
        "the app's pages and server receive the cookies, and may write, "
        "is unknown.",
        "List the app's origin in GATEHOUSE_TRUSTED_ORIGINS, or run "
        "gatehouse doctor --app-url https://app.example.com");
  }
  if (!run.api) return;

  const CookieSettings& settings = run.facts.cookie;
  const CookieAttributes cookie{settings.access_name, settings.domain,
                                settings.secure, settings.same_site};
  // Signing in on the API's own page (e.g. the account page): whether the
  // browser keeps the cookies at all. A public-suffix Domain and Secure
  // over http are reported by the checks of the settings and the URL.
  StoreRejection at_api = WhyNotStored(cookie, *run.api, {}, run.psl);
  if (at_api == StoreRejection::kDomainMismatch) {
    std::string domain = SuggestedDomain(run, apps);
    run.findings.Add(
        run.Production(), "cookie-domain-misses-api", kSettingCookieDomain,
        "The cookie domain " + settings.domain +
            " does not cover the API host " + run.api->host,
        "A browser keeps a cookie only if the host that sets it is inside "
        "its Domain (RFC 6265bis domain-match). gatehouse sets the "
        "cookies from " +
            run.api->host +
            ", so the browser drops every one: sign-in seems to work, and "
            "the next request is signed out.",
        domain.empty()
            ? "Leave GATEHOUSE_COOKIE_DOMAIN empty (host-only cookies)"
            : "GATEHOUSE_COOKIE_DOMAIN=." + domain);
  }
  for (const WebUrl& app : apps) {
    CheckApp(run, app, apps, cookie, at_api == StoreRejection::kNone);
  }
}

}  // namespace gatehouse::checks
