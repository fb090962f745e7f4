// The cookie settings alone: Secure, SameSite, names and their prefixes,
// and a Domain browsers refuse outright.
#include <string>
#include <string_view>

#include "core/checks/deployment_checks_internal.h"
#include "core/cookie_rules.h"

namespace gatehouse::checks {
namespace {

// The RFC 6265bis token rule for cookie names: no controls, no spaces and
// none of the separators a browser would cut the header at.
bool IsValidCookieName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (c <= 0x20 || c >= 0x7f) return false;
    if (std::string_view("()<>@,;:\\\"/[]?={}").find(static_cast<char>(c)) !=
        std::string_view::npos) {
      return false;
    }
  }
  return true;
}

std::string StripDot(std::string_view domain) {
  if (domain.starts_with(".")) domain.remove_prefix(1);
  return std::string(domain);
}

void CheckCookieName(CheckRun& run, const char* setting,
                     const std::string& name) {
  const CookieSettings& c = run.facts.cookie;
  if (!IsValidCookieName(name)) {
    run.findings.Add(
        Severity::kError, "cookie-name-invalid", setting,
        "'" + name + "' is not a valid cookie name",
        "A cookie name is one token: not empty, without spaces, controls "
        "or any of ( ) < > @ , ; : \\ \" / [ ] ? = { }. Browsers cut the "
        "Set-Cookie at such a character or drop it.",
        std::string(setting) + "=" +
            (std::string_view(setting) == kSettingAccessCookie
                 ? "access_token"
                 : "refresh_token") +
            " or another name of letters, digits, '-' and '_'");
    return;
  }
  // Each prefix rule, alone: the name with the configured Domain (Secure
  // assumed), then with the configured Secure (no Domain).
  if (AttributeRejection({name, c.domain, true, SameSite::kLax}) ==
      StoreRejection::kHostPrefixRequirements) {
    run.findings.Add(
        Severity::kError, "host-prefix-with-domain", setting,
        "The __Host- cookie '" + name + "' has a Domain",
        "Browsers store a __Host- cookie only when it is host-only (no "
        "Domain), Secure and Path=/. With GATEHOUSE_COOKIE_DOMAIN=" +
            c.domain + " every sign-in sets a cookie the browser drops.",
        "Unset GATEHOUSE_COOKIE_DOMAIN (the app must then be on the API's "
        "host), or use a __Secure- name: " +
            std::string(setting) + "=__Secure-" +
            name.substr(std::string_view("__Host-").size()));
  }
  StoreRejection prefix =
      AttributeRejection({name, "", c.secure, SameSite::kLax});
  if (prefix == StoreRejection::kSecurePrefixWithoutSecure ||
      prefix == StoreRejection::kHostPrefixRequirements) {
    std::string p = name.substr(0, name.find('-') + 1);
    run.findings.Add(
        Severity::kError, "cookie-prefix-without-secure", setting,
        "The " + p + " cookie '" + name + "' is not Secure",
        "Browsers drop a cookie whose name starts with " + p +
            " unless it is Secure: '" + name + "' would never be stored.",
        "GATEHOUSE_COOKIE_SECURE=true, or (for --dev on http://) a name "
        "without the " +
            p + " prefix");
  }
}

}  // namespace

void CheckCookieSettings(CheckRun& run) {
  const CookieSettings& c = run.facts.cookie;
  if (!c.secure && !run.facts.dev) {
    run.findings.Add(
        Severity::kError, "cookie-secure-off", kSettingCookieSecure,
        "Auth cookies without Secure in production",
        "Without Secure, browsers also send the session cookies over plain "
        "http://, where anyone on the way (public Wi-Fi, a proxy) can read "
        "and replay them. Secure off is for `serve --dev` only.",
        "GATEHOUSE_COOKIE_SECURE=true (the default), and serve the API and "
        "the app over https://");
  }
  if (AttributeRejection({"cookie", "", c.secure, c.same_site}) ==
      StoreRejection::kSameSiteNoneWithoutSecure) {
    run.findings.Add(
        Severity::kError, "samesite-none-without-secure",
        kSettingCookieSameSite, "SameSite=None without Secure",
        "Browsers ignore a SameSite=None cookie that is not also Secure "
        "(RFC 6265bis): the auth cookies would never be stored, and every "
        "sign-in would end signed out.",
        "GATEHOUSE_COOKIE_SAMESITE=Lax (the default; enough when the app "
        "and the API share a registrable domain), or "
        "GATEHOUSE_COOKIE_SECURE=true");
  }
  for (const auto& [setting, name] :
       {std::pair{kSettingAccessCookie, c.access_name},
        std::pair{kSettingRefreshCookie, c.refresh_name}}) {
    CheckCookieName(run, setting, name);
  }
  if (c.access_name == c.refresh_name) {
    run.findings.Add(
        Severity::kError, "cookie-names-equal", kSettingRefreshCookie,
        "The access and refresh cookies have the same name '" + c.refresh_name +
            "'",
        "Each Set-Cookie overwrites the other, so the browser keeps one "
        "token of the two and the next request or refresh fails.",
        "GATEHOUSE_REFRESH_COOKIE=refresh_token (any name other than "
        "GATEHOUSE_ACCESS_COOKIE's)");
  }
  if (!c.domain.empty() && run.psl.IsPublicSuffix(c.domain)) {
    run.findings.Add(
        Severity::kError, "cookie-domain-public-suffix", kSettingCookieDomain,
        "The cookie domain '" + c.domain + "' is a public suffix",
        "'" + StripDot(c.domain) +
            "' is on the Public Suffix List: anyone can register a name "
            "under it, so browsers refuse cookies scoped to it. Every "
            "sign-in would set cookies the browser drops.",
        run.ApiRegistrableDomain().empty()
            ? "GATEHOUSE_COOKIE_DOMAIN=.example.com (your own registrable "
              "domain), or empty for host-only cookies"
            : "GATEHOUSE_COOKIE_DOMAIN=." + run.ApiRegistrableDomain() +
                  " (your own registrable domain), or empty for host-only "
                  "cookies");
  }
  if (c.same_site == SameSite::kStrict) {
    run.findings.Add(
        Severity::kNote, "samesite-strict", kSettingCookieSameSite,
        "SameSite=Strict: users who arrive from another site look signed "
        "out",
        "Browsers do not send Strict cookies with a navigation that starts "
        "on another site (a link in an email, a search result). That first "
        "page load reaches the app and the edge guard without cookies, so "
        "signed-in users are sent to the login page.",
        "GATEHOUSE_COOKIE_SAMESITE=Lax (the default): cookies still stay "
        "off cross-site writes, and gatehouse checks their origin too");
  }
}

}  // namespace gatehouse::checks
