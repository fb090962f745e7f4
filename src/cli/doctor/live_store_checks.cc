// The live F10 checks: a browser's cookie store followed through login,
// refresh and logout, seeded with the cookies a real browser sent
// (--cookie-header). Two cookies of one name sent to the API or an app is
// the field failure F10: after a Domain change the stale one lives on
// beside the new, and whoever reads only one may read the stale one.
#include <algorithm>
#include <string>
#include <vector>

#include "cli/doctor/live_checks_internal.h"
#include "core/routes.h"

namespace gatehouse::live {
namespace {

// Pasted cookies are taken to be what a Cookie header cannot say: host-only
// cookies of the API host with Path=/, as the oldest gatehouse setups (and
// every --dev one) set them, and not Secure, so that nothing decides for
// them but the host. A Set-Cookie of the same name without Domain replaces
// such a cookie; one with a Domain sits beside it.
void SeedPasted(const LiveRun& run, CookieStore& store) {
  for (const auto& [name, value] : run.browser_cookies) {
    StoredCookie cookie;
    cookie.name = name;
    // The value is never needed, and so never kept where it could leak.
    cookie.domain = run.api.host;
    cookie.host_only = true;
    cookie.path = "/";
    cookie.secure = false;
    cookie.same_site = SameSite::kLax;
    cookie.source = kPastedSource;
    store.Insert(std::move(cookie));
  }
}

std::string Variant(const StoredCookie& c) {
  std::string out =
      c.host_only ? "host-only on " + c.domain : "on Domain " + c.domain;
  if (c.path != "/") out += " with Path=" + c.path;
  return out + " (from " + c.source + ")";
}

// Where a request goes, for the store: a host and a path.
struct Destination {
  WebUrl url;
  std::string path;
  BrowserRequest context;
};

// Two cookies of one name sent to one host, and when.
struct Duplicate {
  std::string host;
  std::string name;
  std::vector<std::string> steps;      // after which steps it was seen
  std::vector<StoredCookie> variants;  // the first time it was seen
};

void Record(std::vector<Duplicate>& found, const std::string& host,
            const std::string& step, const std::vector<StoredCookie>& sent) {
  std::vector<std::string> names;
  for (const StoredCookie& c : sent) names.push_back(c.name);
  for (const std::string& name : RepeatedNames(names)) {
    auto same = std::find_if(found.begin(), found.end(), [&](const auto& d) {
      return d.host == host && d.name == name;
    });
    if (same != found.end()) {
      same->steps.push_back(step);
      continue;
    }
    Duplicate d{host, name, {step}, {}};
    for (const StoredCookie& c : sent) {
      if (c.name == name) d.variants.push_back(c);
    }
    found.push_back(std::move(d));
  }
}

// True iff `c` is where the server itself puts the cookie of its name
// (login's Set-Cookie), so the other variants are the stale ones.
bool IsServersOwn(const LiveCheckRun& run, const StoredCookie& c) {
  if (c.source == kPastedSource) return false;
  for (const ParsedSetCookie& set : run.auth_cookies()) {
    if (set.name != c.name) continue;
    bool same_domain =
        set.domain ? !c.host_only && c.domain == *set.domain : c.host_only;
    return same_domain && c.path == set.path.value_or(c.path);
  }
  return false;
}

void ReportDuplicates(LiveCheckRun& run, const std::string& host,
                      const std::vector<const Duplicate*>& duplicates) {
  std::vector<std::string> names;
  std::string held;
  std::vector<std::string> stale_domains;
  for (const Duplicate* d : duplicates) {
    names.push_back(d->name);
    std::vector<std::string> variants;
    for (const StoredCookie& c : d->variants) {
      variants.push_back(Variant(c));
      if (IsServersOwn(run, c)) continue;
      std::string domain = DomainSetting(
          c.host_only ? std::nullopt : std::optional<std::string>(c.domain));
      if (std::find(stale_domains.begin(), stale_domains.end(), domain) ==
          stale_domains.end()) {
        stale_domains.push_back(domain);
      }
    }
    held += (held.empty() ? "" : "; ") + d->name + " " + JoinNames(variants);
  }
  std::string fix;
  if (stale_domains.empty()) {
    fix =
        "Let one component set the auth cookies, on one Domain: a proxy "
        "or another service sets them beside gatehouse";
  } else {
    std::vector<std::string> old = run.run.old_domains;
    for (const std::string& d : stale_domains) {
      if (std::find(old.begin(), old.end(), d) == old.end()) old.push_back(d);
    }
    std::string list;
    for (const std::string& d : old) list += (list.empty() ? "" : ",") + d;
    fix = "GATEHOUSE_COOKIE_OLD_DOMAINS=" + list +
          " on the server: every response that sets or clears the cookies "
          "then also clears them on those Domains, and the stale ones go at "
          "the next refresh";
  }
  std::vector<std::string> counted;
  for (const std::string& name : names) counted.push_back("two " + name);
  run.findings.Add(
      Severity::kError, "live-duplicate-cookies", kSettingCookieOldDomains,
      "A browser would send " + JoinNames(counted) + " cookies to " + host,
      "After " + JoinNames(duplicates.front()->steps) + " the browser holds " +
          held +
          ". It sends every one, in an order the server does not "
          "choose: gatehouse tries each (F10), but an app server or edge "
          "guard that reads one may read the stale one, and a stale "
          "cookie nothing clears outlives every sign-out.",
      fix);
}

}  // namespace

void CheckDuplicateCookies(LiveCheckRun& run) {
  std::vector<std::string> pasted;
  for (const auto& [name, value] : run.run.browser_cookies) {
    pasted.push_back(name);
  }
  std::vector<std::string> repeated = RepeatedNames(pasted);
  if (!repeated.empty()) {
    run.findings.Add(
        Severity::kWarning, "live-cookie-header-duplicates", "",
        "The browser's Cookie header carries two " + JoinNames(repeated) +
            " cookies",
        "--cookie-header names " + JoinNames(repeated) +
            " more than once. A browser keeps one cookie per name, "
            "Domain and Path, so these are variants on different Domains "
            "or Paths, typically a host-only cookie left beside a Domain "
            "one after GATEHOUSE_COOKIE_DOMAIN changed (F10). gatehouse "
            "tries each, but an app server or edge guard that reads one "
            "may read the stale one.",
        "List every Domain the cookies had before in "
        "GATEHOUSE_COOKIE_OLD_DOMAINS (host-only for cookies set without "
        "a Domain), e.g. GATEHOUSE_COOKIE_OLD_DOMAINS=host-only: every "
        "response that sets or clears the cookies then clears those "
        "variants too. live-duplicate-cookies says whether this server "
        "leaves any.");
  }
  if (!run.Succeeded("login")) return;

  CookieStore store;
  SeedPasted(run.run, store);
  std::vector<Destination> destinations;
  // The API, as the app's refresh reaches it; each app's own host on a
  // page load. Same-site contexts: F6 is judged on its own.
  destinations.push_back({run.run.api, kRouteRefresh, {}});
  for (const WebUrl& app : run.run.apps) {
    bool seen = false;
    for (const Destination& d : destinations) {
      seen = seen || d.url.host == app.host;
    }
    if (!seen) destinations.push_back({app, "/", {std::nullopt, true}});
  }
  std::vector<Duplicate> found;
  for (const LiveStep& step : run.run.steps) {
    if (step.name == kLiveCleanupStep) continue;
    if (!step.error.empty()) break;
    for (const ParsedSetCookie& line : SetCookiesOf(step)) {
      (void)store.Receive(line, run.run.api, step.path, {}, run.psl,
                          run.run.now, step.name);
    }
    for (const Destination& d : destinations) {
      Record(found, d.url.host, step.name,
             store.CookiesFor(d.url, d.path, d.context, run.psl));
    }
  }
  for (const Destination& d : destinations) {
    std::vector<const Duplicate*> here;
    for (const Duplicate& dup : found) {
      if (dup.host == d.url.host) here.push_back(&dup);
    }
    if (!here.empty()) ReportDuplicates(run, d.url.host, here);
  }
}

}  // namespace gatehouse::live
