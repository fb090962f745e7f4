// Cookie rules: how a browser treats a cookie, as RFC 6265bis (the cookie
// storage and sending algorithms) and the HTML standard ("same site")
// define it. Pure: the Public Suffix List comes in through its port.
//
// gatehouse builds its cookies in one place (core/cookie_policy.h); these
// rules predict what a browser at the API's and the apps' URLs will do
// with them, so the deployment checks (core/checks/deployment_checks.h) can say
// before any user does that a cookie will be refused or never arrive.
// Every gatehouse cookie has Path=/ and HttpOnly, so the path and
// non-HTTP-API rules never decide anything in the checks of the config.
//
// `gatehouse doctor --live` weighs the Set-Cookie headers a running server
// really sent, so the second half of this file models what a browser does
// with any Set-Cookie: parsing it (ParseSetCookie), keeping it in a cookie
// store across responses (CookieStore), and comparing a clearing one with
// the one it should delete (ClearingMismatches).
#ifndef GATEHOUSE_CORE_COOKIE_RULES_H_
#define GATEHOUSE_CORE_COOKIE_RULES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/cookie_policy.h"
#include "core/public_suffix.h"
#include "core/web_url.h"

namespace gatehouse {

// `name` as browsers compare domains: without a leading dot (a cookie
// Domain may carry one), in lower case.
std::string CanonicalDomain(std::string_view name);

// The attributes of one Set-Cookie that decide where it goes.
struct CookieAttributes {
  std::string name;
  std::string domain;  // the Domain attribute; empty: a host-only cookie
  bool secure = true;
  SameSite same_site = SameSite::kLax;
};

// RFC 6265bis §5.1.3 domain-match: `host` equals `domain`, or `domain` is a
// suffix of `host` right after a ".", and `host` is a host name (an IP
// address matches only itself). Case-insensitive; a leading dot on
// `domain` is ignored, as browsers drop it when they read the attribute.
bool DomainMatches(std::string_view host, std::string_view domain);

// HTML "same site", schemeful as browsers apply it to cookies: the same
// scheme and the same registrable domain, or, for hosts that have none
// (IP addresses, localhost), the same host. Ports never matter.
bool IsSameSite(const WebUrl& a, const WebUrl& b, const PublicSuffixList& psl);

// The site of `url` as text: "https://example.com.np", or
// "http://127.0.0.1" for a host without a registrable domain.
std::string SiteOf(const WebUrl& url, const PublicSuffixList& psl);

// Who makes a request, which decides whether SameSite lets cookies through.
// (Not http/router.h's RequestContext: one name, one type, or the linker
// merges their inline members.)
struct BrowserRequest {
  // The page that makes the request (fetch, XHR, a form); nullopt for a
  // navigation the user started (typed URL, bookmark): a same-site one.
  std::optional<WebUrl> initiator;
  // A top-level navigation with a safe method (a link followed, GET):
  // Lax cookies ride along even from another site, Strict ones do not.
  bool top_level_navigation = false;
};

// Why a browser ignores a received Set-Cookie (RFC 6265bis §5.7, in the
// order the algorithm checks).
enum class StoreRejection {
  kNone,                       // stored
  kDomainIsPublicSuffix,       // Domain is a public suffix (step 6)
  kDomainMismatch,             // the response's host is not in Domain (7)
  kSecureFromInsecureUrl,      // Secure, but the response came over http (10)
  kSameSiteNoneWithoutSecure,  // SameSite=None needs Secure (15)
  kCrossSiteSameSite,  // Lax/Strict cookie set by a cross-site request (15)
  kSecurePrefixWithoutSecure,  // __Secure- needs Secure (16)
  kHostPrefixRequirements,     // __Host- needs Secure and no Domain (17)
};

// Why a browser does not attach a stored cookie to a request (RFC 6265bis
// §5.8.3).
enum class SendExclusion {
  kNone,              // sent
  kHostNotCovered,    // host-only for another host, or outside Domain
  kNotSecureContext,  // Secure cookie, request not https (nor loopback)
  kCrossSite,         // SameSite Lax/Strict on a cross-site request
};

// One line saying why, for messages.
std::string_view Describe(StoreRejection r);
std::string_view Describe(SendExclusion e);

// The rules that concern only a cookie's name and attributes: the
// SameSite=None and __Secure-/__Host- prefix rules. kNone if none bites.
StoreRejection AttributeRejection(const CookieAttributes& cookie);

// Whether a browser stores `cookie` received in a response from
// `response_url` to a request made in `context`.
StoreRejection WhyNotStored(const CookieAttributes& cookie,
                            const WebUrl& response_url,
                            const BrowserRequest& context,
                            const PublicSuffixList& psl);

// Whether a browser that stored `cookie` from a response of `set_by`
// (a host-only cookie belongs to set_by's host) attaches it to a request
// for `request_url` made in `context`. Browsers that block third-party
// cookies (Safari, Firefox's strict mode, Chrome with them turned off)
// also drop SameSite=None cookies on cross-site requests; this follows
// the RFC, which leaves that to the browser.
SendExclusion WhyNotSent(const CookieAttributes& cookie, const WebUrl& set_by,
                         const WebUrl& request_url,
                         const BrowserRequest& context,
                         const PublicSuffixList& psl);

// --- Real Set-Cookie headers (doctor --live) -------------------------------

// One Set-Cookie header as a browser reads it (RFC 6265bis §5.6): for each
// attribute the last occurrence counts, and a malformed one is ignored.
struct ParsedSetCookie {
  std::string name;
  std::string value;
  // The Domain attribute, lower-cased, its leading dot dropped; nullopt
  // when absent or empty: a host-only cookie.
  std::optional<std::string> domain;
  // The Path attribute; nullopt when absent or not starting with "/"
  // (the browser then uses the request's directory).
  std::optional<std::string> path;
  bool secure = false;
  bool http_only = false;
  // nullopt when absent or not Strict/Lax/None: browsers then apply their
  // default, which is Lax in Chrome and Edge.
  std::optional<SameSite> same_site;
  std::optional<int64_t> max_age_seconds;  // Max-Age, when a number
  std::optional<Time> expires;             // Expires, when a date

  // The rules of the first half of this file see a cookie through these.
  CookieAttributes Attributes() const;
};

// `line` (a Set-Cookie header value, without "Set-Cookie:") parsed, or
// nullopt when a browser ignores it whole (no "=" in the name-value pair
// and no value, or an empty name and value).
std::optional<ParsedSetCookie> ParseSetCookie(std::string_view line);

// An RFC 6265 §5.1.1 cookie-date ("Thu, 01 Jan 1970 00:00:00 GMT" and the
// looser forms browsers accept), or nullopt if it is not one.
std::optional<Time> ParseCookieDate(std::string_view text);

// True iff a browser that receives `cookie` at `now` deletes the cookie of
// that name, Domain and Path instead of storing it: Max-Age <= 0, or, with
// no Max-Age, an Expires not after `now` (Max-Age wins over Expires).
bool IsDeletion(const ParsedSetCookie& cookie, Time now);

// The name-value pairs of a Cookie request header ("a=b; c=d"), in order;
// pieces without "=" are skipped. Names repeat when the browser holds
// several cookies of one name (F10).
std::vector<std::pair<std::string, std::string>> ParseCookieHeader(
    std::string_view header);

// The names that occur more than once in `names`, each once, in the order
// of their first occurrence.
std::vector<std::string> RepeatedNames(const std::vector<std::string>& names);

// One way a Set-Cookie differs from the one it should repeat. Values are
// never shown, so they cannot leak into a report: a value reads
// "(empty)" or "(not empty)".
struct AttributeMismatch {
  std::string attribute;  // "Domain", "Path", "Secure", "HttpOnly",
                          // "SameSite", "value", "Max-Age" or "Expires"
  std::string expected;   // "(none)" when the attribute should be absent
  std::string actual;     // "(none)" when it is absent
};

// The attributes that scope a cookie (Domain, Path, Secure, HttpOnly,
// SameSite) in which `other` differs from `reference`, in that order.
// Domains compare as browsers store them (case and leading dot aside).
std::vector<AttributeMismatch> ScopeMismatches(const ParsedSetCookie& reference,
                                               const ParsedSetCookie& other);

// F5: how `clearing` fails to be the exact clearing of `setting`: its
// scope mismatches, then a value that is not empty, a Max-Age other than
// 0, and an Expires missing or not before `now`. Empty when `clearing`
// repeats `setting` with an empty value, Max-Age=0 and a past Expires.
std::vector<AttributeMismatch> ClearingMismatches(
    const ParsedSetCookie& setting, const ParsedSetCookie& clearing, Time now);

// One cookie a browser holds (RFC 6265bis §5.7).
struct StoredCookie {
  std::string name;
  std::string value;
  // The host that set it for a host-only cookie, else its Domain;
  // lower-cased, without a leading dot.
  std::string domain;
  bool host_only = true;
  std::string path = "/";
  bool secure = false;
  bool http_only = false;
  SameSite same_site = SameSite::kLax;
  // Where the caller got it (e.g. "login", "--cookie-header"): for
  // messages only, never a rule.
  std::string source;

  // The storage key: a browser holds at most one cookie per name, domain,
  // host-only flag and path, and a new one with the same key replaces it.
  bool SameKey(const StoredCookie& other) const;
};

// A browser's cookie store across responses: the RFC 6265bis storage
// model (§5.7) and the choice of cookies for a request (§5.8.3), on the
// rules of the first half of this file. Time does not pass inside it:
// cookies that expire later are kept. Not thread-safe.
class CookieStore {
 public:
  // Applies `set_cookie`, received at `now` in a response from
  // `response_url` to a request for `request_path` made in `context`:
  // stores it, replaces the cookie with the same key (keeping that one's
  // place, as its creation time is kept), or, when it is a deletion,
  // removes that cookie. Returns why the browser ignores it instead, or
  // kNone. `source` is recorded on the stored cookie.
  StoreRejection Receive(const ParsedSetCookie& set_cookie,
                         const WebUrl& response_url,
                         std::string_view request_path,
                         const BrowserRequest& context,
                         const PublicSuffixList& psl, Time now,
                         std::string_view source);

  // Adds `cookie` as is (one the browser is known to hold already),
  // replacing any with the same key.
  void Insert(StoredCookie cookie);

  // The cookies a browser attaches to a request for `url` with `path`
  // made in `context`: longer paths first, then older first (§5.8.3).
  std::vector<StoredCookie> CookiesFor(const WebUrl& url, std::string_view path,
                                       const BrowserRequest& context,
                                       const PublicSuffixList& psl) const;

  // Every stored cookie, oldest first.
  const std::vector<StoredCookie>& cookies() const { return cookies_; }

 private:
  std::vector<StoredCookie> cookies_;  // in creation order
};

// RFC 6265bis §5.1.4 path-match: `request_path` is `cookie_path` or under
// it ("/api" covers "/api" and "/api/x", not "/apix").
bool PathMatches(std::string_view request_path, std::string_view cookie_path);

// The narrowest cookie Domain (without a leading dot) that covers the
// `api` host and the host of every app in `apps` on the API's site, never
// wider than the API's registrable domain; "" when the API host is an IP
// address or has no registrable domain (only host-only cookies work).
// What the deployment checks and `doctor --live` suggest in their fixes.
std::string CoveringCookieDomain(const WebUrl& api,
                                 const std::vector<WebUrl>& apps,
                                 const PublicSuffixList& psl);

}  // namespace gatehouse

#endif  // GATEHOUSE_CORE_COOKIE_RULES_H_
